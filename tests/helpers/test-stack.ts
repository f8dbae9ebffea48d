import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { inject } from 'vitest';
import { createCaseTable } from '../../local/dynamodb-local.js';
import { startEventSourceMapping } from '../../local/event-source-mapping.js';
import type { LambdaHandler } from '../../local/lambda.js';
import { startLocalQueues } from '../../local/queues.js';
import {
  DEFAULT_DEPLOYMENT,
  type DeploymentConfig,
  deadLetterQueueName,
  screeningQueueName,
  teamQueueName,
} from '../../shared/config/deployment.js';
import { type ApiRequest, type ApiResponse, apiEvent, context, parseResponse } from './events.js';

const REGION = 'eu-north-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

type HttpFunction =
  | 'submit-referral'
  | 'get-referral'
  | 'list-referrals'
  | 'get-health'
  | 'get-openapi'
  | 'list-cases'
  | 'get-case'
  | 'post-case-event'
  | 'post-case-note'
  | 'get-case-audit'
  | 'post-case-follow-up'
  | 'get-stats'
  | 'get-stats-indicators'
  | 'get-stats-equity';

/**
 * A stack for one test file on the real engines: its own table in the shared DynamoDB Local, its
 * own fauxqs, the function environment set as the CDK stack sets it, and the real handler modules
 * loaded after that (as Lambda loads them at cold start).
 */
export async function startTestStack(
  options: {
    deployment?: DeploymentConfig;
    visibilityTimeoutSeconds?: number;
    env?: Record<string, string>;
  } = {},
) {
  const deployment = options.deployment ?? DEFAULT_DEPLOYMENT;
  const dynamoEndpoint = inject('dynamoEndpoint');
  const queues = await startLocalQueues({
    port: 0,
    region: REGION,
    deployment,
    screeningVisibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 1,
  });
  const tableName = `cases-${randomUUID()}`;
  const dynamo = new DynamoDBClient({ endpoint: dynamoEndpoint, region: REGION, credentials });
  await createCaseTable(dynamo, tableName);
  const sqs = new SQSClient({
    endpoint: queues.endpoint,
    region: REGION,
    credentials,
    useQueueUrlAsEndpoint: false,
  });

  const prefix = deployment.queuePrefix;
  const teamQueueUrls = Object.fromEntries(
    deployment.teams.map((team) => [team, queues.urls[teamQueueName(prefix, team)]!]),
  );
  const screeningQueue = screeningQueueName(prefix);
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    SCREENING_QUEUE_URL: queues.urls[screeningQueue],
    TEAM_QUEUE_URLS: JSON.stringify(teamQueueUrls),
    DEPLOYMENT: JSON.stringify(deployment),
    PERSON_KEY: 'ab'.repeat(32),
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: queues.endpoint,
    ...options.env,
  });

  const http = {
    'submit-referral': await import('../../functions/submit-referral.js'),
    'get-referral': await import('../../functions/get-referral.js'),
    'list-referrals': await import('../../functions/list-referrals.js'),
    'get-health': await import('../../functions/get-health.js'),
    'get-openapi': await import('../../functions/get-openapi.js'),
    'list-cases': await import('../../functions/list-cases.js'),
    'get-case': await import('../../functions/get-case.js'),
    'post-case-event': await import('../../functions/post-case-event.js'),
    'post-case-note': await import('../../functions/post-case-note.js'),
    'get-case-audit': await import('../../functions/get-case-audit.js'),
    'post-case-follow-up': await import('../../functions/post-case-follow-up.js'),
    'get-stats': await import('../../functions/get-stats.js'),
    'get-stats-indicators': await import('../../functions/get-stats-indicators.js'),
    'get-stats-equity': await import('../../functions/get-stats-equity.js'),
  } satisfies Record<HttpFunction, { handler: unknown }>;
  const screenCase = (await import('../../functions/screen-case.js')).handler as unknown as LambdaHandler;
  const redriveCases = (await import('../../functions/redrive-cases.js')).handler;

  let consumer: ReturnType<typeof startEventSourceMapping> | undefined;
  const stack = {
    deployment,
    tableName,
    dynamo,
    sqs,
    queueUrls: queues.urls,

    /** Calls an HTTP function with an API Gateway event, as API Gateway would. */
    async call(fn: HttpFunction, request: ApiRequest): Promise<ApiResponse> {
      const handler = http[fn].handler as unknown as (
        e: unknown,
        c: unknown,
      ) => Promise<APIGatewayProxyResult>;
      return parseResponse(await handler(apiEvent(request), context(fn)));
    },

    submit(
      body: unknown,
      groups: string[] = ['agency-employment-service'],
      headers: Record<string, string> = {},
    ) {
      return stack.call('submit-referral', { method: 'POST', resource: '/referrals', body, groups, headers });
    },

    getReferral(referralId: string, groups: string[] = ['agency-employment-service']) {
      return stack.call('get-referral', {
        resource: '/referrals/{referralId}',
        pathParameters: { referralId },
        groups,
      });
    },

    getCase(caseId: string, groups: string[], subject?: string) {
      return stack.call('get-case', {
        resource: '/cases/{caseId}',
        pathParameters: { caseId },
        groups,
        ...(subject ? { subject } : {}),
      });
    },

    listCases(groups: string[], query: Record<string, string> = {}) {
      return stack.call('list-cases', { resource: '/cases', groups, query });
    },

    postEvent(caseId: string, body: unknown, groups: string[], headers: Record<string, string> = {}) {
      return stack.call('post-case-event', {
        method: 'POST',
        resource: '/cases/{caseId}/events',
        pathParameters: { caseId },
        body,
        groups,
        headers,
      });
    },

    postNote(caseId: string, body: unknown, groups: string[], subject?: string) {
      return stack.call('post-case-note', {
        method: 'POST',
        resource: '/cases/{caseId}/notes',
        pathParameters: { caseId },
        body,
        groups,
        ...(subject ? { subject } : {}),
      });
    },

    /** Runs the screening consumer on the internal queue, as Lambda's event source mapping would. */
    startConsumer() {
      consumer ??= startEventSourceMapping({
        sqs,
        queueUrl: queues.urls[screeningQueue]!,
        queueArn: queues.arns[screeningQueue]!,
        region: REGION,
        functionName: 'screen-case',
        handler: screenCase,
        batchSize: 10,
        timeoutSeconds: 30,
        waitTimeSeconds: 1,
        logError: () => {},
      });
    },

    async stopConsumer() {
      await consumer?.stop();
      consumer = undefined;
    },

    screenCase,

    redrive(olderThanSeconds = 0) {
      return redriveCases({ detail: { olderThanSeconds } }, context('redrive-cases'));
    },

    /** Polls GET /referrals/{id} until the referral's case reaches `status` (or the time is up). */
    async waitForStatus(referralId: string, status: string, groups?: string[], timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const response = await stack.getReferral(referralId, groups);
        if (response.body?.status === status || Date.now() > deadline) return response;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },

    /** Takes every message now in a queue (by name) and deletes them. */
    async drain(queueName: string): Promise<any[]> {
      const queueUrl = queues.urls[queueName]!;
      const bodies: any[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        if (Messages.length === 0) return bodies;
        bodies.push(...Messages.map((message) => JSON.parse(message.Body ?? 'null')));
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle,
            })),
          }),
        );
      }
    },

    /** Waits until a team's queue has received `count` messages for the case (taking them), and returns those. */
    async messagesFor(team: string, caseId: string, count = 1, timeoutMs = 15_000): Promise<any[]> {
      const deadline = Date.now() + timeoutMs;
      const found: any[] = [];
      for (;;) {
        found.push(...(await stack.drain(teamQueueName(prefix, team))));
        const mine = found.filter((message) => message.caseId === caseId);
        if (mine.length >= count || Date.now() > deadline) return mine;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },

    teamQueue: (team: string) => teamQueueName(prefix, team),
    screeningQueue,
    deadLetterQueue: deadLetterQueueName,

    async approximateCount(queueName: string): Promise<number> {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queues.urls[queueName],
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return (
        Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
        Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
      );
    },

    /** Every item in the table (a test-only scan, every page: the product never scans). */
    async items() {
      const items: NonNullable<ScanCommandOutput['Items']> = [];
      let start: ScanCommandOutput['LastEvaluatedKey'];
      do {
        const page = await dynamo.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    },

    async stop() {
      await stack.stopConsumer();
      await queues.server.stop();
      dynamo.destroy();
      sqs.destroy();
    },
  };
  return stack;
}

export type TestStack = Awaited<ReturnType<typeof startTestStack>>;
