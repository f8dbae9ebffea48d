import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Cell,
  DEFAULT_THRESHOLD,
  MIN_THRESHOLD,
  type RawCell,
  suppress,
  suppressionThreshold,
  type Unit,
} from '../../shared/stats/suppression.js';

const P = '2026-11';

/** A count cell of one period: value and n are the same figure. */
const count = (n: number, dims: Record<string, string> = {}, period = P): RawCell => ({
  period,
  dims,
  value: n,
  n,
});

/** A one-dimension count table of one period (by team), with its total the sum of the cells. */
function byTeam(counts: Record<string, number>, threshold = DEFAULT_THRESHOLD, unit: Unit = 'count') {
  const cells = Object.entries(counts).map(([team, n]) => count(n, { team }));
  const totals = [count(cells.reduce((sum, cell) => sum + cell.n, 0))];
  return suppress({ cells, totals, groupBy: ['team'], unit, threshold });
}

/** The published figures in order, a suppressed one as `*`. */
const shown = (cells: Cell[]) => cells.map((cell) => (cell.suppressed ? '*' : cell.n));

describe('primary and complementary suppression', () => {
  it('hides a small cell and, since the total would give it away, the next smallest', () => {
    const answer = byTeam({ a: 3, b: 8, c: 12 });
    expect(shown(answer.cells)).toEqual(['*', '*', 12]);
    expect(shown(answer.totals)).toEqual([23]);
    expect(answer.cells[0]).toEqual({
      period: P,
      dims: { team: 'a' },
      value: null,
      n: null,
      suppressed: true,
    });
    expect(answer.cells[2]).toEqual({ period: P, dims: { team: 'c' }, value: 12, n: 12, suppressed: false });
  });

  it('needs no second cell when two are already small', () => {
    expect(shown(byTeam({ a: 2, b: 4, c: 20 }).cells)).toEqual(['*', '*', 20]);
  });

  it('hides a small total with its cells, and shows zeros', () => {
    const answer = byTeam({ a: 2, b: 0, c: 1 });
    expect(shown(answer.cells)).toEqual(['*', 0, '*']);
    expect(shown(answer.totals)).toEqual(['*']);
    expect(answer.cells[1]).toEqual({ period: P, dims: { team: 'b' }, value: 0, n: 0, suppressed: false });
  });

  it('never picks a zero as the complement: hiding a known nothing protects nothing', () => {
    expect(shown(byTeam({ a: 3, b: 0, c: 9, d: 11 }).cells)).toEqual(['*', 0, '*', 11]);
    // Only zeros besides: the small cell equals the (hidden) total, nothing more to hide.
    const alone = byTeam({ a: 4, b: 0 });
    expect(shown(alone.cells)).toEqual(['*', 0]);
    expect(shown(alone.totals)).toEqual(['*']);
  });

  it('shows a table without small numbers as it is, zeros included', () => {
    const answer = byTeam({ a: 0, b: 7, c: 9 });
    expect(shown(answer.cells)).toEqual([0, 7, 9]);
    expect(shown(answer.totals)).toEqual([16]);
  });

  it('breaks a tie on the smallest by taking the first', () => {
    expect(shown(byTeam({ a: 1, b: 6, c: 6, d: 9 }).cells)).toEqual(['*', '*', 6, 9]);
  });

  it('follows the threshold: 3 shows 3 and 4, 5 hides them', () => {
    expect(shown(byTeam({ a: 3, b: 4, c: 10 }, 3).cells)).toEqual([3, 4, 10]);
    expect(shown(byTeam({ a: 3, b: 4, c: 10 }, 5).cells)).toEqual(['*', '*', 10]);
    expect(shown(byTeam({ a: 2, b: 4, c: 10 }, 3).cells)).toEqual(['*', '*', 10]);
  });

  it('suppresses without dimensions: the one cell and its total alike', () => {
    const answer = suppress({
      cells: [count(3)],
      totals: [count(3)],
      groupBy: [],
      unit: 'count',
      threshold: 5,
    });
    expect(shown(answer.cells)).toEqual(['*']);
    expect(shown(answer.totals)).toEqual(['*']);
  });

  it('treats each period on its own and keeps the input order', () => {
    const cells = [count(3, { team: 'a' }), count(8, { team: 'b' }), count(6, { team: 'a' }, '2026-12')];
    cells.push(count(9, { team: 'b' }, '2026-12'));
    const totals = [count(11), count(15, {}, '2026-12')];
    const answer = suppress({ cells, totals, groupBy: ['team'], unit: 'count', threshold: 5 });
    expect(answer.cells.map((cell) => [cell.period, cell.dims.team, cell.n])).toEqual([
      [P, 'a', null],
      [P, 'b', null],
      ['2026-12', 'a', 6],
      ['2026-12', 'b', 9],
    ]);
    expect(shown(answer.totals)).toEqual([11, 15]);
  });

  it('protects rows and columns of a two-dimension table', () => {
    // team × age band; x/16-24 is small.
    //          16-24  25-29  30-49
    //   x        2     10     20
    //   y        7      6     15      total 60
    const table: [string, string, number][] = [
      ['x', '16-24', 2],
      ['x', '25-29', 10],
      ['x', '30-49', 20],
      ['y', '16-24', 7],
      ['y', '25-29', 6],
      ['y', '30-49', 15],
    ];
    const cells = table.map(([team, ageBand, n]) => count(n, { team, ageBand }));
    const answer = suppress({
      cells,
      totals: [count(60)],
      groupBy: ['team', 'ageBand'],
      unit: 'count',
      threshold: 5,
    });
    // The whole period takes y/25-29 (6), row x takes x/25-29, column 16-24 takes y/16-24: a 2 × 2
    // block whose every row, column and total has two unknowns.
    expect(shown(answer.cells)).toEqual(['*', '*', 20, '*', '*', 15]);
    expect(shown(answer.totals)).toEqual([60]);
  });

  it('protects a row even when the period as a whole already has two hidden cells', () => {
    //          women  men
    //   x        3     9
    //   y        4    30     total 46
    const cells = [
      count(3, { team: 'x', gender: 'women' }),
      count(9, { team: 'x', gender: 'men' }),
      count(4, { team: 'y', gender: 'women' }),
      count(30, { team: 'y', gender: 'men' }),
    ];
    const answer = suppress({
      cells,
      totals: [count(46)],
      groupBy: ['team', 'gender'],
      unit: 'count',
      threshold: 5,
    });
    // Row x alone would give 3 away (9 + ? = 12 from a by-team query), so x/men goes; then column men
    // has one hidden and y/men goes too.
    expect(shown(answer.cells)).toEqual(['*', '*', '*', '*']);
    expect(shown(answer.totals)).toEqual([46]);
  });

  it('applies the same rule to shares and medians, on the cases they rest on', () => {
    const share = (value: number | null, n: number, team: string): RawCell => ({
      period: P,
      dims: { team },
      value,
      n,
    });
    const cells = [share(50, 4, 'a'), share(62.5, 8, 'b'), share(40, 20, 'c'), share(null, 0, 'd')];
    const answer = suppress({
      cells,
      totals: [{ period: P, dims: {}, value: 46.9, n: 32 }],
      groupBy: ['team'],
      unit: 'percent',
      threshold: 5,
    });
    expect(shown(answer.cells)).toEqual(['*', '*', 20, 0]);
    expect(answer.cells[0]).toEqual({
      period: P,
      dims: { team: 'a' },
      value: null,
      n: null,
      suppressed: true,
    });
    // No cases: no value, shown as such, not suppressed.
    expect(answer.cells[3]).toEqual({ period: P, dims: { team: 'd' }, value: null, n: 0, suppressed: false });
    expect(answer.totals[0]).toMatchObject({ value: 46.9, n: 32, suppressed: false });

    const medians = suppress({
      cells: [share(12, 3, 'a'), share(null, 0, 'b')],
      totals: [{ period: P, dims: {}, value: 12, n: 3 }],
      groupBy: ['team'],
      unit: 'days',
      threshold: 5,
    });
    expect(shown(medians.cells)).toEqual(['*', 0]);
    expect(shown(medians.totals)).toEqual(['*']);
  });

  it('never publishes an n without a value unless the n is 0', () => {
    const cells: RawCell[] = [
      { period: P, dims: { team: 'a' }, value: null, n: 12 },
      { period: P, dims: { team: 'b' }, value: 7, n: 30 },
      { period: P, dims: { team: 'c' }, value: 9, n: 40 },
    ];
    const answer = suppress({
      cells,
      totals: [{ period: P, dims: {}, value: 8, n: 82 }],
      groupBy: ['team'],
      unit: 'days',
      threshold: 5,
    });
    expect(shown(answer.cells)).toEqual(['*', '*', 40]);
  });

  it('refuses an n that is no number of cases', () => {
    for (const n of [-1, 2.5, Number.NaN]) {
      expect(() =>
        suppress({ cells: [count(n)], totals: [], groupBy: [], unit: 'count', threshold: 5 }),
      ).toThrow(/whole number/);
    }
  });
});

describe('the suppression threshold', () => {
  it('is 5 unless configured, and reads a number or its text', () => {
    expect(suppressionThreshold(undefined)).toBe(5);
    expect(suppressionThreshold(3)).toBe(3);
    expect(suppressionThreshold('7')).toBe(7);
    expect(suppressionThreshold(' 10 ')).toBe(10);
  });

  it('refuses anything below 3 or not a whole number, also when handed to suppress', () => {
    for (const bad of [2, '2', 0, -5, 4.5, '4.5', '', 'five', null, Number.POSITIVE_INFINITY, {}]) {
      expect(() => suppressionThreshold(bad), String(bad)).toThrow(/at least 3/);
    }
    expect(() =>
      suppress({ cells: [count(1)], totals: [], groupBy: [], unit: 'count', threshold: 2 }),
    ).toThrow(/at least 3/);
    expect(MIN_THRESHOLD).toBe(3);
  });
});

describe('suppression as a property', () => {
  /** Counts with many small numbers and zeros, where suppression has work to do. */
  const n = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 40 }));
  const table = fc.record({
    dims: fc.constantFrom(1, 2),
    rows: fc.integer({ min: 1, max: 4 }),
    columns: fc.integer({ min: 1, max: 4 }),
    periods: fc.integer({ min: 1, max: 2 }),
    threshold: fc.integer({ min: MIN_THRESHOLD, max: 6 }),
    counts: fc.array(n, { minLength: 32, maxLength: 32 }),
  });

  it('leaves no line with a single hidden entry, and no published n below the threshold', () => {
    fc.assert(
      fc.property(table, ({ dims, rows, columns, periods, threshold, counts }) => {
        const groupBy = dims === 1 ? ['team'] : ['team', 'ageBand'];
        const cells: RawCell[] = [];
        const totals: RawCell[] = [];
        for (let p = 0; p < periods; p++) {
          const period = `2026-1${p}`;
          const first = cells.length;
          for (let r = 0; r < rows; r++) {
            for (let c = 0; c < (dims === 1 ? 1 : columns); c++) {
              const cellDims: Record<string, string> =
                dims === 1 ? { team: `t${r}` } : { team: `t${r}`, ageBand: `a${c}` };
              cells.push(count(counts[cells.length % counts.length]!, cellDims, period));
            }
          }
          totals.push(
            count(
              cells.slice(first).reduce((sum, cell) => sum + cell.n, 0),
              {},
              period,
            ),
          );
        }

        const answer = suppress({ cells, totals, groupBy, unit: 'count', threshold });

        const input = [...cells, ...totals];
        const output = [...answer.cells, ...answer.totals];
        output.forEach((cell, index) => {
          const raw = input[index]!;
          expect(cell.period).toBe(raw.period);
          expect(cell.dims).toEqual(raw.dims);
          if (raw.n > 0 && raw.n < threshold) expect(cell.suppressed).toBe(true);
          if (cell.suppressed) expect([cell.value, cell.n]).toEqual([null, null]);
          else expect([cell.value, cell.n]).toEqual([raw.value, raw.n]);
          if (cell.n !== null) expect(cell.n === 0 || cell.n >= threshold).toBe(true);
        });

        // Every line a user can subtract along: each period with its total, and rows and columns.
        const lines: Cell[][] = [];
        for (const total of answer.totals) {
          const ofPeriod = answer.cells.filter((cell) => cell.period === total.period);
          lines.push([...ofPeriod, total]);
          if (dims === 2) {
            for (const dim of groupBy) {
              for (const value of new Set(ofPeriod.map((cell) => cell.dims[dim]))) {
                lines.push(ofPeriod.filter((cell) => cell.dims[dim] === value));
              }
            }
          }
        }
        for (const line of lines) {
          const hidden = line.filter((cell) => cell.suppressed);
          if (hidden.length === 1) expect(line.every((cell) => cell.suppressed || cell.n === 0)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
