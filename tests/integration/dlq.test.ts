import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalQueues, startLocalQueues } from '../../local/queues.js';
import { main } from '../../scripts/dlq.js';
import { DEFAULT_DEPLOYMENT } from '../../shared/config/deployment.js';
import { QUEUE } from '../../shared/config/resources.js';

/** `npm run dlq` against fauxqs with the queues the local runtime creates (the SQS wire protocol). */
const QUEUE_NAME = 'frontdesk-labour-market-unit';
const DLQ = `${QUEUE_NAME}-dlq`;
const CASE_ID = 'b8b76d66-5f4e-4c3b-9a2d-1e0f9c8b7a65';
let queues: LocalQueues;
let sqs: SQSClient;

beforeAll(async () => {
  queues = await startLocalQueues({
    port: 0,
    region: 'eu-north-1',
    deployment: DEFAULT_DEPLOYMENT,
    screeningVisibilityTimeoutSeconds: 1,
  });
  sqs = new SQSClient({
    endpoint: queues.endpoint,
    region: 'eu-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    useQueueUrlAsEndpoint: false,
  });
  const url = queues.urls[QUEUE_NAME]!;
  // A message no consumer can handle: received maxReceiveCount times, then SQS moves it to the DLQ.
  const bodies = [
    JSON.stringify({ type: 'case.routed', messageId: 'm-1', caseId: CASE_ID, reference: 'FD-2026-00042' }),
    JSON.stringify({ name: 'Anna Andersson', personalIdentityNumber: '19901211-9948' }),
  ];
  for (const MessageBody of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody }));
  for (let receive = 0; receive <= QUEUE.maxReceiveCount; receive++) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
    );
    for (const message of Messages) {
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: message.ReceiptHandle!,
          VisibilityTimeout: 0,
        }),
      );
    }
  }
}, 60_000);
afterAll(async () => {
  sqs?.destroy();
  await queues?.server.stop();
});

async function run(argv: string[]) {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await main(argv, {
    out: { log: (line) => lines.push(line), error: (line) => errors.push(line) },
    env: { SQS_ENDPOINT: queues.endpoint },
  });
  return { code, out: lines.join('\n'), err: errors.join('\n') };
}

const visible = async (name: string) => {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queues.urls[name]!,
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages);
};

describe('npm run dlq against the local SQS engine', () => {
  it('lists the dead letters, ours by type and ids, anything else by size only, and consumes none', async () => {
    expect(await visible(DLQ)).toBe(2);
    const { code, out, err } = await run(['--queue', DLQ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain(`${DLQ} (the local SQS engine at ${queues.endpoint}): 2 messages listed`);
    expect(out).toContain(`case.routed FD-2026-00042 case ${CASE_ID}`);
    expect(out).toMatch(/not one of our messages: \d+ bytes \(not shown\)/);
    expect(out).toMatch(/received \d+×\s+first received 20\d\d-/);
    expect(out).not.toContain('Anna');
    expect(out).not.toContain('9948');
    // Still there, visible, and listed again.
    expect(await visible(DLQ)).toBe(2);
    expect((await run(['--queue', DLQ])).out).toContain('2 messages listed');
  });

  it('--redrive: says that the local engine cannot move messages, and moves none', async () => {
    const { code, err } = await run(['--queue', DLQ, '--redrive']);
    expect(code).toBe(1);
    expect(err).toContain('does not implement StartMessageMoveTask');
    expect(await visible(DLQ)).toBe(2);
    expect(await visible(QUEUE_NAME)).toBe(0);
  });

  it('an unknown queue: a clear message and exit code 1', async () => {
    const { code, err } = await run(['--queue', 'frontdesk-nobody-dlq']);
    expect(code).toBe(1);
    expect(err).toMatch(/^No queue named frontdesk-nobody-dlq in the local SQS engine/);
  });
});
