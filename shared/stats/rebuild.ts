import { caseFromItem } from '../cases/case-items.js';
import { contributions, counterId, parseCounterId } from './contributions.js';
import { factsFromRecord, statFacts } from './facts.js';
import { monthsBetween, runningTotals } from './query.js';
import type { Counters, StatsRepository } from './repository.js';
import { STATS_EPOCH } from './stats-service.js';

/**
 * The aggregates recomputed from the source: every live case, and the anonymous record of every
 * closed case whose personal data has gone (shared/cases/retention.ts). A live case wins over its
 * own anonymous record. Snapshots of open cases are recomputed for every month that has one.
 */
export async function recompute(stats: StatsRepository, snapshotMonths: Iterable<string>) {
  const facts = new Map<string, ReturnType<typeof statFacts>>();
  for (const item of await stats.scanPrefix('STATS#')) {
    if (item.sk !== 'STATS') continue;
    const record = factsFromRecord(item);
    facts.set(record.caseId, record);
  }
  for (const item of await stats.scanPrefix('CASE#')) {
    if (item.sk !== 'CASE') continue;
    const record = caseFromItem(item);
    facts.set(record.caseId, statFacts(record));
  }
  const counters = new Map<string, number>();
  for (const one of facts.values())
    for (const [id, value] of contributions(one)) {
      const sum = (counters.get(id) ?? 0) + value;
      if (sum === 0) counters.delete(id);
      else counters.set(id, sum);
    }
  const months = [...snapshotMonths].sort();
  const snapshots = new Map<string, Counters>();
  if (months.length > 0) {
    const deltas = new Map<string, Counters>();
    for (const [id, value] of counters) {
      const { month, series, key } = parseCounterId(id);
      if (series !== 'active') continue;
      const perMonth = deltas.get(month) ?? new Map<string, number>();
      perMonth.set(key, value);
      deltas.set(month, perMonth);
    }
    const first = [...deltas.keys(), months[0]!].sort()[0]!;
    const running = runningTotals(
      monthsBetween(first < STATS_EPOCH ? first : STATS_EPOCH, months.at(-1)!),
      new Map(),
      deltas,
      new Map(),
    );
    for (const month of months) snapshots.set(month, running.get(month) ?? new Map());
  }
  return { counters, snapshots, cases: facts.size };
}

/** How stored counters differ from recomputed ones: each counter id (month, series, key) that differs. */
export function differences(stored: Map<string, number>, expected: Map<string, number>) {
  const ids = new Set([...stored.keys(), ...expected.keys()]);
  return [...ids]
    .filter((id) => (stored.get(id) ?? 0) !== (expected.get(id) ?? 0))
    .sort()
    .map((id) => ({ ...parseCounterId(id), stored: stored.get(id) ?? 0, expected: expected.get(id) ?? 0 }));
}

/** Snapshot differences, as counter ids of the `active-snapshot` series. */
export function snapshotDifferences(stored: Map<string, Counters>, expected: Map<string, Counters>) {
  const flat = (snapshots: Map<string, Counters>) =>
    new Map(
      [...snapshots].flatMap(([month, values]) =>
        [...values].map(([key, value]) => [counterId({ month, series: 'active', key }), value] as const),
      ),
    );
  return differences(flat(stored), flat(expected));
}
