/**
 * Section 5 of `npm run bench`: the back office at scale. Seeds the local table with synthetic cases
 * (bench/lib/synthetic-case.ts) in exactly the items the API writes, with BatchWriteItem, and reads
 * them back over HTTP as a team does (bench/read-load.ts, in its own process).
 */
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { activeAssignments, teamStatus } from '../shared/cases/assignments.js';
import { itemsForCase } from '../shared/cases/case-items.js';
import type { ReferralRecord } from '../shared/cases/model.js';
import type { PersonKeyer } from '../shared/identity/person-key.js';
import { runChild, type Tracker } from './e2e.js';
import { max, percentile, round } from './lib/report.js';
import { type Random, type SyntheticCase, syntheticCase } from './lib/synthetic-case.js';
import type { ReadInput, ReadOutput, TargetOutput } from './read-load.js';

const READ_LOAD = fileURLToPath(new URL('./read-load.ts', import.meta.url));
const BATCH = 25;
const MAX_ATTEMPTS = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A referral as CaseRepository.acceptReferral puts it (its keys and the byAgency index keys). The
 * repository exports items for a case only (itemsForCase); a case read also fetches its referrals
 * (BatchGet), so the seed writes them too, and section 5 checks that the API finds them.
 */
export const referralItem = (referral: ReferralRecord) => ({
  pk: `REFERRAL#${referral.referralId}`,
  sk: 'REFERRAL',
  gsi1pk: `AGENCY#${referral.agency}`,
  gsi1sk: `${referral.submittedAt}#${referral.referralId}`,
  ...referral,
});

/**
 * The items the API would have written for a synthetic case, less the ones these two reads never
 * touch: the person's lock, the audit trail and a closed case's statistics item.
 */
export const itemsOf = ({ record, referrals }: SyntheticCase) => [
  ...itemsForCase(record),
  ...referrals.map(referralItem),
];

/** What the seeded work lists hold: entries per team by list, and the share of high priority. */
export type Spread = {
  cases: number;
  teamsPerCase: Record<string, number>;
  caseStatus: Record<string, number>;
  teams: Record<string, { open: number; closed: number; declined: number; highOpen: number }>;
  /** Cases each team may read (routed to it and not declined), for GET /cases/{id}. */
  readable: Record<string, string[]>;
  routedFrom: string;
  routedTo: string;
};

export const emptySpread = (): Spread => ({
  cases: 0,
  teamsPerCase: {},
  caseStatus: {},
  teams: {},
  readable: {},
  routedFrom: '9999',
  routedTo: '0000',
});

function count({ record }: SyntheticCase, spread: Spread) {
  spread.cases++;
  const active = activeAssignments(record.assignments);
  spread.teamsPerCase[active.length] = (spread.teamsPerCase[active.length] ?? 0) + 1;
  spread.caseStatus[record.status] = (spread.caseStatus[record.status] ?? 0) + 1;
  for (const assignment of Object.values(record.assignments)) {
    const team = spread.teams[assignment.team] ?? { open: 0, closed: 0, declined: 0, highOpen: 0 };
    spread.teams[assignment.team] = team;
    const status = teamStatus(assignment.state);
    // A team the client's consent no longer covers has lost the case: on no list, not readable.
    if (status === 'WITHDRAWN') continue;
    if (status === 'DECLINED') team.declined++;
    else if (status === 'CLOSED') team.closed++;
    else {
      team.open++;
      if (record.screening?.priority === 'high') team.highOpen++;
    }
    if (status !== 'DECLINED') {
      const readable = spread.readable[assignment.team] ?? [];
      spread.readable[assignment.team] = readable;
      readable.push(record.caseId);
    }
    if (assignment.routedAt < spread.routedFrom) spread.routedFrom = assignment.routedAt;
    if (assignment.routedAt > spread.routedTo) spread.routedTo = assignment.routedAt;
  }
}

export type SeedInput = {
  endpoint: string;
  region: string;
  tableName: string;
  /** Case numbers [from, to) of `total`: the identity numbers are unique across every call. */
  from: number;
  to: number;
  total: number;
  now: Date;
  random: Random;
  personKey: PersonKeyer;
  concurrency: number;
  spread: Spread;
  isStopped: () => boolean;
  /** Cases arrive over this many days before `now` (default: synthetic-case.ts's two years). */
  historyDays?: number;
  /** Sees every case as it is built (the statistics section sums their aggregates). */
  onCase?: (synthetic: SyntheticCase) => void;
};

export type SeedOutput = {
  cases: number;
  items: number;
  calls: number;
  /** Items DynamoDB left unprocessed and that were written again. */
  retriedItems: number;
  /** Building the cases and writing them, which overlap. */
  seconds: number;
};

/**
 * Builds cases [from, to) as they are written, 25 items per BatchWriteItem, `concurrency` calls at a
 * time: the items of a few batches are in memory at once, so the seed leaves no heap of garbage for
 * the API's process (the stack's) to collect while section 5 measures it.
 */
export async function seedCases(input: SeedInput): Promise<SeedOutput> {
  let items = 0;
  // An async generator queues its callers: the writers take batches one after another.
  async function* batches() {
    const pending: Record<string, unknown>[] = [];
    for (let n = input.from; n < input.to && !input.isStopped(); n++) {
      const synthetic = await syntheticCase(n, input);
      count(synthetic, input.spread);
      input.onCase?.(synthetic);
      pending.push(...itemsOf(synthetic));
      while (pending.length >= BATCH) yield pending.splice(0, BATCH);
    }
    if (pending.length > 0) yield pending;
  }
  const source = batches();
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: input.endpoint,
      region: input.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    // As the functions' own client (shared/clients.ts) marshals.
    { marshallOptions: { removeUndefinedValues: true } },
  );
  let calls = 0;
  let retriedItems = 0;
  const started = performance.now();
  const writer = async () => {
    for (let next = await source.next(); !next.done; next = await source.next()) {
      let requests = next.value.map((Item) => ({ PutRequest: { Item } }));
      items += requests.length;
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt === MAX_ATTEMPTS) throw new Error('DynamoDB Local kept items of a batch unprocessed');
        if (attempt > 0) await sleep(Math.random() * 20 * 2 ** attempt);
        calls++;
        const { UnprocessedItems } = await client.send(
          new BatchWriteCommand({ RequestItems: { [input.tableName]: requests } }),
        );
        requests = (UnprocessedItems?.[input.tableName] ?? []) as typeof requests;
        retriedItems += requests.length;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: input.concurrency }, writer));
  } finally {
    client.destroy();
  }
  return {
    cases: input.to - input.from,
    items,
    calls,
    retriedItems,
    seconds: (performance.now() - started) / 1000,
  };
}

export type ReadFigures = {
  requests: number;
  ok: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** The median of each round on its own: how much the figures move within one table size. */
  roundP50Ms: number[];
  requestsPerSecond: number;
  statusCounts: Record<string, number>;
  errors: number;
  /** Mean bytes of a 200 body. */
  bodyBytes: number;
  failures: string[];
};

function figuresOf(output: TargetOutput, requests: number): ReadFigures {
  const latencies = output.roundsMs.flat();
  return {
    requests,
    ok: latencies.length,
    latencyMs: {
      p50: round(percentile(latencies, 50), 2),
      p90: round(percentile(latencies, 90), 2),
      p99: round(percentile(latencies, 99), 2),
      max: round(max(latencies), 2),
    },
    roundP50Ms: output.roundsMs.map((samples) => round(percentile(samples, 50), 2)),
    requestsPerSecond: round(requests / output.durationSeconds, 1),
    statusCounts: output.statusCounts,
    errors: output.errors,
    bodyBytes: latencies.length ? Math.round(output.bodyBytes / latencies.length) : 0,
    failures: output.failures,
  };
}

/** Runs the read load in its own process; the figures of each target, by name. */
export async function measureReads(
  input: ReadInput,
  limitMs: number,
  track: Tracker,
): Promise<Record<string, ReadFigures>> {
  const output = await runChild<ReadInput, ReadOutput>(
    READ_LOAD,
    'BENCH_READ_LOAD',
    input,
    limitMs,
    track,
    'The read load',
  );
  return Object.fromEntries(output.targets.map((target) => [target.name, figuresOf(target, input.count)]));
}
