/**
 * What a repository's writes and reads cost, measured on its own DocumentClient: a middleware that
 * asks DynamoDB for ReturnConsumedCapacity and keeps its answer, and, for writes, reads every item
 * the write touches just before and just after it (with a client of its own, consistently), so that
 * each item can be priced by AWS's published rules:
 *
 * - a put or an update is charged on the larger of the item before and after it, a delete on the
 *   item it deletes, 1 WCU per KiB started (at least 1);
 * - inside TransactWriteItems every item costs twice that, a ConditionCheck included;
 * - global secondary indexes as bench/lib/index-writes.ts prices them (standard writes of the
 *   projected entry, not doubled inside a transaction, as section 4 counts them).
 *
 * DynamoDB Local's own ConsumedCapacity is kept beside the computed figures: section 4 found that it
 * under-counts transactions, so it is a cross-check, not the figure.
 */
import { type AttributeValue, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../shared/config/resources.js';
import { type Item, itemSize, writeUnits } from './dynamodb-size.js';
import { indexWriteUnits } from './index-writes.js';

type Input = Record<string, unknown>;
type Args = { input: Input };
type Output = { output: Record<string, unknown> };
type Next = (args: Args) => Promise<Output>;
type Context = { commandName?: string };
type Middleware = (next: Next, context: Context) => (args: Args) => Promise<Output>;

/** The stack's overloads are typed per step; these middlewares are plain functions of (next, context). */
function addInitialize(client: DynamoDBDocumentClient, middleware: Middleware, name: string) {
  const add = client.middlewareStack.add.bind(client.middlewareStack) as unknown as (
    middleware: Middleware,
    options: { step: 'initialize'; name: string },
  ) => void;
  add(middleware, { step: 'initialize', name });
  return () => client.middlewareStack.remove(name);
}

type ConsumedCapacity = {
  CapacityUnits?: number;
  WriteCapacityUnits?: number;
  ReadCapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
};

/** DynamoDB's ConsumedCapacity answer (one entry or a list of them), summed. */
export type Reported = { total: number; table: number; indexes: Record<string, number> };

function reported(value: unknown): Reported | undefined {
  if (value === undefined) return undefined;
  const entries = (Array.isArray(value) ? value : [value]) as ConsumedCapacity[];
  const sum: Reported = { total: 0, table: 0, indexes: {} };
  for (const entry of entries) {
    sum.total += entry.CapacityUnits ?? 0;
    sum.table += entry.Table?.CapacityUnits ?? 0;
    for (const [index, units] of Object.entries(entry.GlobalSecondaryIndexes ?? {}))
      sum.indexes[index] = (sum.indexes[index] ?? 0) + (units.CapacityUnits ?? 0);
  }
  return sum;
}

export type Touched = {
  kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  pk: string;
  sk: string;
  before?: Item;
  after?: Item;
};

export type MeasuredWrite = {
  /** PutItem, UpdateItem, DeleteItem or TransactWriteItems. */
  command: string;
  touched: Touched[];
  reported?: Reported;
};

const WRITE_COMMAND = /^(PutItem|UpdateItem|DeleteItem|TransactWriteItems)Command$/;

type NativeKey = Record<string, unknown> | undefined;
const keyOf = (key: NativeKey) => ({
  pk: String(key?.[TABLE.partitionKey] ?? '?'),
  sk: String(key?.[TABLE.sortKey] ?? '?'),
});

/** The items a write touches, from the DocumentClient's (native, not yet marshalled) input. */
function touchedBy(command: string, input: Input): Touched[] {
  switch (command) {
    case 'PutItem':
      return [{ kind: 'Put', ...keyOf(input.Item as NativeKey) }];
    case 'UpdateItem':
      return [{ kind: 'Update', ...keyOf(input.Key as NativeKey) }];
    case 'DeleteItem':
      return [{ kind: 'Delete', ...keyOf(input.Key as NativeKey) }];
    case 'TransactWriteItems':
      return ((input.TransactItems ?? []) as Record<string, { Item?: NativeKey; Key?: NativeKey }>[]).map(
        (entry): Touched => {
          if (entry.Put) return { kind: 'Put', ...keyOf(entry.Put.Item) };
          if (entry.Update) return { kind: 'Update', ...keyOf(entry.Update.Key) };
          if (entry.Delete) return { kind: 'Delete', ...keyOf(entry.Delete.Key) };
          return { kind: 'ConditionCheck', ...keyOf(entry.ConditionCheck?.Key) };
        },
      );
    default:
      return [];
  }
}

/**
 * Records every write made through `client` (a DocumentClient the bench gave a repository): the
 * items it touched as they were before and after it, and DynamoDB's ReturnConsumedCapacity
 * ('INDEXES'). `raw` reads the items; it must not be `client`'s own base client.
 */
export function measureWrites(client: DynamoDBDocumentClient, raw: DynamoDBClient, tableName: string) {
  const writes: MeasuredWrite[] = [];
  const read = async (touched: Touched): Promise<Item | undefined> => {
    const { Item } = await raw.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { [TABLE.partitionKey]: { S: touched.pk }, [TABLE.sortKey]: { S: touched.sk } },
        ConsistentRead: true,
      }),
    );
    return Item as Item | undefined;
  };
  const stop = addInitialize(
    client,
    (next, context) => async (args) => {
      const command = WRITE_COMMAND.exec(context.commandName ?? '')?.[1];
      if (!command) return next(args);
      const touched = touchedBy(command, args.input);
      for (const entry of touched) entry.before = await read(entry);
      const result = await next({ ...args, input: { ...args.input, ReturnConsumedCapacity: 'INDEXES' } });
      for (const entry of touched) entry.after = await read(entry);
      writes.push({ command, touched, reported: reported(result.output.ConsumedCapacity) });
      return result;
    },
    'benchMeasureWrites',
  );
  return {
    /** The writes recorded since the last call. */
    take: () => writes.splice(0, writes.length),
    stop,
  };
}

/** What kind of item a key is, in the words of the report. */
export function itemKind(pk: string, sk: string): string {
  if (pk.startsWith('AGG#')) return 'aggregate';
  if (pk.startsWith('CASE#')) {
    if (sk === 'CASE') return 'case';
    if (sk.startsWith('TEAM#')) return 'work item';
    if (sk.startsWith('AUDIT#')) return 'audit';
    if (sk.startsWith('NOTE')) return 'note';
  }
  if (pk.startsWith('IDEMPOTENCY#')) return 'idempotency';
  if (pk.startsWith('PERSON#')) return 'person lock';
  if (pk.startsWith('REFERRAL#')) return 'referral';
  if (pk.startsWith('STATS#')) return 'statistics record';
  if (pk.startsWith('COUNTER#')) return 'reference counter';
  return pk.split('#')[0] ?? pk;
}

export type PricedItem = {
  kind: string;
  action: Touched['kind'];
  key: string;
  bytesBefore: number;
  bytesAfter: number;
  /** Write units on the table, the transaction's doubling included. */
  units: number;
  /** Write units on the global secondary indexes, by index. */
  indexUnits: Record<string, number>;
};

/** Every item of a write priced by AWS's rules (see the top of this file). */
export function priceWrite(write: MeasuredWrite): PricedItem[] {
  const factor = write.command === 'TransactWriteItems' ? 2 : 1;
  return write.touched.map((touched) => {
    const before = touched.before ? itemSize(touched.before) : 0;
    const after = touched.after ? itemSize(touched.after) : 0;
    const charged =
      touched.kind === 'Delete' || touched.kind === 'ConditionCheck' ? before : Math.max(before, after);
    return {
      kind: itemKind(touched.pk, touched.sk),
      action: touched.kind,
      key: `${touched.pk} / ${touched.sk}`,
      bytesBefore: before,
      bytesAfter: after,
      units: factor * writeUnits(charged),
      indexUnits:
        touched.kind === 'ConditionCheck' ? {} : indexWriteUnits(touched.before, touched.after ?? undefined),
    };
  });
}

export type MeasuredRead = {
  command: string;
  keysAsked: number;
  /** The size of each item found, by DynamoDB's rules. */
  itemBytes: number[];
  reported?: Reported;
  /** From the request to the unmarshalled answer (the SDK's retries included). */
  ms: number;
};

/** Sizes a native item (strings, numbers, and what the aggregates and audit items hold) roughly. */
function nativeValue(value: unknown): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value === null || value === undefined) return { NULL: true };
  if (Array.isArray(value)) return { L: value.map(nativeValue) };
  return { M: Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, nativeValue(inner)])) };
}

/**
 * Records every BatchGetItem, GetItem, Query and Scan made through `client`: keys asked, items and
 * bytes found, and DynamoDB's ReturnConsumedCapacity ('TOTAL').
 */
export function measureReads(client: DynamoDBDocumentClient) {
  const reads: MeasuredRead[] = [];
  const stop = addInitialize(
    client,
    (next, context) => async (args) => {
      const command = /^(BatchGetItem|GetItem|Query|Scan)Command$/.exec(context.commandName ?? '')?.[1];
      if (!command) return next(args);
      const started = performance.now();
      const result = await next({ ...args, input: { ...args.input, ReturnConsumedCapacity: 'TOTAL' } });
      const ms = performance.now() - started;
      const output = result.output;
      const found: Record<string, unknown>[] =
        command === 'BatchGetItem'
          ? Object.values((output.Responses ?? {}) as Record<string, Record<string, unknown>[]>).flat()
          : command === 'GetItem'
            ? output.Item
              ? [output.Item as Record<string, unknown>]
              : []
            : ((output.Items ?? []) as Record<string, unknown>[]);
      const asked =
        command === 'BatchGetItem'
          ? Object.values((args.input.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>).reduce(
              (sum, request) => sum + (request.Keys?.length ?? 0),
              0,
            )
          : command === 'GetItem'
            ? 1
            : 0;
      reads.push({
        command,
        keysAsked: asked,
        itemBytes: found.map((item) => itemSize(nativeValue(item).M as Record<string, AttributeValue>)),
        reported: reported(output.ConsumedCapacity),
        ms,
      });
      return result;
    },
    'benchMeasureReads',
  );
  return { take: () => reads.splice(0, reads.length), stop };
}

/** Read units of eventually consistent reads of these item sizes: ½ per 4 KiB started, per item. */
export const eventualReadUnits = (sizes: readonly number[]) =>
  sizes.reduce((sum, bytes) => sum + 0.5 * Math.max(1, Math.ceil(bytes / 4096)), 0);
