import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { METRICS } from '../../shared/config/metrics.js';
import { context } from '../helpers/events.js';
import { UNIT_FUNCTION_ENV } from '../helpers/function-env.js';

/** The stuck-cases metric the alarm reads (infra/constructs/monitoring.ts), as CloudWatch would parse it. */
const dynamoMock = mockClient(DynamoDBDocumentClient);
const sqsMock = mockClient(SQSClient);
let handler: (event: unknown, ctx: unknown) => Promise<{ requeued: number; failed: number }>;

beforeAll(async () => {
  // vitest.config.ts switches metrics off for every other test; this one reads them.
  Object.assign(process.env, {
    ...UNIT_FUNCTION_ENV,
    AWS_REGION: 'eu-north-1',
    POWERTOOLS_METRICS_DISABLED: 'false',
  });
  handler = (await import('../../functions/redrive-cases.js')).handler as unknown as typeof handler;
});
afterEach(() => {
  dynamoMock.reset();
  sqsMock.reset();
  vi.restoreAllMocks();
});

/** Runs the re-drive and returns the EMF documents it wrote to stdout (where Lambda's log agent reads them). */
async function redriveAndCollectEmf() {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && chunk.includes('"_aws"')) {
      lines.push(chunk);
      return true;
    }
    return write(chunk as string, ...(rest as []));
  });
  const result = await handler({ detail: { olderThanSeconds: 120 } }, context('redrive-cases'));
  return { result, emf: lines.map((line) => JSON.parse(line)) };
}

const pendingQuery = { IndexName: 'pending', ExpressionAttributeValues: { ':pending': 'PENDING' } };
const timerQuery = { IndexName: 'pending', ExpressionAttributeValues: { ':pending': 'TIMER' } };

describe('redrive-cases metrics', () => {
  it('publishes how many stuck cases it re-drove, as one EMF line in the FrontDesk namespace', async () => {
    dynamoMock.on(QueryCommand, pendingQuery).resolves({ Items: [{ pk: 'CASE#a' }, { pk: 'CASE#b' }] });
    // A case past its service level is woken too, but it is not stuck: it does not count.
    dynamoMock.on(QueryCommand, timerQuery).resolves({ Items: [{ pk: 'CASE#c' }] });
    sqsMock.on(SendMessageCommand).resolves({});

    const { result, emf } = await redriveAndCollectEmf();

    expect(result).toEqual({ requeued: 3, failed: 0 });
    expect(emf).toHaveLength(1);
    const [document] = emf;
    expect(document[METRICS.stuckCasesRedriven]).toBe(2);
    expect(document.service).toBe(METRICS.service);
    expect(document._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS.namespace,
        Dimensions: [['service']],
        Metrics: [{ Name: METRICS.stuckCasesRedriven, Unit: 'Count' }],
      },
    ]);
  });

  it('publishes 0 on a run that finds nothing stuck, so the alarm always has data', async () => {
    dynamoMock.on(QueryCommand).resolves({ Items: [] });

    const { emf } = await redriveAndCollectEmf();

    expect(emf).toHaveLength(1);
    expect(emf[0][METRICS.stuckCasesRedriven]).toBe(0);
  });
});
