import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createCaseTable,
  type DynamoDbLocal,
  ensureCaseTable,
  startDynamoDbLocal,
} from '../../local/dynamodb-local.js';
import { freePort } from '../../local/ports.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { DEFAULT_DEPLOYMENT, parseDeploymentConfig } from '../../shared/config/deployment.js';
import { TABLE } from '../../shared/config/resources.js';
import { referralBody } from '../helpers/referrals.js';

const region = 'eu-north-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Nothing within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * DYNAMODB_ENDPOINT and SQS_ENDPOINT (CONTRACT.md v1.1, "Local runtime additions"): the runtime
 * starts no engine of its own on engines that already run, and creates only what is missing there.
 */
describe('the local runtime on engines that already run', () => {
  // A prefix of its own: the suite's one DynamoDB Local is shared with every other test file.
  const deployment = parseDeploymentConfig({
    ...DEFAULT_DEPLOYMENT,
    queuePrefix: `ext-${randomUUID().slice(0, 8)}`,
  });
  const tableName = `${deployment.queuePrefix}-cases`;
  const dynamoEndpoint = inject('dynamoEndpoint');
  let fauxqs: FauxqsServer | undefined;
  let sqsEndpoint: string;
  let stack: LocalStack | undefined;
  let dynamo: DynamoDBClient;
  let sqs: SQSClient;

  beforeAll(async () => {
    fauxqs = await startFauxqs({ port: 0, logger: false, defaultRegion: region });
    sqsEndpoint = `http://127.0.0.1:${fauxqs.port}`;
    dynamo = new DynamoDBClient({ endpoint: dynamoEndpoint, region, credentials });
    sqs = new SQSClient({ endpoint: sqsEndpoint, region, credentials, useQueueUrlAsEndpoint: false });
    // What an earlier run left there: the table, and one queue with an attribute of its own.
    await createCaseTable(dynamo, tableName);
    await sqs.send(
      new CreateQueueCommand({
        QueueName: `${deployment.queuePrefix}-front-desk`,
        Attributes: { VisibilityTimeout: '7' },
      }),
    );
  });

  afterAll(async () => {
    await stack?.stop();
    await fauxqs?.stop();
    await dynamo?.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    dynamo?.destroy();
    sqs?.destroy();
  });

  it('starts no engine, keeps the existing table and queue, creates the missing queues and routes a referral', async () => {
    stack = await startLocalStack({
      port: 0,
      dynamoEndpoint,
      sqsEndpoint,
      deployment,
      quiet: true,
      web: false,
      visibilityTimeoutSeconds: 1,
    });

    expect(stack.engines()).toEqual({
      dynamodb: { external: true, pid: undefined, state: 'up' },
      sqs: { external: true, pid: undefined, state: 'up' },
    });
    expect(stack.dynamoEndpoint).toBe(dynamoEndpoint);
    expect(stack.dataDir).toBeUndefined();
    expect(Object.keys(stack.queueUrls)).toHaveLength(2 * (deployment.teams.length + 1));
    const kept = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: stack.queueUrls[`${deployment.queuePrefix}-front-desk`],
        AttributeNames: ['VisibilityTimeout'],
      }),
    );
    expect(kept.Attributes?.VisibilityTimeout).toBe('7');
    expect((await fetch(`${stack.url}/health`)).status).toBe(200);

    const token = await stack.issueToken('employment-officer');
    const submitted = await fetch(`${stack.url}/referrals`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(referralBody('employment-service')),
    });
    expect(submitted.status).toBe(202);
    const { referralId } = (await submitted.json()) as { referralId: string };
    await eventually(async () => {
      const response = await fetch(`${stack?.url}/referrals/${referralId}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      return ((await response.json()) as { status: string }).status === 'ROUTED' ? true : undefined;
    }, 30_000);
  }, 120_000);

  it('answers GET /health with 503 when the SQS engine it was pointed at stops', async () => {
    await fauxqs?.stop();
    fauxqs = undefined;

    const response = await fetch(`${stack?.url}/health`);

    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 503, detail: 'The SQS engine does not answer.' });
  });
});

describe('a case table from an older local data directory', () => {
  const tableName = `older-${randomUUID()}`;
  let dynamo: DynamoDBClient;
  // An engine of its own: DynamoDB Local builds new indexes one request at a time, and the suite's
  // shared engine is busy with every other test file (this test waited over 60 s there).
  let engine: DynamoDbLocal;

  beforeAll(async () => {
    engine = await startDynamoDbLocal({ port: await freePort(), region });
    dynamo = new DynamoDBClient({ endpoint: engine.endpoint, region, credentials });
  });

  afterAll(async () => {
    await dynamo?.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    dynamo?.destroy();
    await engine?.stop();
  });

  it('gets the indexes it lacks, and they hold the items written before', async () => {
    // The table as it was before the `pending` index and every later one existed.
    await dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk'].map((name) => ({
          AttributeName: name,
          AttributeType: 'S',
        })),
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byAgency',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    await dynamo.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          [TABLE.partitionKey]: { S: 'CASE#1' },
          [TABLE.sortKey]: { S: 'CASE' },
          pendingPk: { S: 'PENDING' },
          pendingSince: { S: '2026-01-01T00:00:00.000Z' },
        },
      }),
    );

    const result = await ensureCaseTable(dynamo, tableName);

    expect(result).toEqual({
      created: false,
      addedIndexes: Object.keys(TABLE.indexes).filter((name) => name !== 'byAgency'),
    });
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(
      Object.keys(TABLE.indexes).sort(),
    );
    const pending = await dynamo.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'pending',
        KeyConditionExpression: 'pendingPk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'PENDING' } },
      }),
    );
    expect(pending.Items).toHaveLength(1);
    // A second start finds nothing to do.
    expect(await ensureCaseTable(dynamo, tableName)).toEqual({ created: false, addedIndexes: [] });
  }, 120_000);
});
