/** Small helpers the benchmark sections share: statistics over samples and plain-text tables. */

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: the smallest value with at least p % of the samples at or below it.
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export const median = (values: readonly number[]) => percentile(values, 50);
export const min = (values: readonly number[]) => (values.length ? Math.min(...values) : Number.NaN);
export const max = (values: readonly number[]) => (values.length ? Math.max(...values) : Number.NaN);

export const round = (value: number, digits = 1) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

export const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

type Cell = string | number;

/** A table with a header row; numbers are right-aligned, text left-aligned. */
export function table(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = (cell: Cell) => (typeof cell === 'number' ? String(cell) : cell);
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => text(row[column] ?? '').length)),
  );
  const numeric = headers.map((_, column) =>
    rows.every((row) => typeof row[column] === 'number' || /^[-–\d.,<>≤ %]+$/.test(text(row[column] ?? ''))),
  );
  const line = (cells: readonly Cell[], isHeader = false) =>
    cells
      .map((cell, column) => {
        const value = text(cell);
        const width = widths[column] ?? value.length;
        return numeric[column] && !isHeader ? value.padStart(width) : value.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  return [line(headers, true), rule, ...rows.map((row) => line(row))].join('\n');
}

export function section(title: string): void {
  console.log(`\n${title}\n${'═'.repeat(title.length)}`);
}

export const note = (text: string) => console.log(`  ${text}`);
