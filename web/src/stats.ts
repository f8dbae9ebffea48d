import { swedishDateOf } from '../../shared/time.js';
/**
 * The statistics API's answers as the follow-up page reads them (GET /stats, /stats/indicators,
 * /stats/equity; CONTRACT.md v1.1, "Statistics (follow-up)"), and the periods the page asks for.
 * Pure: no DOM and no message files, so the unit tests can run it as it is.
 */

export type StatsUnit = 'count' | 'percent' | 'days';

export type LeadTimeExtras = {
  p25?: number;
  p75?: number;
  within30?: number;
  within90?: number;
  within180?: number;
};

export type StatsCell = {
  period: string;
  value: number | null;
  n: number | null;
  suppressed: boolean;
} & LeadTimeExtras &
  Record<string, unknown>;

export type StatsAnswer = {
  indicator: string;
  unit: StatsUnit;
  from: string;
  to: string;
  interval: string;
  groupBy: string[];
  suppression: { threshold: number };
  cells: StatsCell[];
  totals: StatsCell[];
  dataAsOf?: string;
};

export type Localized = { sv: string; en: string };

export type IndicatorInfo = {
  id: string;
  name: Localized;
  definition: Localized;
  unit: StatsUnit;
  dimensions: string[];
  steps?: string[];
  targets?: { targetGroup?: string; value: number; label?: Localized }[];
};

export type EquityGroup = { group: string; value: number | null; n: number | null; suppressed: boolean };
export type EquityRow = {
  measure: string;
  unit: 'percent' | 'days';
  dimension: string;
  rulesetVersion?: string;
  groups: EquityGroup[];
  gap: number | null;
  ratio: number | null;
  suppressed: boolean;
};
export type EquityAnswer = {
  from: string;
  to: string;
  suppression: { threshold: number };
  rows: EquityRow[];
  dataAsOf?: string;
};

export const TARGET_GROUP_ORDER = ['TG1', 'TG2', 'TG3', 'TG4', 'TG5', 'TG6'] as const;
// The API's own dimension values and steps, from the modules that define them.
export { OUTCOMES } from '../../shared/cases/model.js';
export { AGE_BANDS, GENDERS } from '../../shared/stats/facts.js';
export { STEPS as LEAD_TIME_STEPS } from '../../shared/stats/indicators.js';
export const EQUITY_MEASURES = [
  'eligible-share',
  'high-priority-share',
  'days-to-accepted',
  'declined-share',
  'work-or-studies-share',
] as const;

export const PERIODS = ['month', 'quarter', 'year'] as const;
export type PeriodKind = (typeof PERIODS)[number];

/** The year and month (1–12) it is now in Sweden (shared/time.ts: the EU summer-time rule, no Intl). */
export function swedishMonth(now: Date): { year: number; month: number } {
  const [year, month] = swedishDateOf(now).split('-').map(Number) as [number, number];
  return { year, month };
}

const monthText = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;

/**
 * This month, this quarter or this year so far, as the API's `from` and `to` months (Swedish time):
 * from the period's first month to the current one.
 */
export function periodMonths(kind: PeriodKind, now: Date = new Date()): { from: string; to: string } {
  const { year, month } = swedishMonth(now);
  const first = kind === 'month' ? month : kind === 'quarter' ? month - ((month - 1) % 3) : 1;
  return { from: monthText(year, first), to: monthText(year, month) };
}

/** Every month from `from` to `to` (YYYY-MM), both included. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  const [lastYear, lastMonth] = to.split('-').map(Number) as [number, number];
  while ((year < lastYear || (year === lastYear && month <= lastMonth)) && months.length < 240) {
    months.push(monthText(year, month));
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  return months;
}

/** The query string of a GET /stats, in a fixed order; `undefined` values are left out. */
export function statsQuery(params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== '') query.set(name, value);
  return query.toString();
}

/** The same question as a CSV file for Swedish Excel. */
export const csvPathOf = (path: string) =>
  `${path}${path.includes('?') ? '&' : '?'}format=csv&dialect=excel-sv`;

/** The cell whose dimensions have these values (and, when given, this period). */
export function findCell(
  cells: readonly StatsCell[],
  where: Record<string, string>,
  period?: string,
): StatsCell | undefined {
  return cells.find(
    (cell) =>
      (period === undefined || cell.period === period) &&
      Object.entries(where).every(([dimension, value]) => cell[dimension] === value),
  );
}

/**
 * What a chart draws of a cell: its value, `null` when suppressed, `undefined` when there is none
 * (a count with no cell is 0: the API leaves empty combinations out).
 */
export function chartValue(cell: StatsCell | undefined, unit: StatsUnit): number | null | undefined {
  if (!cell) return unit === 'count' ? 0 : undefined;
  if (cell.suppressed) return null;
  return typeof cell.value === 'number' ? cell.value : undefined;
}

/**
 * A dimension's values in the order to show them: the known ones in their order, then any others
 * the answer has (e.g. a target group of a newer ruleset), alphabetically.
 */
export function keysOf(cells: readonly StatsCell[], dimension: string, known: readonly string[]): string[] {
  const present = new Set(
    cells.map((cell) => cell[dimension]).filter((value): value is string => typeof value === 'string'),
  );
  const others = [...present].filter((value) => !known.includes(value) && value !== '*').sort();
  return [...known.filter((value) => present.has(value)), ...others];
}

/** The file name the API gave a download (Content-Disposition), if any. */
export function fileNameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // Not percent-encoded after all: fall back to the plain name.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain?.[1]?.trim() || undefined;
}
