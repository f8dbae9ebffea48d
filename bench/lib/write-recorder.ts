import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../shared/config/resources.js';
import type { Item } from './dynamodb-size.js';

/** One item a write touches: what it puts (with the item) or updates, deletes or checks (by key). */
export type WriteAction = {
  kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  pk: string;
  sk: string;
  /** The item, for a put. */
  item?: Item;
};

export type RecordedWrite = {
  seq: number;
  /** PutItem, UpdateItem, DeleteItem, TransactWriteItems or BatchWriteItem. */
  command: string;
  actions: WriteAction[];
  error?: string;
};

const WRITE_COMMAND = /^(PutItem|UpdateItem|DeleteItem|TransactWriteItems|BatchWriteItem)Command$/;

type Input = Record<string, unknown>;
type Args = { input: Input };
type Next = (args: Args) => Promise<unknown>;
type Context = { commandName?: string };

const keyOf = (item: Item | undefined) => ({
  pk: item?.[TABLE.partitionKey]?.S ?? '?',
  sk: item?.[TABLE.sortKey]?.S ?? '?',
});

function actionsOf(command: string, input: Input): WriteAction[] {
  const put = (item: Item): WriteAction => ({ kind: 'Put', ...keyOf(item), item });
  const byKey = (kind: WriteAction['kind'], key: Item | undefined): WriteAction => ({ kind, ...keyOf(key) });
  switch (command) {
    case 'PutItem':
      return [put(input.Item as Item)];
    case 'UpdateItem':
      return [byKey('Update', input.Key as Item)];
    case 'DeleteItem':
      return [byKey('Delete', input.Key as Item)];
    case 'TransactWriteItems':
      return ((input.TransactItems ?? []) as Record<string, { Item?: Item; Key?: Item } | undefined>[]).map(
        (entry) => {
          if (entry.Put?.Item) return put(entry.Put.Item);
          if (entry.Update) return byKey('Update', entry.Update.Key);
          if (entry.Delete) return byKey('Delete', entry.Delete.Key);
          return byKey('ConditionCheck', entry.ConditionCheck?.Key);
        },
      );
    case 'BatchWriteItem':
      return Object.values(
        (input.RequestItems ?? {}) as Record<
          string,
          { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]
        >,
      )
        .flat()
        .map((request) =>
          request.PutRequest ? put(request.PutRequest.Item) : byKey('Delete', request.DeleteRequest?.Key),
        );
    default:
      return [];
  }
}

/**
 * Records every write the functions make through their shared DocumentClient (shared/clients.ts) in
 * this process: the command and the items as sent (after marshalling). Changes nothing; reads are
 * left alone.
 */
export function recordWrites(client: DynamoDBDocumentClient) {
  const writes: RecordedWrite[] = [];
  let seq = 0;
  const commandOf = (context: Context) => WRITE_COMMAND.exec(context.commandName ?? '')?.[1];

  // At the build step the input is marshalled (lib-dynamodb marshals just before serializing).
  const record = (next: Next, context: Context) => async (args: Args) => {
    const command = commandOf(context);
    if (!command) return next(args);
    const entry: RecordedWrite = {
      seq: seq++,
      command,
      actions: actionsOf(command, args.input),
    };
    writes.push(entry);
    try {
      return await next(args);
    } catch (error) {
      entry.error = error instanceof Error ? error.name : String(error);
      throw error;
    }
  };

  // The stack's overloads are typed per step; this is a plain function of (next, context).
  const add = client.middlewareStack.add.bind(client.middlewareStack) as unknown as (
    middleware: (next: Next, context: Context) => (args: Args) => Promise<unknown>,
    options: { step: 'build'; name: string },
  ) => void;
  add(record, { step: 'build', name: 'benchRecordWrites' });
  return {
    writes,
    stop() {
      client.middlewareStack.remove('benchRecordWrites');
    },
  };
}
