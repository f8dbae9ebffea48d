import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { keys, TableAccess, type TransactItem } from '../data/table.js';
import { counterId, parseCounterId, type Series, SHARDS, shardOf } from './contributions.js';

/** Counters of one month and series, summed over the shards: key → count. */
export type Counters = Map<string, number>;
/** What a read loaded: month → series → counters, and how many items it read. */
export type Loaded = { counters: Map<string, Map<Series, Counters>>; itemsRead: number };

/** A statistics read, for the audit (CONTRACT.md v1.1: every statistics read is audited). */
export type StatsReadAudit = { at: string; subject: string; groups: string[]; query: Record<string, string> };

/** The snapshot of open cases at a month's end (the running sum of the `active` counters). */
export const SNAPSHOT = 'active-snapshot';

const COUNTER_ATTRIBUTES = new Set(['pk', 'sk']);
const countersOf = (item: Record<string, unknown>) =>
  Object.entries(item).filter(
    (entry): entry is [string, number] => !COUNTER_ATTRIBUTES.has(entry[0]) && typeof entry[1] === 'number',
  );

/**
 * The updates that add a change of a case to the aggregates: one ADD per item (month, series, the
 * case's shard), to go into the transaction that saves the case.
 */
export function aggregateWrites(
  tableName: string,
  caseId: string,
  diff: Map<string, number>,
): TransactItem[] {
  const byItem = new Map<string, { month: string; series: Series; adds: [string, number][] }>();
  for (const [id, delta] of diff) {
    const { month, series, key } = parseCounterId(id);
    const itemId = `${month}\t${series}`;
    const entry = byItem.get(itemId) ?? { month, series, adds: [] };
    entry.adds.push([key, delta]);
    byItem.set(itemId, entry);
  }
  return [...byItem.values()].map(({ month, series, adds }) => ({
    Update: {
      TableName: tableName,
      Key: keys.aggregate(month, series, shardOf(caseId)),
      UpdateExpression: `ADD ${adds.map((_, index) => `#c${index} :v${index}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(adds.map(([key], index) => [`#c${index}`, key])),
      ExpressionAttributeValues: Object.fromEntries(adds.map(([, delta], index) => [`:v${index}`, delta])),
    },
  }));
}

/** The aggregates: read by month and series, a bounded number of items whatever the number of cases. */
export class StatsRepository extends TableAccess {
  /** The counters of these months and series: months × series × shards items, in batches of 100. */
  async load(months: readonly string[], series: readonly Series[]): Promise<Loaded> {
    const wanted = months.flatMap((month) =>
      series.flatMap((name) =>
        Array.from({ length: SHARDS }, (_, shard) => keys.aggregate(month, name, shard)),
      ),
    );
    const items = await this.batchGetRaw(wanted);
    const counters = new Map<string, Map<Series, Counters>>();
    for (const item of items) {
      const month = String(item.pk).slice('AGG#'.length);
      const name = String(item.sk).split('#')[0] as Series;
      const perMonth = counters.get(month) ?? new Map<Series, Counters>();
      const sums = perMonth.get(name) ?? new Map<string, number>();
      for (const [key, value] of countersOf(item)) sums.set(key, (sums.get(key) ?? 0) + value);
      perMonth.set(name, sums);
      counters.set(month, perMonth);
    }
    return { counters, itemsRead: wanted.length };
  }

  /** Snapshots of open cases at these months' ends, where taken. */
  async snapshots(months: readonly string[]): Promise<Map<string, Counters>> {
    const items = await this.batchGetRaw(months.map((month) => keys.aggregate(month, SNAPSHOT, 0)));
    return new Map(
      items.map((item) => [String(item.pk).slice('AGG#'.length), new Map(countersOf(item))] as const),
    );
  }

  async putSnapshot(month: string, counters: Counters): Promise<void> {
    const nonZero = [...counters].filter(([, value]) => value !== 0);
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.aggregate(month, SNAPSHOT, 0), ...Object.fromEntries(nonZero) },
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

  /** Every aggregate item as stored (for `stats:verify` and `stats:rebuild`): counter id → value. */
  async allCounters(): Promise<{ counters: Map<string, number>; snapshots: Map<string, Counters> }> {
    const counters = new Map<string, number>();
    const snapshots = new Map<string, Counters>();
    for (const item of await this.scanPrefix('AGG#')) {
      const month = String(item.pk).slice('AGG#'.length);
      const name = String(item.sk).split('#')[0]!;
      if (name === SNAPSHOT) {
        snapshots.set(month, new Map(countersOf(item).filter(([, value]) => value !== 0)));
        continue;
      }
      for (const [key, value] of countersOf(item)) {
        const id = counterId({ month, series: name as Series, key });
        const sum = (counters.get(id) ?? 0) + value;
        if (sum === 0) counters.delete(id);
        else counters.set(id, sum);
      }
    }
    return { counters, snapshots };
  }

  /** Replaces every aggregate with these counters (written to shard 0) and snapshots. */
  async replaceAll(counters: Map<string, number>, snapshots: Map<string, Counters>): Promise<number> {
    for (const item of await this.scanPrefix('AGG#'))
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } }));
    const items = new Map<string, Record<string, unknown>>();
    for (const [id, value] of counters) {
      const { month, series, key } = parseCounterId(id);
      const itemKey = keys.aggregate(month, series, 0);
      const item = items.get(`${itemKey.pk}\t${itemKey.sk}`) ?? { ...itemKey };
      item[key] = value;
      items.set(`${itemKey.pk}\t${itemKey.sk}`, item);
    }
    for (const item of items.values())
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: item }));
    for (const [month, snapshot] of snapshots) await this.putSnapshot(month, snapshot);
    return items.size;
  }

  /** Every item whose partition key starts with the prefix (a full scan: operator commands only). */
  async scanPrefix(prefix: string): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'begins_with(pk, :prefix)',
          ExpressionAttributeValues: { ':prefix': prefix },
          ExclusiveStartKey: start,
        }),
      );
      found.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return found;
  }
}
