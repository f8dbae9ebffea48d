import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiEvent, context, parseResponse } from '../helpers/events.js';
import { UNIT_FUNCTION_ENV } from '../helpers/function-env.js';
import { referralBody } from '../helpers/referrals.js';

/** Failure paths of the intake the real engines cannot be made to take on demand. */
const dynamoMock = mockClient(DynamoDBDocumentClient);
const sqsMock = mockClient(SQSClient);
let handler: (event: unknown, ctx: unknown) => Promise<APIGatewayProxyResult>;

beforeAll(async () => {
  Object.assign(process.env, { ...UNIT_FUNCTION_ENV, AWS_REGION: 'eu-north-1' });

  handler = (await import('../../functions/submit-referral.js')).handler as unknown as typeof handler;
});
beforeEach(() => {
  // The case reference counter.
  dynamoMock.on(UpdateCommand).resolves({ Attributes: { value: 42 } });
});
afterEach(() => {
  dynamoMock.reset();
  sqsMock.reset();
});

const submit = (body = referralBody('employment-service')) =>
  handler(
    apiEvent({ method: 'POST', resource: '/referrals', body, groups: ['agency-employment-service'] }),
    context(),
  );

describe('submit-referral when AWS fails', () => {
  it('answers 500 problem+json without the cause when the database fails, and can be retried', async () => {
    dynamoMock.on(GetCommand).resolves({});
    dynamoMock.on(TransactWriteCommand).rejects(
      Object.assign(new Error('Internal failure for table cases, item 19901211-9948'), {
        name: 'InternalServerError',
      }),
    );

    const response = parseResponse(await submit());

    expect(response.status).toBe(500);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.stringify(response.body)).not.toMatch(/19901211|table|InternalServerError/);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('still answers 202 when the hand-over to screening fails after the referral was stored', async () => {
    dynamoMock.on(GetCommand).resolves({});
    dynamoMock.on(TransactWriteCommand).resolves({});
    sqsMock
      .on(SendMessageCommand)
      .rejects(Object.assign(new Error('unavailable'), { name: 'ServiceUnavailable' }));

    const response = parseResponse(await submit());

    expect(response.status).toBe(202);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(1);
  });

  it('retries as a join when another referral for the person won the race, ending in its case', async () => {
    const canceled = Object.assign(new Error('Transaction cancelled'), {
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }],
    });
    const openCase = {
      pk: 'CASE#11111111-1111-4111-8111-111111111111',
      sk: 'CASE',
      caseId: '11111111-1111-4111-8111-111111111111',
      reference: 'FD-2026-00001',
      status: 'RECEIVED',
      // The contract's example, a Skatteverket test number, in its stored 12-digit form.
      person: {
        personalIdentityNumber: '199012119948',
        givenName: 'Anna',
        familyName: 'Exempel',
        municipalityCode: '2262',
      },
      createdAt: '2026-11-20T09:00:00.000Z',
      updatedAt: '2026-11-20T09:00:00.000Z',
      referrals: [],
      history: [],
      outbox: [],
      assignments: {},
      screenedReferrals: 0,
      version: 1,
    };
    dynamoMock
      .on(GetCommand)
      .resolvesOnce({})
      .resolvesOnce({ Item: { caseId: openCase.caseId } })
      .resolves({ Item: openCase });
    dynamoMock.on(TransactWriteCommand).rejectsOnce(canceled).resolves({});
    sqsMock.on(SendMessageCommand).resolves({});

    const response = parseResponse(await submit());

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ caseId: openCase.caseId, attachedToExistingCase: true });
    expect(dynamoMock.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });
});
