/**
 * Section 7 of `npm run bench`, and a program of its own (`npx tsx bench/stats.ts`, with a DynamoDB
 * Local of its own): the statistics of issue 9, at two table sizes (BENCH_CASES_SMALL, default 1,000,
 * and BENCH_CASES_LARGE, default 20,000 cases, all opened within the twelve months of 2026).
 *
 *  a. Reads: two 12-month, two-dimension questions, `participants-new` by target group and gender and
 *     `lead-time` (step accepted) by team and gender, interval month, through readStats itself
 *     (shared/stats/stats-service.ts), BENCH_STATS_RUNS times each (default 50) after a few untimed:
 *     items read, what DynamoDB sent back, and the latency, in this process.
 *  b. Writes: what a case event costs with and without its aggregate updates. Two probe cases go
 *     through the repository's own transactions (CaseRepository.acceptReferral and saveCase, with
 *     the audit and Idempotency-Key records the API writes) on the seeded table, their events in
 *     November 2026, a full month: the aggregate items they add to are as large as a month's get.
 *     Every item touched is read before and after the write and priced by AWS's item-size rules
 *     (bench/lib/capacity.ts); DynamoDB Local's ReturnConsumedCapacity ('INDEXES') is shown beside.
 *
 * The seed (bench/lib/stats-seed.ts) sums `contributions(statFacts(case))` per aggregate item and
 * puts the sums; with BENCH_STATS_CASE_ITEMS=1 (the default) the cases' own items and referrals are
 * written too (as section 5 writes them), although the questions read only the aggregates.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createCaseTable, type DynamoDbLocal, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { freePort } from '../local/ports.js';
import { BUCKETS } from '../shared/stats/contributions.js';
import type { MeasuredRead, MeasuredWrite, PricedItem } from './lib/capacity.js';
import { fixed, max, median, note, percentile, round, section, table } from './lib/report.js';

export type StatsSectionInput = {
  endpoint: string;
  region: string;
  /** Cases in the table at each measurement, ascending (the seed adds to the table between them). */
  sizes: readonly number[];
  runs: number;
  warmup: number;
  /** Also write the cases' own items (case, work items, referrals), not only the aggregates. */
  caseItems: boolean;
  isStopped: () => boolean;
};

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
/** The seed's person keys: any key will do for synthetic people (never a deployment's). */
const BENCH_PERSON_KEY = 'b3'.repeat(32);
const CALLER = {
  subject: 'bench',
  groups: ['steering-group'],
  teams: [] as string[],
  admin: false,
  agency: undefined,
};
const SEED_CONCURRENCY = 4;

const thousands = (value: number) => value.toLocaleString('en');
const kib = (bytes: number) => bytes / 1024;

type Question = { name: string; query: Record<string, string> };

/** Probe cases: who refers them and what the ruleset makes of them (checked when they are screened). */
type Probe = {
  name: string;
  agency: 'municipality' | 'employment-service';
  situation: Record<string, unknown>;
  /** The team whose events are measured. */
  team: string;
};

const PROBES: readonly Probe[] = [
  {
    name: 'A',
    agency: 'municipality',
    situation: { financialAssistanceMonths: 14 },
    team: 'labour-market-unit',
  },
  {
    name: 'B',
    agency: 'employment-service',
    // The README's example referral: TG1 and TG2, three teams, a joint assessment.
    situation: {
      unemployedMonths: 14,
      unemploymentInsuranceExhausted: true,
      jobAndDevelopmentGuarantee: true,
      workCapacityHoursPerWeek: 20,
    },
    team: 'employment-service',
  },
];

/** When the probes' steps happen: November 2026, a month the seed filled. */
const PROBE_TIMES = {
  referral: '2026-11-02T08:00:00.000Z',
  screened: '2026-11-02T08:00:20.000Z',
  accepted: '2026-11-04T09:00:00.000Z',
  started: '2026-11-12T09:00:00.000Z',
  closed: '2026-11-26T09:00:00.000Z',
};

type EventCost = {
  cases: number;
  probe: string;
  route: string;
  event: string;
  writes: number;
  items: number;
  aggregateItems: number;
  units: number;
  aggregateUnits: number;
  unitsWithoutAggregates: number;
  indexUnits: number;
  reported: number | null;
  priced: PricedItem[];
};

type ReadFigure = {
  cases: number;
  question: string;
  itemsRead: number[];
  batchGetCalls: number;
  otherCalls: string[];
  itemsFound: number;
  kibFound: number;
  readUnits: number;
  reportedReadUnits: number | null;
  latencyMs: { p50: number; p99: number; max: number };
  /** The BatchGetItem calls alone (DynamoDB Local and the SDK), per read. */
  dynamoMs: { p50: number; p99: number };
  totalN: number;
  cells: number;
  /** The machine's 1-minute load average when the timed reads began. */
  loadAverage: number;
};

/** An event's writes, priced item by item, and their sums with and without the aggregate items. */
function summarise(
  what: { cases: number; probe: Probe; route: string; event: string },
  writes: MeasuredWrite[],
  price: (write: MeasuredWrite) => PricedItem[],
): EventCost {
  let units = 0;
  let aggregateUnits = 0;
  let unitsWithoutAggregates = 0;
  let indexUnits = 0;
  let reported = 0;
  let reportedAll = true;
  const priced: PricedItem[] = [];
  for (const write of writes) {
    const items = price(write);
    priced.push(...items);
    const sum = (list: PricedItem[]) => list.reduce((total, item) => total + item.units, 0);
    const others = items.filter((item) => item.kind !== 'aggregate');
    units += sum(items);
    aggregateUnits += sum(items.filter((item) => item.kind === 'aggregate'));
    // saveCase sends a lone case put as PutItem, not as a transaction of one.
    unitsWithoutAggregates +=
      write.command === 'TransactWriteItems' && others.length === 1 ? sum(others) / 2 : sum(others);
    indexUnits += items.reduce(
      (total, item) => total + Object.values(item.indexUnits).reduce((a, b) => a + b, 0),
      0,
    );
    if (write.reported) reported += write.reported.total;
    else reportedAll = false;
  }
  return {
    cases: what.cases,
    probe: what.probe.name,
    route: what.route,
    event: what.event,
    writes: writes.length,
    items: priced.length,
    aggregateItems: priced.filter((item) => item.kind === 'aggregate').length,
    units,
    aggregateUnits,
    unitsWithoutAggregates,
    indexUnits,
    reported: reportedAll ? reported : null,
    priced,
  };
}

/** Section 7: prints its tables and answers its figures for results.json. */
export async function statsSection(input: StatsSectionInput) {
  const [smallest = 0] = input.sizes;
  const largest = Math.max(...input.sizes);
  section(
    `7. Statistics: a 12-month, two-dimension question at ${input.sizes.map(thousands).join(' and ')} cases, ` +
      'and the write units a case event spends on the aggregates',
  );
  // Imported only now: the domain modules create the functions' logger when first imported.
  const {
    AggregateSums,
    nativeItemSize,
    STATS_FROM,
    STATS_HISTORY_DAYS,
    STATS_NOW,
    STATS_QUESTIONS,
    STATS_TO,
    statsCases,
    writeAggregates,
  } = await import('./lib/stats-seed.js');
  const { measureReads, measureWrites, priceWrite, eventualReadUnits } = await import('./lib/capacity.js');
  const { seededRandom } = await import('./lib/synthetic-case.js');
  const { emptySpread, seedCases } = await import('./back-office.js');
  const { personKeyerFromEnv } = await import('../shared/identity/person-key.js');
  const { StatsRepository } = await import('../shared/stats/repository.js');
  const { readStats } = await import('../shared/stats/stats-service.js');
  const { DEFAULT_DEPLOYMENT, FRONT_DESK } = await import('../shared/config/deployment.js');
  const { DEFAULT_RULESET } = await import('../shared/screening/default-ruleset.js');
  const { CaseRepository } = await import('../shared/cases/repository.js');
  const { applyCaseEvent } = await import('../shared/cases/case-events.js');
  const { screenCase } = await import('../shared/screening/screen-case.js');
  const { applyScreening } = await import('../shared/routing/route-case.js');
  const { idempotencyRequest } = await import('../shared/idempotency.js');
  const { parsePersonalIdentityNumber } = await import('../shared/identity/personal-identity-number.js');
  const { testIdentityNumber } = await import('../tests/helpers/identity-numbers.js');

  const config = { endpoint: input.endpoint, region: input.region, credentials };
  // As the functions' own client (shared/clients.ts) marshals.
  const client = () =>
    DynamoDBDocumentClient.from(new DynamoDBClient(config), {
      marshallOptions: { removeUndefinedValues: true },
    });
  const raw = new DynamoDBClient(config);
  const seedClient = client();
  const statsClient = client();
  const caseClient = client();
  const tableName = `frontdesk-bench-stats-${randomUUID().slice(0, 8)}`;
  await createCaseTable(raw, tableName);
  const reads = measureReads(statsClient);
  const writes = measureWrites(caseClient, raw, tableName);
  const deps = {
    stats: new StatsRepository(statsClient, tableName),
    deployment: DEFAULT_DEPLOYMENT,
    ruleset: DEFAULT_RULESET,
    threshold: 5,
  };
  const cases = new CaseRepository(caseClient, tableName);
  const personKey = personKeyerFromEnv({ PERSON_KEY: BENCH_PERSON_KEY });
  const random = seededRandom(2026);
  const spread = emptySpread();
  const sums = new AggregateSums();
  const questions: Question[] = [
    { name: 'participants-new by targetGroup,gender', query: STATS_QUESTIONS.participants },
    { name: 'lead-time (accepted) by team,gender', query: STATS_QUESTIONS.leadTime },
  ];

  const seeding: Record<string, unknown>[] = [];
  const itemFigures: Record<string, unknown>[] = [];
  const readFigures: ReadFigure[] = [];
  const eventCosts: EventCost[] = [];
  const routes = new Map<string, string>();
  let seeded = 0;

  try {
    for (const [sizeIndex, size] of input.sizes.entries()) {
      // Seed: the cases (and, if asked, their items), then every aggregate item with the new sums.
      const seedStarted = performance.now();
      let caseItems = 0;
      if (input.caseItems) {
        const seed = await seedCases({
          endpoint: input.endpoint,
          region: input.region,
          tableName,
          from: seeded,
          to: size,
          total: largest,
          now: STATS_NOW,
          random,
          personKey,
          concurrency: SEED_CONCURRENCY,
          spread,
          isStopped: input.isStopped,
          historyDays: STATS_HISTORY_DAYS,
          onCase: (synthetic) => sums.add(synthetic.record),
        });
        caseItems = seed.items;
      } else {
        for await (const synthetic of statsCases({
          from: seeded,
          to: size,
          total: largest,
          random,
          personKey,
        }))
          sums.add(synthetic.record);
      }
      if (input.isStopped()) return undefined;
      seeded = size;
      const aggregates = sums.items();
      const written = await writeAggregates(
        seedClient,
        tableName,
        aggregates.map((entry) => entry.item),
      );
      seeding.push({
        cases: size,
        caseItems,
        aggregateItems: written.items,
        seconds: round((performance.now() - seedStarted) / 1000, 1),
      });

      // The aggregate items as stored: counters and bytes per series.
      const bySeries = new Map<string, { bytes: number[]; counters: number[] }>();
      for (const { series, item } of aggregates) {
        const entry = bySeries.get(series) ?? { bytes: [], counters: [] };
        entry.bytes.push(nativeItemSize(item));
        entry.counters.push(Object.keys(item).length - 2);
        bySeries.set(series, entry);
      }
      for (const [series, entry] of bySeries)
        itemFigures.push({
          cases: size,
          series,
          items: entry.bytes.length,
          countersMedian: median(entry.counters),
          countersMax: max(entry.counters),
          bytesMedian: median(entry.bytes),
          bytesMax: max(entry.bytes),
        });

      // a. Reads.
      for (let run = 0; run < input.warmup; run++)
        for (const question of questions) await readStats(deps, CALLER, question.query);
      reads.take();
      const loadAverage = round(loadavg()[0] ?? 0, 1);
      const samples = new Map<string, { ms: number[]; itemsRead: number[]; calls: MeasuredRead[][] }>();
      let lastAnswer = new Map<string, Awaited<ReturnType<typeof readStats>>>();
      for (let run = 0; run < input.runs && !input.isStopped(); run++) {
        for (const question of questions) {
          const started = performance.now();
          const result = await readStats(deps, CALLER, question.query);
          const ms = performance.now() - started;
          const entry = samples.get(question.name) ?? { ms: [], itemsRead: [], calls: [] };
          entry.ms.push(ms);
          entry.itemsRead.push(result.itemsRead);
          entry.calls.push(reads.take());
          samples.set(question.name, entry);
          lastAnswer = new Map(lastAnswer).set(question.name, result);
        }
      }
      for (const question of questions) {
        const entry = samples.get(question.name);
        const answer = lastAnswer.get(question.name);
        if (!entry || !answer) continue;
        // Every run reads the same keys; the last run's calls stand for all of them.
        const calls = entry.calls.at(-1) ?? [];
        const batchGets = calls.filter((call) => call.command === 'BatchGetItem');
        const itemBytes = batchGets.flatMap((call) => call.itemBytes);
        const dynamoMs = entry.calls.map((run) =>
          run.filter((call) => call.command === 'BatchGetItem').reduce((sum, call) => sum + call.ms, 0),
        );
        const reported = batchGets.every((call) => call.reported)
          ? batchGets.reduce((sum, call) => sum + (call.reported?.total ?? 0), 0)
          : null;
        readFigures.push({
          cases: size,
          question: question.name,
          itemsRead: [...new Set(entry.itemsRead)],
          batchGetCalls: batchGets.length,
          otherCalls: calls.filter((call) => call.command !== 'BatchGetItem').map((call) => call.command),
          itemsFound: itemBytes.length,
          kibFound: round(kib(itemBytes.reduce((a, b) => a + b, 0)), 1),
          readUnits: eventualReadUnits(itemBytes),
          reportedReadUnits: reported,
          latencyMs: {
            p50: round(percentile(entry.ms, 50), 2),
            p99: round(percentile(entry.ms, 99), 2),
            max: round(max(entry.ms), 2),
          },
          dynamoMs: {
            p50: round(percentile(dynamoMs, 50), 2),
            p99: round(percentile(dynamoMs, 99), 2),
          },
          totalN: answer.answer.totals.reduce((sum, total) => sum + (total.n ?? 0), 0),
          cells: answer.answer.cells.length,
          loadAverage,
        });
      }
      if (input.isStopped()) return undefined;

      // b. Writes: each probe through referral, screening, accept, intervention and close.
      for (const [probeIndex, probe] of PROBES.entries()) {
        const birth = `1981-0${1 + probeIndex}-${String(10 + sizeIndex).padStart(2, '0')}`;
        const number = testIdentityNumber(birth, { serial: 990 });
        const parsed = parsePersonalIdentityNumber(number, new Date(PROBE_TIMES.referral));
        if (!parsed.ok) throw new Error(`Probe identity number ${number}: ${parsed.reason}`);
        const person = {
          personalIdentityNumber: parsed.value.normalised,
          givenName: 'Anna',
          familyName: 'Exempel',
          municipalityCode: DEFAULT_DEPLOYMENT.municipalityCode,
        };
        const body = {
          person,
          consent: { given: true, recordedAt: '2026-11-02', method: 'written' },
          situation: probe.situation,
        };
        const cost = (event: string, measured: MeasuredWrite[]) =>
          summarise({ cases: size, probe, route: routes.get(probe.name) ?? '', event }, measured, priceWrite);

        const outcome = await cases.acceptReferral({
          referral: {
            referralId: randomUUID(),
            agency: probe.agency,
            submittedAt: PROBE_TIMES.referral,
            submittedBy: 'bench-officer',
            person,
            consent: { given: true, recordedAt: '2026-11-02', method: 'written' },
            situation: probe.situation,
          },
          personKey: await personKey(person.personalIdentityNumber),
          idempotency: idempotencyRequest(probe.agency, `bench-${randomUUID()}`, body),
          // Fixed ids: each probe's counters land in the same buckets in every run.
          newCaseId: () =>
            `00000000-0000-4000-8000-${String(100 * probeIndex + sizeIndex).padStart(12, '0')}`,
          audit: { subject: 'bench-officer', groups: [`agency-${probe.agency}`] },
        });
        const caseId = outcome.caseId;
        const referralWrites = writes.take();

        const received = await cases.getCase(caseId);
        if (!received) throw new Error(`Probe case ${caseId} was not stored`);
        const decision = screenCase(
          {
            personalIdentityNumber: received.person.personalIdentityNumber,
            municipalityCode: received.person.municipalityCode,
            referrals: received.referrals,
          },
          DEFAULT_RULESET,
          DEFAULT_DEPLOYMENT,
          new Date(PROBE_TIMES.screened),
        );
        const routed = applyScreening(received, decision, FRONT_DESK);
        if (!routed.assignments[probe.team])
          throw new Error(
            `Probe ${probe.name} was not routed to ${probe.team}: ${decision.routes.join(', ')}`,
          );
        routes.set(
          probe.name,
          `${probe.agency}: ${decision.targetGroups.join('+')} → ${Object.keys(routed.assignments).length} team(s)`,
        );
        await cases.saveCase(routed, received);
        const screeningWrites = writes.take();
        // The screening step then clears the outbox it delivered (no statistics change: not measured).
        await cases.saveCase({ ...routed, outbox: [] }, routed);
        writes.take();

        eventCosts.push(cost('referral accepted (new case)', referralWrites));
        eventCosts.push(cost('screened and routed', screeningWrites));
        for (const [type, at, label] of [
          ['accepted', PROBE_TIMES.accepted, 'accepted'],
          ['intervention-started', PROBE_TIMES.started, 'intervention started'],
          ['closed', PROBE_TIMES.closed, 'closed'],
        ] as const) {
          const record = await cases.getCase(caseId);
          if (!record) throw new Error(`Probe case ${caseId} is gone`);
          const event = {
            type,
            team: probe.team,
            ...(type === 'closed' ? { outcome: 'employment' as const } : {}),
          };
          const next = applyCaseEvent(record, event, at, FRONT_DESK, {
            id: 'bench-caseworker',
            name: 'Bench',
          });
          const answer = {
            caseId,
            status: next.status,
            version: next.version,
            team: probe.team,
            assignment: next.assignments[probe.team]?.state ?? 'declined',
          };
          const idempotency = idempotencyRequest(`EVENT#${caseId}`, `bench-${randomUUID()}`, event);
          await cases.saveCase(next, record, {
            audit: {
              at,
              action: type,
              subject: 'bench-caseworker',
              groups: [`team-${probe.team}`],
              team: probe.team,
            },
            ...(idempotency ? { idempotency: { ...idempotency, response: answer } } : {}),
          });
          const closesCase = type === 'closed' && next.status === 'CLOSED';
          const name =
            type === 'closed' ? (closesCase ? 'closed (the case closes)' : 'closed (its team only)') : label;
          eventCosts.push(cost(name, writes.take()));
        }
      }
      if (input.isStopped()) return undefined;
    }
  } finally {
    reads.stop();
    writes.stop();
    for (const each of [seedClient, statsClient, caseClient]) each.destroy();
    raw.destroy();
  }

  // ── Printout ──────────────────────────────────────────────────────────────────────────────────
  console.log(
    `Seeded synthetic cases opened ${STATS_FROM} – ${STATS_TO} (bench/lib/stats-seed.ts): aggregates summed ` +
      `per item and put with BatchWriteItem${input.caseItems ? ', and each case’s own items and referrals' : ''}`,
  );
  console.log(
    table(
      ['cases in table', 'case items + referrals', 'aggregate items', 'seconds'],
      seeding.map((seed) => [
        thousands(seed.cases as number),
        input.caseItems ? thousands(seed.caseItems as number) : 'not written',
        thousands(seed.aggregateItems as number),
        fixed(seed.seconds as number, 1),
      ]),
    ),
  );
  if (!input.caseItems)
    note(
      'The case items were not written (BENCH_STATS_CASE_ITEMS=0): the questions read only the aggregates.',
    );
  else
    note(
      'The questions read only the aggregates; the case items are there so that the table is the size it says.',
    );

  console.log(
    `\nAggregate items AGG#<month> / <group>#<bucket> (12 months × ${BUCKETS} buckets per group, by a hash of the counter's key without its extra field), as stored`,
  );
  const seriesNames = [...new Set(itemFigures.map((entry) => entry.series as string))];
  console.log(
    table(
      [
        'series',
        ...input.sizes.flatMap((size) => [
          `${thousands(size)}: counters/item`,
          'KiB median',
          'KiB max',
          'WCU to ADD to one (×2 in a transaction)',
        ]),
      ],
      seriesNames.map((series) => [
        series,
        ...input.sizes.flatMap((size) => {
          const entry = itemFigures.find((figure) => figure.series === series && figure.cases === size);
          if (!entry) return ['–', '–', '–', '–'];
          return [
            `${entry.countersMedian} (max ${entry.countersMax})`,
            fixed(kib(entry.bytesMedian as number), 1),
            fixed(kib(entry.bytesMax as number), 1),
            String(2 * Math.max(1, Math.ceil((entry.bytesMedian as number) / 1024))),
          ];
        }),
      ]),
    ),
  );
  const largestItem = itemFigures
    .filter((entry) => entry.cases === largest)
    .reduce(
      (best, entry) => ((entry.bytesMax as number) > (best?.bytesMax as number) ? entry : best),
      itemFigures[0],
    );
  if (largestItem)
    note(
      `Largest item at ${thousands(largest)} cases: ${largestItem.series}, ${fixed(kib(largestItem.bytesMax as number), 1)} KiB ` +
        `(${fixed((100 * (largestItem.bytesMax as number)) / (400 * 1024), 0)} % of DynamoDB's 400 KB item limit). ` +
        'An item grows with the distinct counters a month and bucket collect (target-group set × gender × age band × ' +
        'agency × team × days), not with reads; an ADD is charged on the whole item.',
    );

  console.log(
    `\n12-month questions (${STATS_FROM}..${STATS_TO}, interval month) through readStats: ${input.runs} timed runs ` +
      `each after ${input.warmup} untimed, the two questions alternating`,
  );
  console.log(
    table(
      [
        'question',
        'cases',
        'items read',
        'BatchGetItem calls',
        'items found',
        'KiB read',
        'RCU (eventual, computed)',
        'RCU (DynamoDB Local)',
        'p50 ms',
        'p99 ms',
        'BatchGetItem p50 / p99 ms',
        'cells',
        'Σ totals n',
      ],
      readFigures.map((figure) => [
        figure.question,
        thousands(figure.cases),
        figure.itemsRead.join(', '),
        figure.batchGetCalls,
        figure.itemsFound,
        fixed(figure.kibFound, 1),
        fixed(figure.readUnits, 1),
        figure.reportedReadUnits === null ? '–' : fixed(figure.reportedReadUnits, 1),
        fixed(figure.latencyMs.p50, 1),
        fixed(figure.latencyMs.p99, 1),
        `${fixed(figure.dynamoMs.p50, 1)} / ${fixed(figure.dynamoMs.p99, 1)}`,
        figure.cells,
        thousands(figure.totalN),
      ]),
    ),
  );
  const other = readFigures.flatMap((figure) => figure.otherCalls);
  note(
    '"Items read" is what readStats answers: the keys it asks for, months × series × buckets, the same at any ' +
      'table size. No Query or Scan' +
      (other.length ? ` (but: ${[...new Set(other)].join(', ')})` : '') +
      '. What does grow is the size of those items, hence the KiB and read units. ' +
      (Math.ceil(0.99 * input.runs) >= input.runs
        ? `p99 of ${input.runs} runs is their slowest (nearest rank)`
        : 'p99 by nearest rank') +
      '; each read also puts its audit item (STATSAUDIT#…), inside the time.',
  );
  note(
    `"Σ totals n" sums the monthly totals: every seeded case once for participants-new ` +
      `(${input.sizes.map(thousands).join(' and ')}), and every team acceptance for lead-time. In this ` +
      'process, against DynamoDB Local: read the ratio between the sizes, not the milliseconds.',
  );
  note(
    `1-minute load average when the timed reads began: ${input.sizes
      .map(
        (size) =>
          `${readFigures.find((figure) => figure.cases === size)?.loadAverage ?? '–'} at ${thousands(size)}`,
      )
      .join(', ')} (${cpus().length} cores).`,
  );

  console.log(
    '\nWrite units of one case event, with and without its aggregate updates (AWS item-size rules; ' +
      'DynamoDB Local’s ReturnConsumedCapacity beside)',
  );
  console.log(
    table(
      [
        'cases',
        'probe',
        'event',
        'items',
        'of them aggregates',
        'WCU without aggregates',
        'aggregates WCU',
        'WCU with aggregates',
        'index WCU',
        'all',
        'DynamoDB Local says',
      ],
      eventCosts.map((cost) => [
        thousands(cost.cases),
        cost.probe,
        cost.event,
        cost.items,
        cost.aggregateItems,
        fixed(cost.unitsWithoutAggregates, 0),
        fixed(cost.aggregateUnits, 0),
        fixed(cost.units, 0),
        fixed(cost.indexUnits, 0),
        fixed(cost.units + cost.indexUnits, 0),
        cost.reported === null ? '–' : fixed(cost.reported, 0),
      ]),
    ),
  );
  for (const probe of PROBES)
    note(`Probe ${probe.name}: ${routes.get(probe.name)}; the events are ${probe.team}'s.`);
  note(
    'Table WCU: each item touched, on the larger of its size before and after (a delete or condition check: ' +
      'before), 1 per KiB started, ×2 in TransactWriteItems. "Without aggregates": the same write less its ' +
      'AGG# updates (a lone case put would be a PutItem). Index WCU as section 4 counts them. The referral ' +
      'row includes the reference counter (an UpdateItem before the transaction); the events carry an ' +
      'audit item and an Idempotency-Key record, as the web app sends one.',
  );

  for (const size of input.sizes) {
    const probe = PROBES[0]!;
    console.log(
      `\nPer item, probe ${probe.name} (${routes.get(probe.name)}), ${thousands(size)} cases in the table`,
    );
    const rows: (string | number)[][] = [];
    for (const cost of eventCosts.filter((entry) => entry.cases === size && entry.probe === probe.name)) {
      const groups = new Map<string, PricedItem[]>();
      for (const item of cost.priced) {
        const label = item.kind === 'aggregate' ? `aggregate ${item.key.split(' / ')[1]}` : item.kind;
        groups.set(`${label}\t${item.action}`, [...(groups.get(`${label}\t${item.action}`) ?? []), item]);
      }
      for (const [group, items] of groups) {
        const [label = '', action = ''] = group.split('\t');
        const sizes = items.map((item) => Math.max(item.bytesBefore, item.bytesAfter));
        rows.push([
          cost.event,
          label,
          action,
          items.length,
          items.length === 1
            ? `${fixed(kib(items[0]!.bytesBefore), 1)} → ${fixed(kib(items[0]!.bytesAfter), 1)}`
            : `${fixed(kib(Math.min(...sizes)), 1)}–${fixed(kib(Math.max(...sizes)), 1)} (max)`,
          items.reduce((sum, item) => sum + item.units, 0),
          items.reduce((sum, item) => sum + Object.values(item.indexUnits).reduce((a, b) => a + b, 0), 0),
        ]);
      }
    }
    console.log(table(['event', 'item', 'action', 'n', 'KiB before → after', 'WCU', 'index WCU'], rows));
  }
  const perEvent = (size: number, event: string) =>
    eventCosts.filter((cost) => cost.cases === size && cost.event.startsWith(event));
  const caseEvents = ['accepted', 'intervention started', 'closed'];
  const withinAim = (size: number) =>
    caseEvents.every((event) => perEvent(size, event).every((cost) => cost.units + cost.indexUnits <= 4));
  note(
    `Aim "≤ 4 write units per case event including aggregates": ${input.sizes
      .map((size) => `${thousands(size)} cases ${withinAim(size) ? 'met' : 'not met'}`)
      .join(', ')}. Without the aggregates an event already costs ` +
      `${fixed(Math.min(...eventCosts.filter((cost) => caseEvents.some((event) => cost.event.startsWith(event))).map((cost) => cost.unitsWithoutAggregates)), 0)}` +
      `–${fixed(Math.max(...eventCosts.filter((cost) => caseEvents.some((event) => cost.event.startsWith(event))).map((cost) => cost.unitsWithoutAggregates)), 0)} WCU ` +
      '(case item, work item, audit and idempotency record, each ×2 in the transaction).',
  );
  if (smallest > 0 && largest > smallest) {
    const ratio = (event: string) => {
      const small = perEvent(smallest, event).find((cost) => cost.probe === PROBES[0]!.name);
      const large = perEvent(largest, event).find((cost) => cost.probe === PROBES[0]!.name);
      return small && large && small.aggregateUnits > 0
        ? large.aggregateUnits / small.aggregateUnits
        : Number.NaN;
    };
    note(
      `Aggregate WCU, ${thousands(largest)} / ${thousands(smallest)} cases (probe A): ${caseEvents
        .map((event) => `${event} ×${fixed(ratio(event), 1)}`)
        .join(', ')}: an event's aggregate cost grows with the month's volume, and so do the bytes a ` +
        'question reads; only the number of items it reads stays the same.',
    );
  }

  return {
    table: tableName,
    sizes: input.sizes,
    caseItems: input.caseItems,
    runs: input.runs,
    warmup: input.warmup,
    seeding,
    aggregateItems: itemFigures,
    reads: readFigures,
    events: eventCosts.map(({ priced, ...cost }) => ({
      ...cost,
      items: priced.map((item) => ({ ...item })),
    })),
    routes: Object.fromEntries(routes),
  };
}

function intFromEnv(name: string, fallback: number, low: number, high: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number.parseInt(raw, 10);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return Math.min(high, Math.max(low, value));
}

/** The section's settings from the environment, as bench/run.ts reads the others. */
export function statsConfigFromEnv() {
  const small = intFromEnv('BENCH_CASES_SMALL', 1000, 100, 100_000);
  const large = Math.max(small, intFromEnv('BENCH_CASES_LARGE', 20_000, 100, 100_000));
  return {
    sizes: small === large ? [small] : [small, large],
    runs: intFromEnv('BENCH_STATS_RUNS', 50, 10, 1000),
    warmup: intFromEnv('BENCH_STATS_WARMUP', 5, 0, 100),
    caseItems: process.env.BENCH_STATS_CASE_ITEMS !== '0',
  };
}

/** `npx tsx bench/stats.ts`: the section alone, on a DynamoDB Local of its own. */
async function main() {
  const region = 'eu-north-1';
  let stopped = false;
  let engine: DynamoDbLocal | undefined;
  const stop = async (code: number) => {
    stopped = true;
    await engine?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(130));
  process.on('SIGTERM', () => void stop(143));
  const started = performance.now();
  engine = await startDynamoDbLocal({ port: await freePort(), region });
  try {
    const results = await statsSection({
      endpoint: engine.endpoint,
      region,
      ...statsConfigFromEnv(),
      isStopped: () => stopped,
    });
    const out = fileURLToPath(new URL('./out/', import.meta.url));
    mkdirSync(out, { recursive: true });
    writeFileSync(
      `${out}stats.json`,
      `${JSON.stringify({ at: new Date().toISOString(), seconds: round((performance.now() - started) / 1000, 1), statistics: results }, null, 2)}\n`,
    );
    console.log(
      `\nFigures written to bench/out/stats.json (${fixed((performance.now() - started) / 1000, 1)} s).`,
    );
  } finally {
    await engine.stop();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // As npm run bench sets them for its stack: the functions' logs and metrics stay quiet.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
}
