import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import {
  type DeploymentConfig,
  deadLetterQueueName,
  screeningQueueName,
  teamQueueName,
} from '../shared/config/deployment.js';
import { QUEUE } from '../shared/config/resources.js';

export type LocalQueues = {
  server: FauxqsServer;
  endpoint: string;
  /** Queue name → URL, for every queue including the dead-letter queues. */
  urls: Record<string, string>;
  arns: Record<string, string>;
};

/**
 * Starts fauxqs (the SQS JSON protocol, in memory) and creates the queues the CDK stack creates:
 * `<prefix>-<team>` for every team and the internal `<prefix>-screening`, each with a `-dlq` that
 * takes a message after QUEUE.maxReceiveCount receives.
 */
export async function startLocalQueues(options: {
  port: number;
  region: string;
  deployment: DeploymentConfig;
  /** The screening queue's visibility timeout: short locally, so that failed messages retry quickly. */
  screeningVisibilityTimeoutSeconds: number;
}): Promise<LocalQueues> {
  const server = await startFauxqs({ port: options.port, logger: false, defaultRegion: options.region });
  const urls: Record<string, string> = {};
  const arns: Record<string, string> = {};
  const retention = String(QUEUE.retentionDays * 24 * 60 * 60);
  const create = (name: string, visibilityTimeoutSeconds: number, deadLetterArn?: string) => {
    const attributes: Record<string, string> = {
      VisibilityTimeout: String(visibilityTimeoutSeconds),
      MessageRetentionPeriod: retention,
    };
    if (deadLetterArn) {
      attributes.RedrivePolicy = JSON.stringify({
        deadLetterTargetArn: deadLetterArn,
        maxReceiveCount: QUEUE.maxReceiveCount,
      });
    }
    const { queueUrl, queueArn } = server.createQueue(name, { attributes });
    urls[name] = queueUrl;
    arns[name] = queueArn;
    return queueArn;
  };
  const createWithDeadLetterQueue = (name: string, visibilityTimeoutSeconds: number) =>
    create(name, visibilityTimeoutSeconds, create(deadLetterQueueName(name), QUEUE.visibilityTimeoutSeconds));

  try {
    const prefix = options.deployment.queuePrefix;
    createWithDeadLetterQueue(screeningQueueName(prefix), options.screeningVisibilityTimeoutSeconds);
    for (const team of options.deployment.teams) {
      createWithDeadLetterQueue(teamQueueName(prefix, team), QUEUE.visibilityTimeoutSeconds);
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { server, endpoint: `http://127.0.0.1:${server.port}`, urls, arns };
}

/** The attributes the CDK stack gives a queue; the dead-letter queue's ARN when it has one. */
function queueAttributes(visibilityTimeoutSeconds: number, deadLetterArn?: string): Record<string, string> {
  const attributes: Record<string, string> = {
    VisibilityTimeout: String(visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(QUEUE.retentionDays * 24 * 60 * 60),
  };
  if (deadLetterArn) {
    attributes.RedrivePolicy = JSON.stringify({
      deadLetterTargetArn: deadLetterArn,
      maxReceiveCount: QUEUE.maxReceiveCount,
    });
  }
  return attributes;
}

/**
 * The same queues as `startLocalQueues`, on any engine that speaks SQS (the runtime's own, or one
 * that already runs): a queue that exists is left as it is, with its messages and attributes; only
 * missing queues are created. Answers every queue's URL and ARN, and the names it created.
 */
export async function ensureQueues(
  sqs: SQSClient,
  options: { deployment: DeploymentConfig; screeningVisibilityTimeoutSeconds: number },
): Promise<{ urls: Record<string, string>; arns: Record<string, string>; created: string[] }> {
  const urls: Record<string, string> = {};
  const arns: Record<string, string> = {};
  const created: string[] = [];
  const ensure = async (name: string, visibilityTimeoutSeconds: number, deadLetterArn?: string) => {
    let url: string | undefined;
    try {
      url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
    } catch (error) {
      if (!(error instanceof QueueDoesNotExist)) throw error;
    }
    if (!url) {
      const attributes = queueAttributes(visibilityTimeoutSeconds, deadLetterArn);
      url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl;
      created.push(name);
    }
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
    );
    if (!url || !Attributes?.QueueArn) throw new Error(`The SQS engine gave no URL or ARN for ${name}.`);
    urls[name] = url;
    arns[name] = Attributes.QueueArn;
    return Attributes.QueueArn;
  };
  const withDeadLetterQueue = async (name: string, visibilityTimeoutSeconds: number) =>
    ensure(
      name,
      visibilityTimeoutSeconds,
      await ensure(deadLetterQueueName(name), QUEUE.visibilityTimeoutSeconds),
    );

  const prefix = options.deployment.queuePrefix;
  await withDeadLetterQueue(screeningQueueName(prefix), options.screeningVisibilityTimeoutSeconds);
  for (const team of options.deployment.teams) {
    await withDeadLetterQueue(teamQueueName(prefix, team), QUEUE.visibilityTimeoutSeconds);
  }
  return { urls, arns, created };
}
