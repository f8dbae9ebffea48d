import { type MainKey, parseMainKey, type Series, valuesOf } from './contributions.js';
import type { Dimension, Indicator, Step } from './indicators.js';
import type { Counters } from './repository.js';
import type { RawCell } from './suppression.js';

export const INTERVALS = ['month', 'quarter', 'year', 'total'] as const;
export type Interval = (typeof INTERVALS)[number];

/** A validated statistics question. */
export type StatsQuery = {
  indicator: Indicator;
  from: string;
  to: string;
  interval: Interval;
  groupBy: Dimension[];
  filters: Partial<Record<Dimension, string>>;
  step?: Step;
};

/** Every value a grouped dimension has a cell for (zero included), in a stable order. */
export type Domains = Record<Dimension, readonly string[]>;

/** Months from `from` to `to` (YYYY-MM), both included. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  const [endYear, endMonth] = to.split('-').map(Number) as [number, number];
  while (year < endYear || (year === endYear && month <= endMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

export const previousMonth = (month: string) => {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return number === 1 ? `${year - 1}-12` : `${year}-${String(number - 1).padStart(2, '0')}`;
};

/** The period a month falls in: `2026-11`, `2026-Q4`, `2026`, or the whole range `2026-01..2026-12`. */
export function periodOf(month: string, interval: Interval, query: Pick<StatsQuery, 'from' | 'to'>): string {
  if (interval === 'month') return month;
  if (interval === 'year') return month.slice(0, 4);
  if (interval === 'quarter') return `${month.slice(0, 4)}-Q${Math.ceil(Number(month.slice(5, 7)) / 3)}`;
  return `${query.from}..${query.to}`;
}

const FIELD: Record<Dimension, keyof MainKey> = {
  targetGroup: 'tg',
  gender: 'gender',
  ageBand: 'age',
  agency: 'agency',
  team: 'team',
  outcome: 'x',
};
/** A case has a set of these: the key holds the set, and the case counts once under each value. */
const MULTI: ReadonlySet<Dimension> = new Set(['targetGroup', 'agency', 'team']);
const valuesIn = (key: MainKey, dimension: Dimension) =>
  MULTI.has(dimension) ? valuesOf(key[FIELD[dimension]]) : [key[FIELD[dimension]]];

/**
 * The groups a counter counts in for a question: none if a filter leaves it out; else one per
 * combination of its values of the grouped dimensions (a case in TG1 and TG4 counts in both), and
 * exactly one for the total (no groupBy).
 */
function groupsOf(key: MainKey, groupBy: readonly Dimension[], filters: StatsQuery['filters']): string[][] {
  for (const [dimension, wanted] of Object.entries(filters) as [Dimension, string][])
    if (!valuesIn(key, dimension).includes(wanted)) return [];
  return groupBy.reduce<string[][]>(
    (combos, dimension) =>
      combos.flatMap((combo) =>
        valuesIn(key, dimension)
          .filter((value) => filters[dimension] === undefined || value === filters[dimension])
          .map((value) => [...combo, value]),
      ),
    [[]],
  );
}

/** A histogram of whole days: days → how many. */
type Histogram = Map<number, number>;
type Accumulator = { n: number; hits: number; days: Histogram };
const empty = (): Accumulator => ({ n: 0, hits: 0, days: new Map() });

/** The value at rank q (0–1) of a histogram of n entries: nearest rank, midpoint for an even median. */
export function quantile(days: Histogram, n: number, q: number): number | null {
  if (n === 0) return null;
  const sorted = [...days.entries()].filter(([, count]) => count > 0).sort(([a], [b]) => a - b);
  const at = (rank: number) => {
    let seen = 0;
    for (const [day, count] of sorted) {
      seen += count;
      if (seen >= rank) return day;
    }
    return sorted.at(-1)?.[0] ?? 0;
  };
  if (q === 0.5 && n % 2 === 0) return (at(n / 2) + at(n / 2 + 1)) / 2;
  return at(Math.max(1, Math.ceil(q * n)));
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const percent = (part: number, whole: number) => (whole === 0 ? null : round1((100 * part) / whole));

/** A lead time's spread beside its median, shown only when the median is. */
export type LeadTimeExtras = {
  p25: number;
  p75: number;
  within30: number;
  within90: number;
  within180: number;
};

function leadTimeExtras(acc: Accumulator): LeadTimeExtras | undefined {
  if (acc.n === 0) return undefined;
  const within = (limit: number) =>
    percent(
      [...acc.days].filter(([day]) => day <= limit).reduce((sum, [, count]) => sum + count, 0),
      acc.n,
    ) ?? 0;
  return {
    p25: quantile(acc.days, acc.n, 0.25) ?? 0,
    p75: quantile(acc.days, acc.n, 0.75) ?? 0,
    within30: within(30),
    within90: within(90),
    within180: within(180),
  };
}

export type Figures = { cells: RawCell[]; totals: RawCell[]; extras: Map<RawCell, LeadTimeExtras> };

/**
 * The figures of a question from the counters of its months: one cell per period and combination
 * of the grouped dimensions' values (zeros too), and one total per period. `monthly` holds each
 * month's counters of the indicator's series (for a gauge: the open cases at the month's end).
 */
export function figures(query: StatsQuery, monthly: Map<string, Counters>, domains: Domains): Figures {
  const { indicator, groupBy, filters, interval } = query;
  const months = monthsBetween(query.from, query.to);
  const periods = [...new Set(months.map((month) => periodOf(month, interval, query)))];
  const cellAcc = new Map<string, Accumulator>();
  const totalAcc = new Map<string, Accumulator>();
  const hits = indicator.kind === 'share' ? indicator.hits : [];
  const add = (target: Map<string, Accumulator>, id: string, key: MainKey, count: number) => {
    const acc = target.get(id) ?? empty();
    acc.n += count;
    if (hits.includes(key.x)) acc.hits += count;
    if (indicator.kind === 'median') acc.days.set(Number(key.x), (acc.days.get(Number(key.x)) ?? 0) + count);
    target.set(id, acc);
  };
  // A gauge's figure is the state at the period's end: only the last month of each period counts.
  const lastOfPeriod = new Map(months.map((month) => [periodOf(month, interval, query), month]));
  for (const month of months) {
    const period = periodOf(month, interval, query);
    if (indicator.kind === 'gauge' && lastOfPeriod.get(period) !== month) continue;
    for (const [text, count] of monthly.get(month) ?? []) {
      if (count === 0) continue;
      const key = parseMainKey(text);
      for (const group of groupsOf(key, groupBy, filters))
        add(cellAcc, `${period}\t${group.join('\t')}`, key, count);
      if (groupsOf(key, [], filters).length > 0) add(totalAcc, period, key, count);
    }
  }
  const extras = new Map<RawCell, LeadTimeExtras>();
  const cell = (period: string, dims: Record<string, string>, acc: Accumulator): RawCell => {
    const raw: RawCell = { period, dims, ...figureOf(indicator, acc) };
    const spread = indicator.kind === 'median' ? leadTimeExtras(acc) : undefined;
    if (spread) extras.set(raw, spread);
    return raw;
  };
  const combinations = groupBy.reduce<string[][]>(
    (combos, dimension) =>
      combos.flatMap((combo) =>
        (filters[dimension] !== undefined ? [filters[dimension]!] : domains[dimension]).map((value) => [
          ...combo,
          value,
        ]),
      ),
    [[]],
  );
  const cells =
    groupBy.length === 0
      ? []
      : periods.flatMap((period) =>
          combinations.map((combo) =>
            cell(
              period,
              Object.fromEntries(groupBy.map((dimension, index) => [dimension, combo[index]!])),
              cellAcc.get(`${period}\t${combo.join('\t')}`) ?? empty(),
            ),
          ),
        );
  const totals = periods.map((period) => cell(period, {}, totalAcc.get(period) ?? empty()));
  // Without groupBy each period's one cell is its total: a copy of it, with the same spread.
  const ungrouped = totals.map((total) => {
    const copy = { ...total };
    const spread = extras.get(total);
    if (spread) extras.set(copy, spread);
    return copy;
  });
  return { cells: groupBy.length === 0 ? ungrouped : cells, totals, extras };
}

function figureOf(indicator: Indicator, acc: Accumulator): { value: number | null; n: number } {
  switch (indicator.kind) {
    case 'count':
    case 'gauge':
      return { value: acc.n, n: acc.n };
    case 'share':
      return { value: percent(acc.hits, acc.n), n: acc.n };
    case 'median':
      return { value: quantile(acc.days, acc.n, 0.5), n: acc.n };
  }
}

/** The series an indicator reads. */
export function seriesOf(indicator: Indicator, step: Step | undefined): Series {
  return indicator.kind === 'median' ? indicator.series[step ?? 'accepted'] : indicator.series;
}

/**
 * Open cases at each month's end: a snapshot where one was taken, else the month before's plus
 * the month's openings and closings. `base` is the state at the end of the month before the first.
 */
export function runningTotals(
  months: readonly string[],
  base: Counters,
  deltas: Map<string, Counters>,
  snapshots: Map<string, Counters>,
): Map<string, Counters> {
  const result = new Map<string, Counters>();
  let current = new Map(base);
  for (const month of months) {
    const snapshot = snapshots.get(month);
    if (snapshot) current = new Map(snapshot);
    else {
      current = new Map(current);
      for (const [key, delta] of deltas.get(month) ?? []) {
        const value = (current.get(key) ?? 0) + delta;
        if (value === 0) current.delete(key);
        else current.set(key, value);
      }
    }
    result.set(month, current);
  }
  return result;
}
