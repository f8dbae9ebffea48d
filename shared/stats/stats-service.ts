import { OUTCOMES } from '../cases/model.js';
import { healthGroups } from '../cases/visibility.js';
import { AGENCIES, type DeploymentConfig, FRONT_DESK } from '../config/deployment.js';
import { ForbiddenError } from '../errors.js';
import type { Caller } from '../http/caller.js';
import { parseQuery, queryParameterError } from '../http/query.js';
import type { Ruleset } from '../screening/ruleset.js';
import { swedishDateOf } from '../time.js';
import * as z from '../zod.js';
import { EQUITY_SERIES, equityRows } from './equity.js';
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

const month = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM'));
const text = z.string().check(z.maxLength(100));

const statsQuerySchema = z.strictObject({
  indicator: z.enum(INDICATORS.map((indicator) => indicator.id) as [string, ...string[]]),
  from: z.optional(month),
  to: z.optional(month),
  interval: z._default(z.enum(INTERVALS), 'month'),
  groupBy: z.optional(z.string().check(z.maxLength(200))),
  step: z.optional(z.enum(STEPS)),
  format: z.optional(z.enum(['json', 'csv'])),
  dialect: z._default(z.enum(['standard', 'excel-sv']), 'standard'),
  ...Object.fromEntries(DIMENSIONS.map((dimension) => [dimension, z.optional(text)])),
});

const equityQuerySchema = z.strictObject({
  from: z.optional(month),
  to: z.optional(month),
  team: z.optional(text),
});

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
async function openCasesAt(deps: Pick<StatsDeps, 'stats'>, months: string[]) {
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
  const { monthly } = await openCasesAt(deps, [month]);
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

/**
 * GET /stats/equity: women and men, and the age bands, side by side per ruleset version
 * (shared/stats/equity.ts), for everyone or one team's own.
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
  const loaded = await deps.stats.load(monthsBetween(from, to), EQUITY_SERIES);
  const rows = equityRows(loaded.counters.values(), {
    team: scope.team,
    currentRuleset: deps.ruleset.version,
    threshold: deps.threshold,
  });
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
