import type { SQSClient } from '@aws-sdk/client-sqs';

/** One SQS request: which command, on which queue, and for a receive how many messages it brought. */
export type RecordedRequest = { command: string; queue: string; messages?: number };

type Args = { input: Record<string, unknown> };
type Next = (args: Args) => Promise<{ output?: { Messages?: unknown[] } }>;
type Context = { commandName?: string };

const queueName = (url: unknown) =>
  String(url ?? '?')
    .split('/')
    .pop() ?? '?';

/**
 * Records every request the given SQS clients make (the functions' client and the local event source
 * mapping's poller): SQS bills each one, sends, receives (empty ones too) and deletes alike.
 */
export function recordSqsRequests(clients: readonly SQSClient[]) {
  const requests: RecordedRequest[] = [];
  const record = (next: Next, context: Context) => async (args: Args) => {
    const entry: RecordedRequest = {
      command: (context.commandName ?? '?').replace(/Command$/, ''),
      queue: queueName(args.input.QueueUrl),
    };
    requests.push(entry);
    const result = await next(args);
    if (entry.command === 'ReceiveMessage') entry.messages = result.output?.Messages?.length ?? 0;
    return result;
  };
  const name = 'benchRecordSqsRequests';
  for (const client of clients) {
    const add = client.middlewareStack.add.bind(client.middlewareStack) as unknown as (
      middleware: (next: Next, context: Context) => (args: Args) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ) => void;
    add(record, { step: 'initialize', name });
  }
  return {
    requests,
    stop() {
      for (const client of clients) client.middlewareStack.remove(name);
    },
  };
}

/** The requests by kind: `SendMessage <queue>`, `ReceiveMessage <queue>` (or `… (empty)`), `DeleteMessageBatch <queue>`. */
export function requestsByKind(
  requests: readonly RecordedRequest[],
  queueKind: (queue: string) => string,
): Map<string, number> {
  const kinds = new Map<string, number>();
  for (const request of requests) {
    const empty = request.command === 'ReceiveMessage' && request.messages === 0 ? ' (empty)' : '';
    const kind = `${request.command} ${queueKind(request.queue)}${empty}`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return new Map([...kinds].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
