import { Duration, TimeZone, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { LambdaFunction } from './lambda-function.js';

export interface StatisticsProps {
  /** Variables every function needs (see shared/config/env.ts); grants are bound by the stack. */
  readonly environment: Record<string, string>;
  /** Encrypts the function's log group. */
  readonly encryptionKey: kms.IKey;
}

/**
 * The follow-up statistics' background half: the aggregates themselves are written with each case
 * change (shared/stats/); this takes the monthly snapshot of open cases, on the first of each month
 * just after midnight Swedish time, with EventBridge Scheduler (which knows Stockholm's summer time).
 */
export class Statistics extends Construct {
  readonly snapshotStats: LambdaFunction;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: StatisticsProps) {
    super(scope, id);
    this.snapshotStats = new LambdaFunction(this, 'SnapshotStats', {
      fn: 'snapshot-stats',
      timeout: Duration.seconds(30),
      environment: props.environment,
      logEncryptionKey: props.encryptionKey,
    });
    Validations.of(this.snapshotStats).acknowledge({
      id: 'HIPAA.Security-LambdaDLQ',
      reason:
        'Invoked by its monthly schedule only, with retries; a missed snapshot costs reads, not figures: the month is then summed from its openings and closings.',
    });
    Validations.of(this.snapshotStats).acknowledge({
      id: 'HIPAA.Security-LambdaConcurrency',
      reason:
        'One scheduled invocation a month: reserved concurrency would only take capacity from the account.',
    });
    this.schedule = new scheduler.Schedule(this, 'MonthlySnapshot', {
      description: 'Front Desk: snapshot of open cases at the end of each month',
      schedule: scheduler.ScheduleExpression.cron({
        minute: '5',
        hour: '0',
        day: '1',
        timeZone: TimeZone.of('Europe/Stockholm'),
      }),
      target: new schedulerTargets.LambdaInvoke(this.snapshotStats.function, { retryAttempts: 3 }),
    });
  }
}
