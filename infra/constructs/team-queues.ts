import { Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  type DeploymentConfig,
  deadLetterQueueName,
  screeningQueueName,
  teamQueueName,
} from '../../shared/config/deployment.js';
import { QUEUE } from '../../shared/config/resources.js';

export interface TeamQueuesProps {
  readonly deployment: DeploymentConfig;
  readonly encryptionKey: kms.IKey;
}

/** SQS caps queue names at 80 characters; fail at synth, not halfway through a deployment. */
const MAX_QUEUE_NAME = 80;

/**
 * One queue per team, named `<prefix>-<teamId>` as the contract promises the teams, and the internal
 * screening queue between intake and screening. Every queue has a dead-letter queue, is encrypted with
 * the customer-managed key and refuses requests without TLS.
 */
export class TeamQueues extends Construct {
  readonly screeningQueue: sqs.Queue;
  readonly screeningDeadLetterQueue: sqs.Queue;
  /** Team id → the team's queue, in the order of the configuration. */
  readonly teamQueues: Readonly<Record<string, sqs.Queue>>;
  private readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: TeamQueuesProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    const { queuePrefix, teams } = props.deployment;

    const screening = this.queueWithDeadLetter('Screening', screeningQueueName(queuePrefix), {
      // ≥ 6 × the consumer's timeout, so a batch being processed is not handed out twice
      // (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html).
      visibilityTimeout: Duration.seconds(QUEUE.visibilityTimeoutSeconds),
    });
    this.screeningQueue = screening.queue;
    this.screeningDeadLetterQueue = screening.deadLetterQueue;

    this.teamQueues = Object.fromEntries(
      teams.map((team) => [
        team,
        this.queueWithDeadLetter(`Team-${team}`, teamQueueName(queuePrefix, team)).queue,
      ]),
    );
  }

  private queueWithDeadLetter(id: string, queueName: string, extra: Partial<sqs.QueueProps> = {}) {
    const deadLetterName = deadLetterQueueName(queueName);
    if (deadLetterName.length > MAX_QUEUE_NAME) {
      throw new Error(
        `Queue name "${deadLetterName}" is longer than ${MAX_QUEUE_NAME} characters: shorten the queue prefix or the team id`,
      );
    }
    const common = {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(QUEUE.retentionDays),
    } satisfies sqs.QueueProps;
    const deadLetterQueue = new sqs.Queue(this, `${id}DeadLetter`, { ...common, queueName: deadLetterName });
    const queue = new sqs.Queue(this, id, {
      ...common,
      ...extra,
      queueName,
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: QUEUE.maxReceiveCount },
    });
    return { queue, deadLetterQueue };
  }
}
