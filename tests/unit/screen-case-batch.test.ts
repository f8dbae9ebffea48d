import { randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { context } from '../helpers/events.js';
import { UNIT_FUNCTION_ENV } from '../helpers/function-env.js';

/** The screening consumer's partial batch response: only the records that failed go back to the queue. */
const dynamoMock = mockClient(DynamoDBDocumentClient);
const sqsMock = mockClient(SQSClient);
let handler: (event: SQSEvent, ctx: unknown) => Promise<SQSBatchResponse>;

beforeAll(async () => {
  Object.assign(process.env, { ...UNIT_FUNCTION_ENV, AWS_REGION: 'eu-north-1' });
  handler = (await import('../../functions/screen-case.js')).handler as unknown as typeof handler;
});
afterEach(() => {
  dynamoMock.reset();
  sqsMock.reset();
});

const record = (body: string): SQSRecord =>
  ({ messageId: randomUUID(), receiptHandle: 'r', body, attributes: {}, messageAttributes: {} }) as SQSRecord;
const request = (caseId: string) => record(JSON.stringify({ type: 'case.screening-requested', caseId }));

describe('screen-case', () => {
  it('reports exactly the records that failed, in order, and lets the others through', async () => {
    const missing = randomUUID();
    const failing = randomUUID();
    dynamoMock.on(GetCommand).resolves({});
    dynamoMock.on(GetCommand, { Key: { pk: `CASE#${failing}`, sk: 'CASE' } }).rejects(new Error('throttled'));
    const records = [
      request(missing),
      record('not json'),
      record(JSON.stringify({ type: 'something-else', caseId: missing })),
      request(failing),
    ];

    const response = await handler({ Records: records }, context('screen-case'));

    expect(dynamoMock.commandCalls(GetCommand).length).toBeGreaterThanOrEqual(2);
    expect(response).toEqual({
      batchItemFailures: [records[1], records[2], records[3]].map((failed) => ({
        itemIdentifier: failed?.messageId,
      })),
    });
  });

  it('answers a batch that failed whole record by record instead of throwing', async () => {
    const records = [record('not json'), record('{}')];

    const response = await handler({ Records: records }, context('screen-case'));

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
      records.map((failed) => failed.messageId),
    );
  });

  it('answers an empty list of failures when every record went through', async () => {
    dynamoMock.on(GetCommand).resolves({});

    expect(await handler({ Records: [request(randomUUID())] }, context('screen-case'))).toEqual({
      batchItemFailures: [],
    });
  });
});
