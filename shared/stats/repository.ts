import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  everyPage,
  jitter,
  keys,
  MAX_ATTEMPTS,
  sleep,
  TableAccess,
  type TransactItem,
} from '../data/table.js';
import {
  attributeOf,
  BUCKETS,
  bucketOf,
  counterId,
  groupOfSeries,
  parseAttribute,
  parseCounterId,
  type Series,
} from './contributions.js';

/** Counters of one month and series, summed over the buckets: key → count. */
export type Counters = Map<string, number>;
/** What a read loaded: month → series → counters, and how many items it asked for. */
export type Loaded = { counters: Map<string, Map<Series, Counters>>; itemsRead: number };

/** A statistics read, for the audit (CONTRACT.md v1.1: every statistics read is audited). */
export type StatsReadAudit = { at: string; subject: string; groups: string[]; query: Record<string, string> };

const KEY_ATTRIBUTES = new Set(['pk', 'sk']);
const countersOf = (item: Record<string, unknown>) =>
  Object.entries(item).filter(
    (entry): entry is [string, number] => !KEY_ATTRIBUTES.has(entry[0]) && typeof entry[1] === 'number',
  );
/** An aggregate item's month (from `AGG#<month>`). */
const monthOfItem = (item: Record<string, unknown>) => String(item.pk).slice('AGG#'.length);

/** Where a counter is stored: the item its month, series group and bucket name, and its attribute there. */
function placeOf(id: string) {
  const { month, series, key } = parseCounterId(id);
  const itemKey = keys.aggregate(month, groupOfSeries(series), bucketOf(key));
  return { itemKey, itemId: `${itemKey.pk}\t${itemKey.sk}`, attribute: attributeOf(series, key) };
}

/**
 * The updates that add a change of a case to the aggregates, to go into the transaction that saves
 * the case: one ADD per item touched, each counter in the item its key hashes to.
 */
export function aggregateWrites(tableName: string, diff: Map<string, number>): TransactItem[] {
  const byItem = new Map<string, { key: Record<string, string>; adds: [string, number][] }>();
  for (const [id, delta] of diff) {
    const { itemKey, itemId, attribute } = placeOf(id);
    const entry = byItem.get(itemId) ?? { key: itemKey, adds: [] as [string, number][] };
    entry.adds.push([attribute, delta]);
    byItem.set(itemId, entry);
  }
  return [...byItem.values()].map(({ key, adds }) => ({
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: `ADD ${adds.map((_, index) => `#c${index} :v${index}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(adds.map(([name], index) => [`#c${index}`, name])),
      ExpressionAttributeValues: Object.fromEntries(adds.map(([, delta], index) => [`:v${index}`, delta])),
    },
  }));
}

/** The aggregates: read by month and series group, months × groups × BUCKETS items whatever the number of cases. */
export class StatsRepository extends TableAccess {
  /** The counters of these months and series, by BatchGetItem of every bucket's item of their groups. */
  async load(months: readonly string[], series: readonly Series[]): Promise<Loaded> {
    const groups = [...new Set(series.map(groupOfSeries))];
    const wanted = months.flatMap((month) =>
      groups.flatMap((group) =>
        Array.from({ length: BUCKETS }, (_, bucket) => keys.aggregate(month, group, bucket)),
      ),
    );
    const counters = new Map<string, Map<Series, Counters>>();
    for (const month of months)
      counters.set(month, new Map(series.map((name) => [name, new Map<string, number>()] as const)));
    for (const item of await this.batchGetRaw(wanted)) {
      const perMonth = counters.get(monthOfItem(item));
      for (const [name, value] of countersOf(item)) {
        const { series: itsSeries, key } = parseAttribute(name);
        const sums = perMonth?.get(itsSeries);
        if (sums && value !== 0) sums.set(key, (sums.get(key) ?? 0) + value);
      }
    }
    return { counters, itemsRead: wanted.length };
  }

  /** Snapshots of open cases at these months' ends, where taken: one item per month. */
  async snapshots(months: readonly string[]): Promise<Map<string, Counters>> {
    const items = await this.batchGetRaw(months.map(keys.snapshot));
    return new Map(items.map((item) => [monthOfItem(item), new Map(countersOf(item))]));
  }

  async putSnapshot(month: string, counters: Counters): Promise<void> {
    const nonZero = [...counters].filter(([, value]) => value !== 0);
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.snapshot(month), ...Object.fromEntries(nonZero) },
      }),
    );
  }

  /** Appends who read which figures (no personal data: the query names groups, months and dimensions). */
  async recordRead(entry: StatsReadAudit): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.statsAudit(entry.at.slice(0, 7), entry.at, randomUUID()), ...entry },
      }),
    );
  }

  /** Every aggregate as stored (for `stats:verify` and `stats:rebuild`): counter id → value, and the snapshots. */
  async allCounters(): Promise<{ counters: Map<string, number>; snapshots: Map<string, Counters> }> {
    const counters = new Map<string, number>();
    const snapshots = new Map<string, Counters>();
    for (const item of await this.scanPrefix('AGG#')) {
      const month = monthOfItem(item);
      if (item.sk === keys.snapshot(month).sk) {
        snapshots.set(month, new Map(countersOf(item).filter(([, value]) => value !== 0)));
        continue;
      }
      for (const [name, value] of countersOf(item)) {
        const { series, key } = parseAttribute(name);
        const id = counterId({ month, series, key });
        const sum = (counters.get(id) ?? 0) + value;
        if (sum === 0) counters.delete(id);
        else counters.set(id, sum);
      }
    }
    return { counters, snapshots };
  }

  /** Replaces every aggregate with these counters and snapshots. */
  async replaceAll(counters: Map<string, number>, snapshots: Map<string, Counters>): Promise<number> {
    const stored = await this.scanPrefix('AGG#');
    await this.writeAll(stored.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })));
    const items = new Map<string, Record<string, unknown>>();
    for (const [id, value] of counters) {
      const { itemKey, itemId, attribute } = placeOf(id);
      const item = items.get(itemId) ?? { ...itemKey };
      item[attribute] = value;
      items.set(itemId, item);
    }
    await this.writeAll([...items.values()].map((Item) => ({ PutRequest: { Item } })));
    for (const [month, snapshot] of snapshots) await this.putSnapshot(month, snapshot);
    return items.size;
  }

  /** Puts and deletes 25 at a time (BatchWriteItem), retrying what DynamoDB leaves unprocessed. */
  private async writeAll(
    requests: readonly (
      | { PutRequest: { Item: Record<string, unknown> } }
      | { DeleteRequest: { Key: Record<string, unknown> } }
    )[],
  ): Promise<void> {
    for (let start = 0; start < requests.length; start += 25) {
      let request: Record<string, unknown[]> | undefined = {
        [this.tableName]: requests.slice(start, start + 25),
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        if (attempt === MAX_ATTEMPTS) throw new Error('DynamoDB left aggregate items unprocessed');
        const { UnprocessedItems } = await this.db.send(
          new BatchWriteCommand({ RequestItems: request as never }),
        );
        request = UnprocessedItems as typeof request;
        if (request && Object.keys(request).length > 0) await sleep(jitter(attempt));
      }
    }
  }

  /** Every item whose partition key starts with the prefix (a full scan: operator commands only). */
  async scanPrefix(prefix: string): Promise<Record<string, unknown>[]> {
    return everyPage((start) =>
      this.db.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'begins_with(pk, :prefix)',
          ExpressionAttributeValues: { ':prefix': prefix },
          ExclusiveStartKey: start,
        }),
      ),
    );
  }
}
