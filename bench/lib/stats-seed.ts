/**
 * A year of synthetic cases for the statistics benchmark (bench/stats.ts) and its integration test
 * (tests/integration/stats-read-bounded.test.ts), and the aggregate items they add up to.
 *
 * The cases are bench/lib/synthetic-case.ts's (screened by the default ruleset, routed, moved on by
 * the teams' own events, test identity numbers with serials 980–999), all of them opened within the
 * twelve Swedish months STATS_FROM..STATS_TO. Their statistics are written as the aggregates hold
 * them: for every case `contributions(statFacts(record))` is added to the counters of the item
 * AGG#<month> / <series>#<bucket of the counter key>, the item the live transactions ADD to
 * (shared/stats/repository.ts, aggregateWrites). The sums are written with BatchWriteItem, not case
 * by case through the API: the same items, in a fraction of the time.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseRecord } from '../../shared/cases/model.js';
import { keys } from '../../shared/data/table.js';
import type { PersonKeyer } from '../../shared/identity/person-key.js';
import {
  attributeOf,
  bucketOf,
  contributions,
  groupOfSeries,
  parseCounterId,
} from '../../shared/stats/contributions.js';
import { statFacts } from '../../shared/stats/facts.js';
import { itemSize } from './dynamodb-size.js';
import { type Random, type SyntheticCase, syntheticCase } from './synthetic-case.js';

/** The seeded year: every case is opened, and every team step taken, in 2026 (Swedish time). */
export const STATS_FROM = '2026-01';
export const STATS_TO = '2026-12';
/** "Now" for the synthetic cases: cases arrive evenly over the 360 days before it. */
export const STATS_NOW = new Date('2026-12-28T12:00:00Z');
export const STATS_HISTORY_DAYS = 360;

const BATCH = 25;
const MAX_ATTEMPTS = 10;
/** DynamoDB refuses an item over 400 KB; a live ADD to such an item would fail its whole transaction. */
export const MAX_ITEM_BYTES = 400 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The synthetic cases [from, to) of `total`, one at a time (they are built as they are asked for). */
export async function* statsCases(options: {
  from: number;
  to: number;
  total: number;
  random: Random;
  personKey: PersonKeyer;
}): AsyncGenerator<SyntheticCase> {
  for (let n = options.from; n < options.to; n++)
    yield await syntheticCase(n, {
      total: options.total,
      now: STATS_NOW,
      random: options.random,
      personKey: options.personKey,
      historyDays: STATS_HISTORY_DAYS,
    });
}

/** A native item of strings and numbers as attribute values, to size it by DynamoDB's rules. */
export function nativeItemSize(item: Record<string, unknown>): number {
  const values: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(item)) {
    if (typeof value === 'number') values[name] = { N: String(value) };
    else if (typeof value === 'string') values[name] = { S: value };
    else throw new Error(`nativeItemSize sizes strings and numbers only, not ${name}`);
  }
  return itemSize(values);
}

/**
 * The aggregates of many cases: per item (month, series, bucket of the key), counter key → count. A counter the
 * sum leaves at zero is kept, as a live ADD of −1 leaves its attribute in the item at 0.
 */
export class AggregateSums {
  private readonly byItem = new Map<string, Map<string, number>>();
  cases = 0;

  add(record: CaseRecord): void {
    this.cases++;
    for (const [id, delta] of contributions(statFacts(record))) {
      const { month, series, key } = parseCounterId(id);
      const itemId = `${month}\t${groupOfSeries(series)}\t${bucketOf(key)}`;
      const counters = this.byItem.get(itemId) ?? new Map<string, number>();
      const attribute = attributeOf(series, key);
      counters.set(attribute, (counters.get(attribute) ?? 0) + delta);
      this.byItem.set(itemId, counters);
    }
  }

  /** The items as the table holds them: the key, then one number attribute per counter (`series` is the item's group). */
  items(): { month: string; series: string; shard: number; item: Record<string, string | number> }[] {
    return [...this.byItem].map(([itemId, counters]) => {
      const [month = '', series = '', bucket = '0'] = itemId.split('\t');
      return {
        month,
        series,
        shard: Number(bucket),
        item: { ...keys.aggregate(month, series, Number(bucket)), ...Object.fromEntries(counters) },
      };
    });
  }
}

export type AggregateWrite = { items: number; calls: number; retriedItems: number; seconds: number };

/**
 * Puts the items, 25 per BatchWriteItem, `concurrency` calls at a time, and writes again what
 * DynamoDB left unprocessed. A put replaces the item, so writing the sums again after more cases
 * were added leaves the table holding the new sums.
 */
export async function writeAggregates(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, string | number>[],
  concurrency = 4,
): Promise<AggregateWrite> {
  for (const item of items) {
    const bytes = nativeItemSize(item);
    if (bytes > MAX_ITEM_BYTES)
      throw new Error(`Aggregate item ${item.pk} / ${item.sk} is ${bytes} bytes, over DynamoDB's 400 KB`);
  }
  const pending = [...items];
  let calls = 0;
  let retriedItems = 0;
  const started = performance.now();
  const writer = async () => {
    for (let batch = pending.splice(0, BATCH); batch.length > 0; batch = pending.splice(0, BATCH)) {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt === MAX_ATTEMPTS) throw new Error('DynamoDB Local kept aggregate items unprocessed');
        if (attempt > 0) await sleep(Math.random() * 20 * 2 ** attempt);
        calls++;
        const { UnprocessedItems } = await client.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
        );
        requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
        retriedItems += requests.length;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, writer));
  return { items: items.length, calls, retriedItems, seconds: (performance.now() - started) / 1000 };
}

/** The two 12-month, two-dimension questions the bench times and the bounded-read test asks. */
export const STATS_QUESTIONS = {
  participants: {
    indicator: 'participants-new',
    from: STATS_FROM,
    to: STATS_TO,
    interval: 'month',
    groupBy: 'targetGroup,gender',
  },
  leadTime: {
    indicator: 'lead-time',
    step: 'accepted',
    from: STATS_FROM,
    to: STATS_TO,
    interval: 'month',
    groupBy: 'team,gender',
  },
} as const;
