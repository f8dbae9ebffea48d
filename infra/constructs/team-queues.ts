import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
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
  private readonly deadLetters: Record<string, sqs.Queue> = {};

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

  /** Dead-letter queue name → the queue: the screening queue's and every team queue's (alarms watch them). */
  get deadLetterQueues(): Readonly<Record<string, sqs.Queue>> {
    return this.deadLetters;
  }

  /**
   * Lets a team's own system (an IAM role, in this account or another) consume the team's queue and
   * nothing else: receive, delete and extend the visibility of its messages, and decrypt them with the
   * key only through SQS. Both grants sit on the resources (queue policy, key policy), so a role of
   * another account works once its own account allows the same actions.
   */
  grantConsumer(team: string, roleArn: string): void {
    const queue = this.teamQueues[team];
    if (!queue) throw new Error(`teamConsumers: "${team}" has no queue`);
    const principal = new iam.ArnPrincipal(roleArn);
    queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: `TeamConsumer${this.consumerCount}`,
        principals: [principal],
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'],
        resources: [queue.queueArn],
      }),
    );
    this.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: `TeamConsumer${this.consumerCount}Decrypt`,
        principals: [principal],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'kms:ViaService': `sqs.${Stack.of(this).region}.${Stack.of(this).urlSuffix}` },
        },
      }),
    );
    this.consumerCount += 1;
  }

  private consumerCount = 0;

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
    this.deadLetters[deadLetterName] = deadLetterQueue;
    const queue = new sqs.Queue(this, id, {
      ...common,
      ...extra,
      queueName,
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: QUEUE.maxReceiveCount },
    });
    return { queue, deadLetterQueue };
  }
}
