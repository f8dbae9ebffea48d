import { parseMainKey, type Series, valuesOf } from './contributions.js';
import { AGE_BANDS, GENDERS } from './facts.js';
import { quantile } from './query.js';
import type { Counters } from './repository.js';
import { suppress } from './suppression.js';

/**
 * The equity view (GET /stats/equity): women beside men, and the age bands beside each other, on
 * what a biased rule or a biased habit would show in, per ruleset version. Pure: it reads the same
 * counters as GET /stats and suppresses as it does.
 */
export const EQUITY_MEASURES = [
  { measure: 'eligible-share', unit: 'percent', series: 'screened' },
  { measure: 'high-priority-share', unit: 'percent', series: 'screened' },
  { measure: 'days-to-accepted', unit: 'days', series: 'lt-accepted' },
  { measure: 'declined-share', unit: 'percent', series: 'decision' },
  { measure: 'work-or-studies-share', unit: 'percent', series: 'closed' },
] as const;
type Measure = (typeof EQUITY_MEASURES)[number];

export const EQUITY_SERIES = [...new Set(EQUITY_MEASURES.map((entry) => entry.series))] as Series[];

type Tally = { n: number; hits: number; days: Map<number, number> };
const emptyTally = (): Tally => ({ n: 0, hits: 0, days: new Map() });

/** Whether a counter of a measure's series counts for it, and as a hit (the share's numerator). */
function classify(measure: Measure['measure'], x: string): { counts: boolean; hit: boolean } {
  switch (measure) {
    case 'eligible-share':
      return { counts: true, hit: x[0] === 'e' };
    case 'high-priority-share':
      // Of the eligible only.
      return { counts: x[0] === 'e', hit: x[1] === 'h' };
    default:
      return { counts: true, hit: x === 'declined' || x === 'hit' };
  }
}

/** Tallies by `ruleset|measure|dimension:group`, from each month's counters of the equity series. */
function tallies(monthly: Iterable<Map<Series, Counters>>, team: string | undefined): Map<string, Tally> {
  const result = new Map<string, Tally>();
  for (const perSeries of monthly)
    for (const { measure, series } of EQUITY_MEASURES)
      for (const [text, count] of perSeries.get(series) ?? []) {
        const key = parseMainKey(text);
        if (count === 0 || key.ruleset === '') continue;
        if (team !== undefined && !valuesOf(key.team).includes(team)) continue;
        const { counts, hit } = classify(measure, key.x);
        if (!counts) continue;
        for (const group of [`gender:${key.gender}`, `ageBand:${key.age}`]) {
          const id = `${key.ruleset}|${measure}|${group}`;
          const tally = result.get(id) ?? emptyTally();
          tally.n += count;
          if (hit) tally.hits += count;
          if (measure === 'days-to-accepted')
            tally.days.set(Number(key.x), (tally.days.get(Number(key.x)) ?? 0) + count);
          result.set(id, tally);
        }
      }
  return result;
}

type EquityGroup = { group: string; value: number | null; n: number | null; suppressed: boolean };
const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/**
 * One row: each group's value, suppressed as GET /stats suppresses (a lone suppressed group takes
 * the next smallest with it), and the gap and ratio: women against men, or the highest age band
 * against the lowest shown.
 */
function row(
  ruleset: string,
  { measure, unit }: Measure,
  dimension: 'gender' | 'ageBand',
  all: Map<string, Tally>,
  threshold: number,
) {
  const raw = (dimension === 'gender' ? GENDERS : AGE_BANDS).map((group) => {
    const tally = all.get(`${ruleset}|${measure}|${dimension}:${group}`) ?? emptyTally();
    const value =
      unit === 'days'
        ? quantile(tally.days, tally.n, 0.5)
        : tally.n === 0
          ? null
          : round((100 * tally.hits) / tally.n, 1);
    return { period: ruleset, dims: { group }, value, n: tally.n };
  });
  const { cells } = suppress({ cells: raw, totals: [], groupBy: ['group'], unit, threshold });
  const groups: EquityGroup[] = cells.map(({ dims, value, n, suppressed }) => ({
    group: dims.group!,
    value,
    n,
    suppressed,
  }));
  const shown = groups.filter((group) => !group.suppressed && group.value !== null);
  const suppressed =
    dimension === 'gender'
      ? groups.some((group) => group.suppressed)
      : shown.length < 2 && groups.some((g) => g.suppressed);
  const byValue = [...shown].sort((a, b) => b.value! - a.value!);
  const [first, second] = dimension === 'gender' ? [groups[0], groups[1]] : [byValue[0], byValue.at(-1)];
  const comparable = !suppressed && first?.value != null && second?.value != null;
  return {
    measure,
    unit,
    dimension,
    rulesetVersion: ruleset,
    groups,
    gap: comparable ? round(first.value! - second.value!, 1) : null,
    ratio: comparable && second.value !== 0 ? round(first.value! / second.value!, 2) : null,
    suppressed,
  };
}

/** Every row, for each ruleset version that decided cases in the range (the current one at least). */
export function equityRows(
  monthly: Iterable<Map<Series, Counters>>,
  options: { team: string | undefined; currentRuleset: string; threshold: number },
) {
  const all = tallies(monthly, options.team);
  const rulesets = [
    ...new Set([options.currentRuleset, ...[...all.keys()].map((id) => id.split('|')[0]!)]),
  ].sort();
  return rulesets.flatMap((ruleset) =>
    EQUITY_MEASURES.flatMap((measure) =>
      (['gender', 'ageBand'] as const).map((dimension) =>
        row(ruleset, measure, dimension, all, options.threshold),
      ),
    ),
  );
}
