import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUE, REDRIVE } from '../../shared/config/resources.js';
import { LambdaFunction } from './lambda-function.js';

export interface ScreeningProps {
  readonly screeningQueue: sqs.IQueue;
  /** Variables every function needs (see shared/config/env.ts); grants are bound by the stack. */
  readonly environment: Record<string, string>;
  /** Encrypts the functions' log groups. */
  readonly encryptionKey: kms.IKey;
}

/**
 * At most this many screening consumers run at once. The event source mapping holds the cap (it reserves
 * nothing from the account, unlike reserved concurrency), so a burst of referrals cannot take the
 * account's whole Lambda concurrency: at the stage's 50 requests/s the queue still drains in seconds.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html#events-sqs-max-concurrency
 */
const SCREENING_MAX_CONCURRENCY = 10;

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
      logEncryptionKey: props.encryptionKey,
    });
    this.screenCase.function.addEventSource(
      new sources.SqsEventSource(props.screeningQueue, {
        batchSize: QUEUE.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: SCREENING_MAX_CONCURRENCY,
      }),
    );
    Validations.of(this.screenCase).acknowledge({
      id: 'HIPAA.Security-LambdaDLQ',
      reason:
        "Invoked by the SQS event source mapping, never asynchronously: a record that keeps failing goes to the screening queue's dead-letter queue after maxReceiveCount receives, which a function DLQ would not see.",
    });
    Validations.of(this.screenCase).acknowledge({
      id: 'HIPAA.Security-LambdaConcurrency',
      reason: `Bounded by the event source mapping's maximum concurrency (${SCREENING_MAX_CONCURRENCY}), which caps the consumer without reserving account concurrency that a new account may not have.`,
    });

    this.redriveCases = new LambdaFunction(this, 'RedriveCases', {
      fn: 'redrive-cases',
      // Pages through the pending index and sends one message per case: more than an API call's 10 s.
      timeout: Duration.seconds(QUEUE.consumerTimeoutSeconds),
      environment: props.environment,
      logEncryptionKey: props.encryptionKey,
    });
    Validations.of(this.redriveCases).acknowledge({
      id: 'HIPAA.Security-LambdaDLQ',
      reason: `Invoked by its schedule only, with two EventBridge retries; a failed run is harmless because the next run ${REDRIVE.everyMinutes} minutes later looks for every case still stuck, so a dead-letter queue would hold nothing to act on.`,
    });
    Validations.of(this.redriveCases).acknowledge({
      id: 'HIPAA.Security-LambdaConcurrency',
      reason: `One scheduled invocation every ${REDRIVE.everyMinutes} minutes with a ${QUEUE.consumerTimeoutSeconds}-second timeout: it does not scale out, so reserved concurrency would only take capacity from the account.`,
    });
    this.schedule = new events.Rule(this, 'RedriveSchedule', {
      description: `Front Desk: re-drive cases waiting more than ${REDRIVE.olderThanSeconds} s`,
      schedule: events.Schedule.rate(Duration.minutes(REDRIVE.everyMinutes)),
      targets: [new targets.LambdaFunction(this.redriveCases.function, { retryAttempts: 2 })],
    });
  }
}
