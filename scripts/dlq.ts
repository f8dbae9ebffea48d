/**
 * `npm run dlq -- --queue frontdesk-labour-market-unit-dlq [--redrive]`: what sits in a dead-letter
 * queue, and moving it back.
 *
 * Lists every message (up to --max, default 100): its id, how often it was received, when it was
 * first received and sent, and, when the body is one of our messages (CONTRACT.md "Queue messages",
 * and the internal `case.screening-requested`), its type, case id and reference. Nothing else of a
 * body is ever printed: a body that is not ours (or has a field of ours in a shape we never send)
 * shows only its size. Listing consumes nothing: messages are received with a short visibility
 * timeout so that each receive returns new ones, and made visible again at once when the list is
 * done (or after --peek-seconds at the latest, should this command die). A receive counts as a
 * receive: ApproximateReceiveCount goes up by one per listing.
 *
 * `--redrive` then starts SQS's own message move task (StartMessageMoveTask) from the queue's ARN to
 * the queue each message came from (or to `--to <queue name>`), and prints the task's handle.
 *
 * Locally (the default) it talks to the local SQS engine: SQS_ENDPOINT, or http://localhost:SQS_PORT
 * (9324), like `npm start` and `npm run consume`. fauxqs, the local engine, does not implement
 * StartMessageMoveTask: `--redrive` says so there and moves nothing. `--aws` talks to SQS in
 * --region (AWS_REGION, eu-north-1) with the normal credential chain; it needs sqs:GetQueueUrl,
 * GetQueueAttributes, ReceiveMessage and ChangeMessageVisibility on the dead-letter queue, and for
 * --redrive also StartMessageMoveTask and DeleteMessage on it and SendMessage on the queues it moves to.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { REFERENCE_PATTERN } from '../shared/cases/reference.js';
import { isUuid } from '../shared/ids.js';
import { UsageError } from './user-add.js';

export const USAGE = `Usage:
  npm run dlq -- --queue <name> [--redrive [--to <queue name>]] [--max <n>] [--aws [--region <region>]]
  --queue     a dead-letter queue's name, e.g. frontdesk-labour-market-unit-dlq (or frontdesk-screening-dlq)
  --redrive   after listing, move the messages back with SQS's StartMessageMoveTask
  --to        move them to this queue instead of the queue each one came from
  --max       list at most this many messages (default 100, at most 1000)
  --aws       SQS in AWS (--region, AWS_REGION or eu-north-1; the normal credential chain);
              without it, the local SQS engine: SQS_ENDPOINT or http://localhost:\${SQS_PORT:-9324}
  --sqs-endpoint <url>  any other SQS endpoint`;

/** The messages we send; only these have fields worth showing, and only their ids. */
const OUR_TYPES = new Set(['case.routed', 'case.withdrawn', 'case.escalated', 'case.screening-requested']);
/** While listed, messages are hidden this long, so that each receive returns new ones. */
export const PEEK_SECONDS = 30;
const SYSTEM_ATTRIBUTES = [
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SentTimestamp',
  'DeadLetterQueueSourceArn',
] as const;

export type DlqOptions = {
  queue: string;
  redrive: boolean;
  to?: string;
  max: number;
  region: string;
  /** Undefined: SQS in AWS. */
  endpoint?: string;
};

export function parseDlqArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): DlqOptions {
  let values: {
    queue?: string;
    redrive?: boolean;
    to?: string;
    max?: string;
    aws?: boolean;
    region?: string;
    'sqs-endpoint'?: string;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        queue: { type: 'string' },
        redrive: { type: 'boolean', default: false },
        to: { type: 'string' },
        max: { type: 'string' },
        aws: { type: 'boolean', default: false },
        region: { type: 'string' },
        'sqs-endpoint': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const queue = values.queue?.trim();
  if (!queue) throw new UsageError('Name the queue: --queue frontdesk-labour-market-unit-dlq');
  if (queue.includes('/')) throw new UsageError('--queue takes a queue name, not a URL or an ARN');
  if (values.to !== undefined && !values.redrive) throw new UsageError('--to goes with --redrive');
  const max = values.max === undefined ? 100 : Number(values.max);
  if (!Number.isInteger(max) || max < 1 || max > 1000) throw new UsageError('--max must be 1–1000');
  if (values.aws && values['sqs-endpoint']) throw new UsageError('Give --aws or --sqs-endpoint, not both');
  const endpoint = values.aws
    ? undefined
    : (values['sqs-endpoint'] ?? env.SQS_ENDPOINT ?? `http://localhost:${env.SQS_PORT || 9324}`);
  return {
    queue,
    redrive: values.redrive ?? false,
    ...(values.to ? { to: values.to } : {}),
    max,
    region: values.region ?? env.AWS_REGION ?? 'eu-north-1',
    ...(endpoint ? { endpoint } : {}),
  };
}

export type BodySummary =
  | { ours: true; bytes: number; type: string; caseId: string; reference?: string }
  | { ours: false; bytes: number };

/**
 * What may be shown of a body: the type, case id and reference of one of our messages, each only in
 * the exact shape we send it; of anything else, only its size.
 */
export function describeBody(body: string | undefined): BodySummary {
  const text = body ?? '';
  const bytes = Buffer.byteLength(text, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ours: false, bytes };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ours: false, bytes };
  const { type, caseId, reference } = parsed as Record<string, unknown>;
  if (typeof type !== 'string' || !OUR_TYPES.has(type) || !isUuid(caseId)) return { ours: false, bytes };
  if (reference === undefined) return { ours: true, bytes, type, caseId };
  if (typeof reference !== 'string' || !REFERENCE_PATTERN.test(reference)) return { ours: false, bytes };
  return { ours: true, bytes, type, caseId, reference };
}

export type DeadLetter = {
  messageId: string;
  receiveCount: number | undefined;
  firstReceivedAt: string | undefined;
  sentAt: string | undefined;
  /** The queue SQS moved it from, when SQS says (AWS does, fauxqs does not). */
  sourceQueue: string | undefined;
  body: BodySummary;
};

const timestamp = (millis: string | undefined) =>
  millis && /^\d+$/.test(millis) ? new Date(Number(millis)).toISOString() : undefined;
const queueNameOf = (arn: string | undefined) => arn?.split(':').at(-1);

function deadLetterOf(message: Message): DeadLetter {
  const attributes = message.Attributes ?? {};
  const count = attributes.ApproximateReceiveCount;
  return {
    messageId: message.MessageId ?? '?',
    receiveCount: count && /^\d+$/.test(count) ? Number(count) : undefined,
    firstReceivedAt: timestamp(attributes.ApproximateFirstReceiveTimestamp),
    sentAt: timestamp(attributes.SentTimestamp),
    sourceQueue: queueNameOf(attributes.DeadLetterQueueSourceArn),
    body: describeBody(message.Body),
  };
}

export type QueueInfo = { name: string; url: string; arn: string; visible: number; inFlight: number };

export async function resolveQueue(sqs: SQSClient, name: string): Promise<QueueInfo> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error(`SQS gave no URL for ${name}`);
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl,
      AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  if (!Attributes.QueueArn) throw new Error(`SQS gave no ARN for ${name}`);
  return {
    name,
    url: QueueUrl,
    arn: Attributes.QueueArn,
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

/**
 * Receives up to `max` messages without consuming any: each is hidden for PEEK_SECONDS while the
 * list is read (so the next receive returns others), then made visible again. Never deletes.
 */
export async function listDeadLetters(sqs: SQSClient, queueUrl: string, max: number): Promise<DeadLetter[]> {
  const found = new Map<string, DeadLetter>();
  const held: { id: string; handle: string }[] = [];
  try {
    while (found.size < max) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, max - found.size),
          VisibilityTimeout: PEEK_SECONDS,
          // Long polling asks every SQS server, so an empty answer means the queue has no more.
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: [...SYSTEM_ATTRIBUTES],
        }),
      );
      let fresh = 0;
      for (const message of Messages) {
        if (message.ReceiptHandle) held.push({ id: String(held.length), handle: message.ReceiptHandle });
        const entry = deadLetterOf(message);
        if (!found.has(entry.messageId)) fresh += 1;
        found.set(entry.messageId, entry);
      }
      if (fresh === 0) break;
    }
  } finally {
    await release(sqs, queueUrl, held);
  }
  return [...found.values()];
}

/** Makes the listed messages visible again at once (they would be after PEEK_SECONDS anyway). */
async function release(sqs: SQSClient, queueUrl: string, held: { id: string; handle: string }[]) {
  for (let start = 0; start < held.length; start += 10) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: held
          .slice(start, start + 10)
          .map(({ id, handle }) => ({ Id: id, ReceiptHandle: handle, VisibilityTimeout: 0 })),
      }),
    );
  }
}

/** Starts SQS's message move task; without a destination SQS moves each message to its source queue. */
export async function startRedrive(sqs: SQSClient, sourceArn: string, destinationArn?: string) {
  const { TaskHandle } = await sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: sourceArn,
      ...(destinationArn ? { DestinationArn: destinationArn } : {}),
    }),
  );
  return TaskHandle;
}

export function formatDeadLetter(entry: DeadLetter): string {
  const body = entry.body.ours
    ? [entry.body.type, entry.body.reference, `case ${entry.body.caseId}`].filter(Boolean).join(' ')
    : `not one of our messages: ${entry.body.bytes} bytes (not shown)`;
  return [
    entry.messageId,
    `received ${entry.receiveCount ?? '?'}×`,
    `first received ${entry.firstReceivedAt ?? '?'}`,
    `sent ${entry.sentAt ?? '?'}`,
    ...(entry.sourceQueue ? [`from ${entry.sourceQueue}`] : []),
    body,
  ].join('  ');
}

type Output = { log: (line: string) => void; error: (line: string) => void };

const errorName = (error: unknown) => (error as { name?: string })?.name ?? '';
const isMissingQueue = (error: unknown) =>
  errorName(error) === 'QueueDoesNotExist' ||
  (error as { Code?: string })?.Code === 'AWS.SimpleQueueService.NonExistentQueue';
const isUnreachable = (error: unknown) =>
  ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH'].includes((error as { code?: string })?.code ?? '') ||
  /ECONNREFUSED/.test(String((error as Error)?.message));

export async function main(
  argv: readonly string[] = process.argv.slice(2),
  deps: { sqs?: SQSClient; out?: Output; env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  const out = deps.out ?? { log: console.log, error: console.error };
  if (argv.includes('--help') || argv.includes('-h')) {
    out.log(USAGE);
    return 0;
  }
  let options: DlqOptions;
  try {
    options = parseDlqArgs(argv, deps.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    out.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  const where = options.endpoint ? `the local SQS engine at ${options.endpoint}` : `SQS in ${options.region}`;
  const sqs =
    deps.sqs ??
    new SQSClient({
      region: options.region,
      useQueueUrlAsEndpoint: false,
      ...(options.endpoint
        ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
    });
  let step = 'find';
  let queueName = options.queue;
  try {
    const queue = await resolveQueue(sqs, options.queue);
    if (!queue.name.endsWith('-dlq')) {
      out.log(`Note: ${queue.name} is not named like a dead-letter queue (…-dlq).`);
    }
    step = 'list';
    const entries = await listDeadLetters(sqs, queue.url, options.max);
    out.log(
      `${queue.name} (${where}): ${entries.length} message${entries.length === 1 ? '' : 's'} listed ` +
        `(SQS counted ${queue.visible} visible, ${queue.inFlight} in flight); nothing was consumed.`,
    );
    for (const entry of entries) out.log(`  ${formatDeadLetter(entry)}`);
    if (entries.length >= options.max) out.log(`  (stopped at --max ${options.max}; there may be more)`);
    if (!options.redrive) return 0;

    let destinationArn: string | undefined;
    if (options.to) {
      step = 'find';
      queueName = options.to;
      destinationArn = (await resolveQueue(sqs, options.to)).arn;
      queueName = options.queue;
    }
    step = 'redrive';
    const handle = await startRedrive(sqs, queue.arn, destinationArn);
    out.log(
      `Started moving the messages of ${queue.name} to ${options.to ?? 'the queue each came from'} ` +
        `(StartMessageMoveTask). Task handle: ${handle ?? '(none given)'}`,
    );
    out.log(
      `Follow it: aws sqs list-message-move-tasks --source-arn ${queue.arn}` +
        (options.endpoint ? '' : ` --region ${options.region}`),
    );
    return 0;
  } catch (error) {
    if (isMissingQueue(error)) {
      out.error(
        `No queue named ${queueName} in ${where}. Dead-letter queues are named <queue>-dlq, ` +
          'e.g. frontdesk-labour-market-unit-dlq or frontdesk-screening-dlq.',
      );
    } else if (isUnreachable(error) && options.endpoint) {
      out.error(
        `Cannot reach ${where}: is npm start running (SQS_PORT, SQS_ENDPOINT)? For SQS in AWS, add --aws.`,
      );
    } else if (step === 'redrive' && options.endpoint && errorName(error) === 'InvalidAction') {
      out.error(
        `Nothing was moved: ${where} does not implement StartMessageMoveTask (fauxqs does not). ` +
          'In AWS, --aws --redrive moves them back; locally, see the README (Operator tools).',
      );
    } else {
      out.error(
        `Could not ${step} ${queueName}: ${errorName(error) || 'Error'}: ${(error as Error)?.message}`,
      );
    }
    return 1;
  } finally {
    if (!deps.sqs) sqs.destroy();
  }
}

// Run only as a script (`tsx scripts/dlq.ts …`), not when a test imports it.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // The AWS SDK warns once per process that it will need node 22 from 2027: noise in an operator's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.exitCode = await main();
}
