import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type MeasuredRead, measureReads } from '../../bench/lib/capacity.js';
import {
  AggregateSums,
  STATS_FROM,
  STATS_QUESTIONS,
  STATS_TO,
  statsCases,
  writeAggregates,
} from '../../bench/lib/stats-seed.js';
import { seededRandom } from '../../bench/lib/synthetic-case.js';
import { createCaseTable } from '../../local/dynamodb-local.js';
import { DEFAULT_DEPLOYMENT } from '../../shared/config/deployment.js';
import { personKeyerFromEnv } from '../../shared/identity/person-key.js';
import { DEFAULT_RULESET } from '../../shared/screening/default-ruleset.js';
import { BUCKETS, monthOf } from '../../shared/stats/contributions.js';
import { monthsBetween } from '../../shared/stats/query.js';
import { StatsRepository } from '../../shared/stats/repository.js';
import { readStats, type StatsResult } from '../../shared/stats/stats-service.js';

/**
 * Issue 9: a statistics question reads the aggregates of its months, never the cases, so what it
 * reads does not grow with the table. The same 12-month, two-dimension questions are asked of a
 * table of 200 cases and then, after 1,800 more were added, of 2,000: the same items are asked for
 * with the same calls, and the totals count exactly the cases (and acceptances) seeded. The cases
 * are the benchmark's synthetic ones (bench/lib/stats-seed.ts); only their aggregates are written,
 * as the live transactions would have added them up. Correctness only: nothing here is timed.
 */
const SIZES = [200, 2000] as const;
const QUESTIONS = STATS_QUESTIONS;
const CALLER = {
  subject: 'stats-test',
  groups: ['steering-group'],
  teams: [],
  admin: false,
  agency: undefined,
};

type Observed = { result: StatsResult; calls: MeasuredRead[] };
type AtSize = {
  cases: number;
  acceptances: number;
  participants: Observed;
  leadTime: Observed;
};

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let client: DynamoDBDocumentClient;
const observed: AtSize[] = [];

beforeAll(async () => {
  const raw = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'eu-north-1', credentials });
  client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const tableName = `stats-bounded-${randomUUID()}`;
  await createCaseTable(raw, tableName);
  const reads = measureReads(client);
  const deps = {
    stats: new StatsRepository(client, tableName),
    deployment: DEFAULT_DEPLOYMENT,
    ruleset: DEFAULT_RULESET,
    threshold: 5,
  };
  const ask = async (query: Record<string, string>): Promise<Observed> => {
    reads.take();
    const result = await readStats(deps, CALLER, query);
    return { result, calls: reads.take() };
  };
  const months = new Set(monthsBetween(STATS_FROM, STATS_TO));
  const sums = new AggregateSums();
  const random = seededRandom(9);
  const personKey = personKeyerFromEnv({ PERSON_KEY: '5e'.repeat(32) });
  let seeded = 0;
  let acceptances = 0;
  for (const size of SIZES) {
    for await (const { record } of statsCases({
      from: seeded,
      to: size,
      total: SIZES[1],
      random,
      personKey,
    })) {
      sums.add(record);
      expect(months.has(monthOf(record.createdAt))).toBe(true);
      for (const assignment of Object.values(record.assignments))
        if (assignment.acceptedAt && months.has(monthOf(assignment.acceptedAt))) acceptances++;
    }
    seeded = size;
    await writeAggregates(
      client,
      tableName,
      sums.items().map((entry) => entry.item),
    );
    observed.push({
      cases: size,
      acceptances,
      participants: await ask(QUESTIONS.participants),
      leadTime: await ask(QUESTIONS.leadTime),
    });
  }
  reads.stop();
});

afterAll(() => {
  client?.destroy();
});

const sumOfTotals = (result: StatsResult) =>
  result.answer.totals.reduce((sum, total) => sum + (total.n ?? 0), 0);
/** What a read asked DynamoDB for: the command and the number of keys of each call. */
const shape = (calls: MeasuredRead[]) => calls.map((call) => `${call.command}:${call.keysAsked}`);

describe('a 12-month, two-dimension statistics question at 200 and at 2,000 cases', () => {
  it('reads the same items, in the same calls, at both sizes', () => {
    const [small, large] = observed as [AtSize, AtSize];
    for (const question of ['participants', 'leadTime'] as const) {
      // 12 months × 1 series group × the buckets (100 keys a call): whatever the number of cases.
      expect(small[question].result.itemsRead).toBe(12 * BUCKETS);
      expect(large[question].result.itemsRead).toBe(small[question].result.itemsRead);
      expect(shape(large[question].calls)).toEqual(shape(small[question].calls));
      const keys = 12 * BUCKETS;
      expect(shape(small[question].calls)).toEqual(
        Array.from(
          { length: Math.ceil(keys / 100) },
          (_, call) => `BatchGetItem:${Math.min(100, keys - call * 100)}`,
        ),
      );
      for (const { calls } of [small[question], large[question]])
        for (const call of calls) expect(call.itemBytes.length).toBeLessThanOrEqual(call.keysAsked);
    }
  });

  it('counts every seeded case once in the totals of participants-new', () => {
    for (const size of observed) {
      const { answer } = size.participants.result;
      expect(answer.totals).toHaveLength(12);
      expect(answer.totals.every((total) => !total.suppressed)).toBe(true);
      expect(sumOfTotals(size.participants.result)).toBe(size.cases);
      // Grouped by two dimensions: a cell per month, target group and gender.
      expect(answer.cells).toHaveLength(12 * DEFAULT_RULESET.targetGroups.length * 2);
    }
  });

  it('counts every team acceptance once in the totals of the lead time to accept', () => {
    for (const size of observed) {
      const { answer } = size.leadTime.result;
      expect(answer.totals.every((total) => !total.suppressed)).toBe(true);
      expect(size.acceptances).toBeGreaterThan(size.cases / 2);
      expect(sumOfTotals(size.leadTime.result)).toBe(size.acceptances);
      expect(answer.cells).toHaveLength(12 * DEFAULT_DEPLOYMENT.teams.length * 2);
    }
  });
});
