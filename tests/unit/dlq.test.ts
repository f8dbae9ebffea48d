import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SQSClient,
  SQSServiceException,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeBody, main, PEEK_SECONDS, parseDlqArgs } from '../../scripts/dlq.js';

const sqsMock = mockClient(SQSClient);
const DLQ = 'frontdesk-labour-market-unit-dlq';
const DLQ_URL = `https://sqs.eu-north-1.amazonaws.com/123456789012/${DLQ}`;
const DLQ_ARN = `arn:aws:sqs:eu-north-1:123456789012:${DLQ}`;
const SOURCE_ARN = 'arn:aws:sqs:eu-north-1:123456789012:frontdesk-labour-market-unit';
const CASE_ID = 'b8b76d66-5f4e-4c3b-9a2d-1e0f9c8b7a65';
const ROUTED = JSON.stringify({
  type: 'case.routed',
  messageId: 'msg-1',
  caseId: CASE_ID,
  reference: 'FD-2026-00042',
  team: 'labour-market-unit',
  priority: 'high',
  targetGroups: ['TG1'],
  jointAssessment: false,
  routedAt: '2026-12-01T10:00:00.000Z',
  rulesetVersion: 'timra-2026.1',
});
/** What must never reach the output, whatever shape the body has. */
const NAME = 'Anna Andersson';
const PIN = '19901211-9948';
const PERSONAL = JSON.stringify({ person: { name: NAME, personalIdentityNumber: PIN } });

function run(argv: string[]) {
  const lines: string[] = [];
  const errors: string[] = [];
  const result = main(argv, {
    sqs: new SQSClient({ region: 'eu-north-1' }),
    out: { log: (line) => lines.push(line), error: (line) => errors.push(line) },
    env: {},
  });
  return result.then((code) => ({ code, out: lines.join('\n'), err: errors.join('\n') }));
}

const message = (id: string, body: string, count = '3') => ({
  MessageId: id,
  ReceiptHandle: `handle-${id}`,
  Body: body,
  Attributes: {
    ApproximateReceiveCount: count,
    ApproximateFirstReceiveTimestamp: String(Date.UTC(2026, 11, 1, 10, 0, 5)),
    SentTimestamp: String(Date.UTC(2026, 11, 1, 10, 0, 0)),
    DeadLetterQueueSourceArn: SOURCE_ARN,
  },
});

beforeEach(() => {
  sqsMock.on(GetQueueUrlCommand, { QueueName: DLQ }).resolves({ QueueUrl: DLQ_URL });
  sqsMock.on(GetQueueAttributesCommand).resolves({
    Attributes: {
      QueueArn: DLQ_ARN,
      ApproximateNumberOfMessages: '2',
      ApproximateNumberOfMessagesNotVisible: '0',
    },
  });
  sqsMock
    .on(ReceiveMessageCommand)
    .resolvesOnce({ Messages: [message('m-1', ROUTED), message('m-2', PERSONAL, '5')] })
    .resolves({});
  sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
  sqsMock.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-handle-123' });
});
afterEach(() => sqsMock.reset());

describe('npm run dlq: listing', () => {
  it('lists ids, receive counts, first receipt, source and our messages’ type, reference and case id', async () => {
    const { code, out, err } = await run(['--queue', DLQ, '--aws']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain(`${DLQ} (SQS in eu-north-1): 2 messages listed`);
    const [, first, second] = out.split('\n');
    expect(first).toContain('m-1');
    expect(first).toContain('received 3×');
    expect(first).toContain('first received 2026-12-01T10:00:05.000Z');
    expect(first).toContain('from frontdesk-labour-market-unit');
    expect(first).toContain(`case.routed FD-2026-00042 case ${CASE_ID}`);
    expect(second).toContain('m-2');
    expect(second).toContain('received 5×');
    expect(second).toContain(`not one of our messages: ${Buffer.byteLength(PERSONAL)} bytes (not shown)`);
  });

  it('consumes nothing: never deletes, hides only while listing and makes every message visible again', async () => {
    await run(['--queue', DLQ, '--aws']);
    const receives = sqsMock.commandCalls(ReceiveMessageCommand);
    expect(receives.length).toBe(2);
    expect(receives[0]?.args[0].input).toMatchObject({
      QueueUrl: DLQ_URL,
      VisibilityTimeout: PEEK_SECONDS,
      MessageSystemAttributeNames: expect.arrayContaining([
        'ApproximateReceiveCount',
        'ApproximateFirstReceiveTimestamp',
      ]),
    });
    const releases = sqsMock.commandCalls(ChangeMessageVisibilityBatchCommand);
    expect(releases.length).toBe(1);
    expect(releases[0]?.args[0].input.Entries).toEqual([
      expect.objectContaining({ ReceiptHandle: 'handle-m-1', VisibilityTimeout: 0 }),
      expect.objectContaining({ ReceiptHandle: 'handle-m-2', VisibilityTimeout: 0 }),
    ]);
    expect(sqsMock.calls().map((call) => call.args[0].constructor.name)).not.toContain(
      'DeleteMessageCommand',
    );
    expect(sqsMock.commandCalls(StartMessageMoveTaskCommand).length).toBe(0);
  });

  it('stops at --max and says there may be more', async () => {
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [message('m-1', ROUTED)] })
      .resolves({ Messages: [message('m-9', ROUTED)] });
    const { code, out } = await run(['--queue', DLQ, '--aws', '--max', '1']);
    expect(code).toBe(0);
    expect(out).toContain('1 message listed');
    expect(out).toContain('stopped at --max 1');
    expect(sqsMock.commandCalls(ReceiveMessageCommand)[0]?.args[0].input.MaxNumberOfMessages).toBe(1);
  });
});

describe('npm run dlq: no personal data', () => {
  const bodies = {
    'a name and an identity number': PERSONAL,
    'an identity number as the case id of our type': JSON.stringify({ type: 'case.routed', caseId: PIN }),
    'a name in the reference of our type': JSON.stringify({
      type: 'case.routed',
      caseId: CASE_ID,
      reference: NAME,
    }),
    'an identity number in an unknown type': JSON.stringify({ type: PIN, caseId: CASE_ID }),
    'plain text': `Referral for ${NAME}, ${PIN}`,
    'a bare identity number': `"${PIN.replace('-', '')}"`,
  };
  for (const [what, body] of Object.entries(bodies)) {
    it(`prints only the size of a body with ${what}`, async () => {
      sqsMock
        .on(ReceiveMessageCommand)
        .resolvesOnce({ Messages: [message('m-1', body)] })
        .resolves({});
      const { code, out, err } = await run(['--queue', DLQ, '--aws']);
      expect(code).toBe(0);
      for (const text of [out, err]) {
        expect(text).not.toContain('Anna');
        expect(text).not.toContain('Andersson');
        expect(text).not.toMatch(/\d{6}[-+]?\d{4}/);
      }
      expect(out).toContain(`not one of our messages: ${Buffer.byteLength(body)} bytes (not shown)`);
    });
  }

  it('shows of our message only its type, case id and reference, never its other fields', () => {
    expect(describeBody(ROUTED)).toEqual({
      ours: true,
      bytes: Buffer.byteLength(ROUTED),
      type: 'case.routed',
      caseId: CASE_ID,
      reference: 'FD-2026-00042',
    });
    expect(describeBody(JSON.stringify({ type: 'case.screening-requested', caseId: CASE_ID }))).toMatchObject(
      {
        ours: true,
        type: 'case.screening-requested',
      },
    );
    expect(describeBody(undefined)).toEqual({ ours: false, bytes: 0 });
    expect(describeBody('[1,2]')).toEqual({ ours: false, bytes: 5 });
  });
});

describe('npm run dlq --redrive', () => {
  it('starts a message move task from the DLQ’s ARN back to each message’s source queue and prints the handle', async () => {
    const { code, out } = await run(['--queue', DLQ, '--aws', '--redrive']);
    expect(code).toBe(0);
    const moves = sqsMock.commandCalls(StartMessageMoveTaskCommand);
    expect(moves.length).toBe(1);
    expect(moves[0]?.args[0].input).toEqual({ SourceArn: DLQ_ARN });
    expect(out).toContain('Task handle: task-handle-123');
    // The listed messages are visible again before the move task starts.
    const order = sqsMock.calls().map((call) => call.args[0].constructor.name);
    expect(order.indexOf('ChangeMessageVisibilityBatchCommand')).toBeLessThan(
      order.indexOf('StartMessageMoveTaskCommand'),
    );
  });

  it('moves to the queue --to names, resolved to its ARN', async () => {
    const otherUrl = 'https://sqs.eu-north-1.amazonaws.com/123456789012/frontdesk-front-desk';
    const otherArn = 'arn:aws:sqs:eu-north-1:123456789012:frontdesk-front-desk';
    sqsMock.on(GetQueueUrlCommand, { QueueName: 'frontdesk-front-desk' }).resolves({ QueueUrl: otherUrl });
    sqsMock
      .on(GetQueueAttributesCommand, { QueueUrl: otherUrl })
      .resolves({ Attributes: { QueueArn: otherArn } });
    const { code } = await run(['--queue', DLQ, '--aws', '--redrive', '--to', 'frontdesk-front-desk']);
    expect(code).toBe(0);
    expect(sqsMock.commandCalls(StartMessageMoveTaskCommand)[0]?.args[0].input).toEqual({
      SourceArn: DLQ_ARN,
      DestinationArn: otherArn,
    });
  });

  it('says plainly when the local engine has no StartMessageMoveTask, and exits 1', async () => {
    sqsMock.on(StartMessageMoveTaskCommand).rejects(
      new SQSServiceException({
        name: 'InvalidAction',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Unknown action: StartMessageMoveTask',
      }),
    );
    const { code, err } = await run(['--queue', DLQ, '--redrive']);
    expect(code).toBe(1);
    expect(err).toContain('Nothing was moved');
    expect(err).toContain('does not implement StartMessageMoveTask');
    expect(err).not.toMatch(/\n\s+at /);
  });
});

describe('npm run dlq: errors', () => {
  it('an unknown queue: a clear message, exit code 1, no stack', async () => {
    sqsMock
      .on(GetQueueUrlCommand, { QueueName: 'frontdesk-nobody-dlq' })
      .rejects(new QueueDoesNotExist({ message: 'The specified queue does not exist.', $metadata: {} }));
    const { code, out, err } = await run(['--queue', 'frontdesk-nobody-dlq', '--aws']);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      'No queue named frontdesk-nobody-dlq in SQS in eu-north-1. Dead-letter queues are named <queue>-dlq, ' +
        'e.g. frontdesk-labour-market-unit-dlq or frontdesk-screening-dlq.',
    );
    expect(sqsMock.commandCalls(ReceiveMessageCommand).length).toBe(0);
  });

  it('an unknown --to queue: nothing is moved', async () => {
    sqsMock
      .on(GetQueueUrlCommand, { QueueName: 'frontdesk-nobody' })
      .rejects(new QueueDoesNotExist({ message: 'The specified queue does not exist.', $metadata: {} }));
    const { code, err } = await run(['--queue', DLQ, '--aws', '--redrive', '--to', 'frontdesk-nobody']);
    expect(code).toBe(1);
    expect(err).toContain('No queue named frontdesk-nobody in');
    expect(sqsMock.commandCalls(StartMessageMoveTaskCommand).length).toBe(0);
  });

  it('any other failure: its name and message, exit code 1, no stack', async () => {
    sqsMock
      .on(ReceiveMessageCommand)
      .rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' }));
    const { code, err } = await run(['--queue', DLQ, '--aws']);
    expect(code).toBe(1);
    expect(err).toBe(`Could not list ${DLQ}: AccessDenied: User is not authorized`);
  });

  it('usage errors exit 2 with the usage', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['--queue', DLQ_URL])).err).toContain('not a URL');
    expect((await run(['--queue', DLQ, '--to', 'x'])).err).toContain('--to goes with --redrive');
  });
});

describe('npm run dlq: where it talks to', () => {
  it('locally by default, following SQS_ENDPOINT and SQS_PORT; --aws for SQS in AWS', () => {
    expect(parseDlqArgs(['--queue', DLQ], {}).endpoint).toBe('http://localhost:9324');
    expect(parseDlqArgs(['--queue', DLQ], { SQS_PORT: '9400' }).endpoint).toBe('http://localhost:9400');
    expect(parseDlqArgs(['--queue', DLQ], { SQS_ENDPOINT: 'http://127.0.0.1:4566' }).endpoint).toBe(
      'http://127.0.0.1:4566',
    );
    const aws = parseDlqArgs(['--queue', DLQ, '--aws', '--region', 'eu-west-1'], { SQS_PORT: '9400' });
    expect(aws.endpoint).toBeUndefined();
    expect(aws.region).toBe('eu-west-1');
  });
});
