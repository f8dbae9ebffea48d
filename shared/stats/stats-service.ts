import * as z from 'zod';
import { OUTCOMES } from '../cases/model.js';
import { healthGroups } from '../cases/visibility.js';
import { AGENCIES, type DeploymentConfig, FRONT_DESK } from '../config/deployment.js';
import { ForbiddenError } from '../errors.js';
import type { Caller } from '../http/caller.js';
import { parseQuery, queryParameterError } from '../http/query.js';
import type { Ruleset } from '../screening/ruleset.js';
import { swedishDateOf } from '../time.js';
import { parseMainKey, type Series, valuesOf } from './contributions.js';
import { AGE_BANDS, GENDERS } from './facts.js';
import {
  DIMENSIONS,
  type Dimension,
  INDICATORS,
  indicatorById,
  indicatorCatalogue,
  STEPS,
} from './indicators.js';
import {
  type Domains,
  figures,
  INTERVALS,
  monthsBetween,
  previousMonth,
  quantile,
  runningTotals,
  type StatsQuery,
  seriesOf,
} from './query.js';
import type { Counters, StatsRepository } from './repository.js';
import { type Cell, suppress } from './suppression.js';

export type StatsDeps = {
  stats: StatsRepository;
  deployment: DeploymentConfig;
  ruleset: Ruleset;
  threshold: number;
  now?: () => Date;
};

/** At most this many months in one question (CONTRACT.md v1.1). */
export const MAX_MONTHS = 36;
/** No figure is older than the product: a running total is summed from here at the earliest. */
export const STATS_EPOCH = '2025-01';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');
const text = z.string().max(100);

const statsQuerySchema = z
  .object({
    indicator: z.enum(INDICATORS.map((indicator) => indicator.id) as [string, ...string[]]),
    from: month.optional(),
    to: month.optional(),
    interval: z.enum(INTERVALS).default('month'),
    groupBy: z.string().max(200).optional(),
    step: z.enum(STEPS).optional(),
    format: z.enum(['json', 'csv']).optional(),
    dialect: z.enum(['standard', 'excel-sv']).default('standard'),
    ...Object.fromEntries(DIMENSIONS.map((dimension) => [dimension, text.optional()])),
  })
  .strict();

const equityQuerySchema = z
  .object({ from: month.optional(), to: month.optional(), team: text.optional() })
  .strict();

/** The route check of every statistics route: agencies (and tokens with no role) get 403. */
export function requireStatsReader(caller: Caller): void {
  if (!caller.admin && !caller.groups.includes('steering-group') && caller.teams.length === 0)
    throw new ForbiddenError(
      'Statistics are read by the steering group, the front desk, teams and administrators.',
    );
}

/** Who may read which figures: everything (admins, the front desk, the steering group) or one team's own. */
type Scope = { team?: string; restricted: boolean };

export function statsScope(caller: Caller, deployment: DeploymentConfig, requested?: string): Scope {
  const everything =
    caller.admin || caller.groups.includes('steering-group') || caller.teams.includes(FRONT_DESK);
  if (everything) return { ...(requested ? { team: requested } : {}), restricted: false };
  requireStatsReader(caller);
  const team = requested ?? (caller.teams.length === 1 ? caller.teams[0] : undefined);
  if (team === undefined) throw queryParameterError('team', 'name one of your teams');
  if (!caller.teams.includes(team)) throw new ForbiddenError("A team reads only its own team's figures.");
  return { team, restricted: deployment.restrictedTeams.includes(team) };
}

/** The range a question covers: the current Swedish month by default, at most 36 months. */
function range(from: string | undefined, to: string | undefined, now: Date) {
  const current = swedishDateOf(now).slice(0, 7);
  const end = to ?? (from && from > current ? from : current);
  const start = from ?? (end < current ? end : current);
  if (start > end) throw queryParameterError('from', 'must not be after to');
  if (monthsBetween(start, end).length > MAX_MONTHS)
    throw queryParameterError('to', `at most ${MAX_MONTHS} months after from`);
  return { from: start, to: end };
}

function domainsFor(deps: StatsDeps, restricted: boolean): Domains {
  const hidden = restricted ? healthGroups(deps.ruleset) : new Set<string>();
  return {
    targetGroup: deps.ruleset.targetGroups.map((group) => group.code).filter((code) => !hidden.has(code)),
    gender: GENDERS,
    ageBand: AGE_BANDS,
    agency: AGENCIES,
    team: deps.deployment.teams,
    outcome: OUTCOMES,
  };
}

/** What GET /stats answers as JSON; CSV is made from it. */
export type StatsAnswer = {
  indicator: string;
  unit: string;
  from: string;
  to: string;
  interval: string;
  groupBy: Dimension[];
  step?: string;
  filters: Partial<Record<Dimension, string>>;
  suppression: { threshold: number };
  cells: PublishedCell[];
  totals: PublishedCell[];
  dataAsOf: string;
};

type PublishedCell = { period: string; value: number | null; n: number | null; suppressed: boolean } & Record<
  string,
  unknown
>;

export type StatsResult = {
  answer: StatsAnswer;
  csv?: { dialect: 'standard' | 'excel-sv' };
  itemsRead: number;
};

/** GET /stats: validates the question, reads the bounded aggregates, suppresses, audits the read. */
export async function readStats(
  deps: StatsDeps,
  caller: Caller,
  rawQuery: Record<string, string | undefined> | null,
  accept?: string,
): Promise<StatsResult> {
  const input = parseQuery(statsQuerySchema, rawQuery) as z.infer<typeof statsQuerySchema> &
    Partial<Record<Dimension, string>>;
  const indicator = indicatorById(input.indicator)!;
  const now = deps.now?.() ?? new Date();
  const { from, to } = range(input.from, input.to, now);
  const groupBy = parseGroupBy(input.groupBy);
  const scope = statsScope(caller, deps.deployment, input.team);
  const domains = domainsFor(deps, scope.restricted);
  const filters: Partial<Record<Dimension, string>> = {};
  for (const dimension of DIMENSIONS) {
    const value = dimension === 'team' ? scope.team : input[dimension];
    if (value === undefined) continue;
    if (!indicator.dimensions.includes(dimension))
      throw queryParameterError(dimension, `is not a dimension of ${indicator.id}`);
    if (!domains[dimension].includes(value)) {
      if (
        dimension === 'targetGroup' &&
        scope.restricted &&
        deps.ruleset.targetGroups.some((g) => g.code === value)
      )
        throw new ForbiddenError('Health-related target groups are not shown to this team.');
      throw queryParameterError(dimension, `must be one of: ${domains[dimension].join(', ')}`);
    }
    filters[dimension] = value;
  }
  for (const dimension of groupBy)
    if (!indicator.dimensions.includes(dimension))
      throw queryParameterError('groupBy', `${dimension} is not a dimension of ${indicator.id}`);
  if (input.step && indicator.kind !== 'median') throw queryParameterError('step', `is only for lead-time`);
  const step = indicator.kind === 'median' ? (input.step ?? 'accepted') : undefined;
  const query: StatsQuery = {
    indicator,
    from,
    to,
    interval: input.interval,
    groupBy,
    filters,
    ...(step ? { step } : {}),
  };

  const months = monthsBetween(from, to);
  let monthly: Map<string, Counters>;
  let itemsRead: number;
  if (indicator.kind === 'gauge') ({ monthly, itemsRead } = await openCasesAt(deps, months));
  else {
    const series = seriesOf(indicator, step);
    const loaded = await deps.stats.load(months, [series]);
    monthly = new Map(months.map((m) => [m, loaded.counters.get(m)?.get(series) ?? new Map()]));
    itemsRead = loaded.itemsRead;
  }
  const raw = figures(query, monthly, domains);
  const suppressed = suppress({ ...raw, groupBy, unit: indicator.unit, threshold: deps.threshold });
  const published = (cells: Cell[], source: typeof raw.cells) =>
    cells.map((cell, index) => {
      const extras = raw.extras.get(source[index]!);
      return {
        period: cell.period,
        ...cell.dims,
        value: cell.value,
        n: cell.n,
        suppressed: cell.suppressed,
        ...(extras && !cell.suppressed && cell.value !== null ? extras : {}),
      };
    });
  const answer: StatsAnswer = {
    indicator: indicator.id,
    unit: indicator.unit,
    from,
    to,
    interval: input.interval,
    groupBy,
    ...(step ? { step } : {}),
    filters,
    suppression: { threshold: deps.threshold },
    cells: published(suppressed.cells, raw.cells),
    totals: published(suppressed.totals, raw.totals).map(({ period, value, n, suppressed, ...rest }) => ({
      period,
      value,
      n,
      suppressed,
      ...Object.fromEntries(Object.entries(rest).filter(([key]) => !DIMENSIONS.includes(key as Dimension))),
    })),
    dataAsOf: now.toISOString(),
  };
  await audit(deps, caller, now, {
    path: '/stats',
    indicator: indicator.id,
    from,
    to,
    interval: input.interval,
    groupBy: groupBy.join(','),
    ...(step ? { step } : {}),
    ...filters,
  });
  const wantsCsv =
    input.format === 'csv' || (input.format === undefined && /\btext\/csv\b/i.test(accept ?? ''));
  return { answer, ...(wantsCsv ? { csv: { dialect: input.dialect } } : {}), itemsRead };
}

function parseGroupBy(raw: string | undefined): Dimension[] {
  if (raw === undefined || raw.trim() === '') return [];
  const names = raw.split(',').map((name) => name.trim());
  for (const name of names)
    if (!DIMENSIONS.includes(name as Dimension))
      throw queryParameterError('groupBy', `each must be one of: ${DIMENSIONS.join(', ')}`);
  if (new Set(names).size !== names.length) throw queryParameterError('groupBy', 'names a dimension twice');
  if (names.length > 2) throw queryParameterError('groupBy', 'at most two dimensions');
  return names as Dimension[];
}

/**
 * Open cases at each month's end: the latest monthly snapshot before the range (the scheduled
 * snapshot takes one every month), then each month's openings and closings. Reads one item per
 * month since the product began at worst, and only the range's when the snapshots are there.
 */
async function openCasesAt(deps: StatsDeps, months: string[]) {
  const before = monthsBetween(STATS_EPOCH, previousMonth(months[0]!));
  const snapshots = await deps.stats.snapshots([...before, ...months]);
  const baseMonth = before.filter((m) => snapshots.has(m)).at(-1);
  const gap = before.filter((m) => baseMonth === undefined || m > baseMonth);
  const loaded = await deps.stats.load([...gap, ...months], ['active']);
  const deltas = new Map(
    [...gap, ...months].map((m) => [m, loaded.counters.get(m)?.get('active') ?? new Map()]),
  );
  const base = runningTotals(gap, baseMonth ? snapshots.get(baseMonth)! : new Map(), deltas, new Map());
  const start = gap.length > 0 ? base.get(gap.at(-1)!)! : baseMonth ? snapshots.get(baseMonth)! : new Map();
  return {
    monthly: runningTotals(months, start, deltas, snapshots),
    itemsRead: before.length + months.length + loaded.itemsRead,
  };
}

/** The open cases at the end of `month`, for the monthly snapshot. */
export async function openCasesAtEndOf(deps: Pick<StatsDeps, 'stats'>, month: string): Promise<Counters> {
  const { monthly } = await openCasesAt(deps as StatsDeps, [month]);
  return monthly.get(month) ?? new Map();
}

async function audit(deps: StatsDeps, caller: Caller, now: Date, query: Record<string, string>) {
  await deps.stats.recordRead({
    at: now.toISOString(),
    subject: caller.subject,
    groups: caller.groups,
    query,
  });
}

/** GET /stats/indicators is public to every statistics reader; it is audited like any statistics read. */
export async function readIndicators(deps: StatsDeps, caller: Caller) {
  requireStatsReader(caller);
  const now = deps.now?.() ?? new Date();
  await audit(deps, caller, now, { path: '/stats/indicators' });
  return indicatorCatalogue();
}

const EQUITY_MEASURES = [
  { measure: 'eligible-share', unit: 'percent', series: 'screened' },
  { measure: 'high-priority-share', unit: 'percent', series: 'screened' },
  { measure: 'days-to-accepted', unit: 'days', series: 'lt-accepted' },
  { measure: 'declined-share', unit: 'percent', series: 'decision' },
  { measure: 'work-or-studies-share', unit: 'percent', series: 'closed' },
] as const;

type EquityGroup = { group: string; value: number | null; n: number | null; suppressed: boolean };

/**
 * GET /stats/equity: women and men, and the age bands, side by side on what a biased rule or a
 * biased habit would show in, per ruleset version, so that a gap is seen and can be asked about.
 */
export async function readEquity(
  deps: StatsDeps,
  caller: Caller,
  rawQuery: Record<string, string | undefined> | null,
) {
  const input = parseQuery(equityQuerySchema, rawQuery);
  const now = deps.now?.() ?? new Date();
  const { from, to } = range(input.from, input.to, now);
  const scope = statsScope(caller, deps.deployment, input.team);
  const team = scope.team;
  const months = monthsBetween(from, to);
  const series = [...new Set(EQUITY_MEASURES.map((measure) => measure.series))] as Series[];
  const loaded = await deps.stats.load(months, series);
  type Acc = { n: number; hits: number; days: Map<number, number> };
  // ruleset → series → dimension value → accumulator
  const acc = new Map<string, Map<string, Map<string, Acc>>>();
  const measureAcc = (ruleset: string, measure: string, group: string) => {
    const perRuleset = acc.get(ruleset) ?? new Map<string, Map<string, Acc>>();
    acc.set(ruleset, perRuleset);
    const perMeasure = perRuleset.get(measure) ?? new Map<string, Acc>();
    perRuleset.set(measure, perMeasure);
    const found = perMeasure.get(group) ?? { n: 0, hits: 0, days: new Map() };
    perMeasure.set(group, found);
    return found;
  };
  for (const m of months)
    for (const name of series)
      for (const [text, count] of loaded.counters.get(m)?.get(name) ?? []) {
        const key = parseMainKey(text);
        if (count === 0 || key.ruleset === '') continue;
        if (team !== undefined && !valuesOf(key.team).includes(team)) continue;
        for (const { measure, series: from } of EQUITY_MEASURES) {
          if (from !== name) continue;
          if (measure === 'high-priority-share' && key.x[0] !== 'e') continue;
          const hit =
            measure === 'eligible-share'
              ? key.x[0] === 'e'
              : measure === 'high-priority-share'
                ? key.x[1] === 'h'
                : key.x === 'declined' || key.x === 'hit';
          for (const group of [`gender:${key.gender}`, `ageBand:${key.age}`]) {
            const target = measureAcc(key.ruleset, measure, group);
            target.n += count;
            if (hit) target.hits += count;
            if (measure === 'days-to-accepted')
              target.days.set(Number(key.x), (target.days.get(Number(key.x)) ?? 0) + count);
          }
        }
      }
  const rulesets = [...new Set([deps.ruleset.version, ...acc.keys()])].sort();
  const rows = rulesets.flatMap((ruleset) =>
    EQUITY_MEASURES.flatMap(({ measure, unit }) =>
      (['gender', 'ageBand'] as const).map((dimension) => {
        const values = dimension === 'gender' ? GENDERS : AGE_BANDS;
        const raw = values.map((group) => {
          const found = acc.get(ruleset)?.get(measure)?.get(`${dimension}:${group}`) ?? {
            n: 0,
            hits: 0,
            days: new Map(),
          };
          const value =
            unit === 'days'
              ? quantile(found.days, found.n, 0.5)
              : found.n === 0
                ? null
                : Math.round((1000 * found.hits) / found.n) / 10;
          return { period: ruleset, dims: { group }, value, n: found.n };
        });
        const { cells } = suppress({
          cells: raw,
          totals: [],
          groupBy: ['group'],
          unit,
          threshold: deps.threshold,
        });
        const groups: EquityGroup[] = cells.map((cell) => ({
          group: cell.dims.group!,
          value: cell.value,
          n: cell.n,
          suppressed: cell.suppressed,
        }));
        const shown = groups.filter((group) => !group.suppressed && group.value !== null);
        const rowSuppressed =
          dimension === 'gender'
            ? groups.some((group) => group.suppressed)
            : shown.length < 2 && groups.some((g) => g.suppressed);
        const [first, second] =
          dimension === 'gender'
            ? [groups[0], groups[1]]
            : [
                shown.reduce<EquityGroup | undefined>(
                  (a, b) => (!a || b.value! > a.value! ? b : a),
                  undefined,
                ),
                shown.reduce<EquityGroup | undefined>(
                  (a, b) => (!a || b.value! < a.value! ? b : a),
                  undefined,
                ),
              ];
        const comparable = !rowSuppressed && first?.value != null && second?.value != null;
        return {
          measure,
          unit,
          dimension,
          rulesetVersion: ruleset,
          groups,
          gap: comparable ? Math.round((first.value! - second.value!) * 10) / 10 : null,
          ratio:
            comparable && second.value !== 0 ? Math.round((first.value! / second.value!) * 100) / 100 : null,
          suppressed: rowSuppressed,
        };
      }),
    ),
  );
  await audit(deps, caller, now, {
    path: '/stats/equity',
    from,
    to,
    ...(scope.team ? { team: scope.team } : {}),
  });
  return {
    from,
    to,
    ...(scope.team ? { team: scope.team } : {}),
    suppression: { threshold: deps.threshold },
    rows,
    dataAsOf: now.toISOString(),
  };
}
