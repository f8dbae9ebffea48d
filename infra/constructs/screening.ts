import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUE, REDRIVE } from '../../shared/config/resources.js';
import { LambdaFunction } from './lambda-function.js';

export interface ScreeningProps {
  readonly screeningQueue: sqs.IQueue;
  /** Variables every function needs (see shared/config/env.ts); grants are bound by the stack. */
  readonly environment: Record<string, string>;
}

/**
 * The asynchronous half: `screen-case` consumes the screening queue one record at a time with partial
 * batch responses, and `redrive-cases` runs on a schedule to hand stuck cases to the queue again.
 */
export class Screening extends Construct {
  readonly screenCase: LambdaFunction;
  readonly redriveCases: LambdaFunction;
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: ScreeningProps) {
    super(scope, id);

    this.screenCase = new LambdaFunction(this, 'ScreenCase', {
      fn: 'screen-case',
      timeout: Duration.seconds(QUEUE.consumerTimeoutSeconds),
      environment: props.environment,
    });
    this.screenCase.function.addEventSource(
      new sources.SqsEventSource(props.screeningQueue, {
        batchSize: QUEUE.batchSize,
        reportBatchItemFailures: true,
      }),
    );

    this.redriveCases = new LambdaFunction(this, 'RedriveCases', {
      fn: 'redrive-cases',
      // Pages through the pending index and sends one message per case: more than an API call's 10 s.
      timeout: Duration.seconds(QUEUE.consumerTimeoutSeconds),
      environment: props.environment,
    });
    this.schedule = new events.Rule(this, 'RedriveSchedule', {
      description: `Front Desk: re-drive cases waiting more than ${REDRIVE.olderThanSeconds} s`,
      schedule: events.Schedule.rate(Duration.minutes(REDRIVE.everyMinutes)),
      targets: [new targets.LambdaFunction(this.redriveCases.function, { retryAttempts: 2 })],
    });
  }
}
