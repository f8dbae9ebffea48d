/**
 * Small-number suppression of published statistics (CONTRACT.md v1.1, "Statistics (follow-up)").
 * A figure that rests on one to four people can point at a person in a small municipality, so it is
 * hidden, and so is whatever would let it be worked out by subtraction. Pure: the statistics function
 * applies it to every answer, JSON and CSV alike, and no role or parameter gets past it.
 */
export type Unit = 'count' | 'percent' | 'days';

/** A figure before suppression: n is the number of cases (or measurements) it rests on; for a count value === n. value null = no data (n 0 for a share/median). */
export type RawCell = { period: string; dims: Record<string, string>; value: number | null; n: number };

/** A figure as published: a suppressed one carries neither its value nor its n. */
export type Cell = {
  period: string;
  dims: Record<string, string>;
  value: number | null;
  n: number | null;
  suppressed: boolean;
};

/** Below three a "small number" is no protection at all; the contract forbids configuring less. */
export const MIN_THRESHOLD = 3;
export const DEFAULT_THRESHOLD = 5;

/**
 * Parses a configured threshold (env text or number); undefined → 5; below 3 or not an integer →
 * throws, so that a misconfigured function fails at cold start rather than publishing small numbers.
 */
export function suppressionThreshold(raw: unknown): number {
  if (raw === undefined) return DEFAULT_THRESHOLD;
  const value = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < MIN_THRESHOLD) {
    throw new Error(
      `The suppression threshold must be a whole number of at least ${MIN_THRESHOLD}, not ${String(raw)}.`,
    );
  }
  return value;
}

/**
 * The groups of entries whose sum a user can know, each as indexes into `[...cells, ...totals]`:
 * per period, all its cells with its total; with several dimensions also every marginal that another
 * query could publish, i.e. the cells sharing their values on any proper subset of the dimensions.
 * With two dimensions that is each row (same first value) and each column (same second value). A row
 * counts even though this answer has no row total, since a one-dimension query gives it.
 */
function linesOf(cells: RawCell[], totals: RawCell[], groupBy: string[]): number[][] {
  const lines = new Map<string, number[]>();
  const add = (key: unknown[], index: number) => {
    const id = JSON.stringify(key);
    const line = lines.get(id);
    if (line) line.push(index);
    else lines.set(id, [index]);
  };
  // Mask 0 is the whole period; the full mask (a cell on its own) is no line.
  const masks = Math.max(1, (1 << groupBy.length) - 1);
  cells.forEach((cell, index) => {
    for (let mask = 0; mask < masks; mask++) {
      const shared = groupBy.filter((_, d) => mask & (1 << d));
      add([cell.period, mask, ...shared.map((dim) => cell.dims[dim] ?? '')], index);
    }
  });
  totals.forEach((total, index) => {
    add([total.period, 0], cells.length + index);
  });
  // A line of one entry gives nothing away that the entry itself does not.
  return [...lines.values()].filter((line) => line.length > 1);
}

/**
 * Suppresses small numbers, then their complements. Primary: a figure resting on 1 to threshold−1
 * cases (zero is shown: "none" points at nobody). Complementary, on n for every unit because n is
 * published next to the value: a line (linesOf) with exactly one hidden entry would give it away by
 * subtraction, so the shown entry with the smallest n > 0 in it is hidden too (ties: the first), until
 * nothing changes. Zeros are never picked: hiding a known zero protects nothing. Nothing is ever
 * unsuppressed. `unit` is taken for the record; the rule is the same for counts, shares and medians.
 * Output keeps the input order.
 */
export function suppress(input: {
  cells: RawCell[];
  totals: RawCell[];
  groupBy: string[];
  unit: Unit;
  threshold: number;
}): { cells: Cell[]; totals: Cell[] } {
  // Checked here too: no caller gets a weaker threshold by passing a number of its own.
  const threshold = suppressionThreshold(input.threshold);
  const entries = [...input.cells, ...input.totals];
  for (const entry of entries) {
    if (!Number.isSafeInteger(entry.n) || entry.n < 0) {
      throw new Error(`A statistic's n must be a whole number of cases, not ${entry.n}.`);
    }
  }
  // A figure with cases but no value cannot be shown, and its n alone must not be: hide it like a
  // small one, so that its line protects it too.
  const hidden = entries.map(
    (entry) => (entry.n > 0 && entry.n < threshold) || (entry.n > 0 && entry.value === null),
  );

  const lines = linesOf(input.cells, input.totals, input.groupBy);
  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      if (line.filter((index) => hidden[index]).length !== 1) continue;
      let smallest: number | undefined;
      for (const index of line) {
        const n = entries[index]!.n;
        if (!hidden[index] && n > 0 && (smallest === undefined || n < entries[smallest]!.n)) smallest = index;
      }
      if (smallest !== undefined) {
        hidden[smallest] = true;
        changed = true;
      }
    }
  }

  const publish = (entry: RawCell, index: number): Cell =>
    hidden[index]
      ? { period: entry.period, dims: { ...entry.dims }, value: null, n: null, suppressed: true }
      : { period: entry.period, dims: { ...entry.dims }, value: entry.value, n: entry.n, suppressed: false };
  return {
    cells: input.cells.map((cell, index) => publish(cell, index)),
    totals: input.totals.map((total, index) => publish(total, input.cells.length + index)),
  };
}
