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
