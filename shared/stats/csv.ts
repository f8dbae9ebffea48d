/**
 * A statistics answer as a CSV file (CONTRACT.md v1.1, "Statistics (follow-up)"). Written from the
 * already suppressed answer, so the file can never show more than the JSON does.
 */
export type CsvDialect = 'standard' | 'excel-sv';

export type StatsAnswerLike = {
  groupBy: string[];
  suppression: { threshold: number };
  cells: Array<
    { period: string; value: number | null; n: number | null; suppressed: boolean } & Record<string, unknown>
  >;
  totals: Array<{ period: string; value: number | null; n: number | null; suppressed: boolean }>;
};

/**
 * Standard is RFC 4180 (`,`, `.` decimals, CRLF). Swedish Excel reads `,` as the decimal sign, so
 * excel-sv separates with `;`, writes decimal commas and starts with a BOM, without which Excel
 * reads UTF-8 as Windows-1252 and mangles å, ä and ö.
 */
const DIALECTS: Record<CsvDialect, { bom: string; separator: string; decimal: string }> = {
  standard: { bom: '', separator: ',', decimal: '.' },
  'excel-sv': { bom: '\uFEFF', separator: ';', decimal: ',' },
};

/** A plain number as text, which a spreadsheet reads as a number and never as a formula. */
const PLAIN_NUMBER = /^-?\d+(?:[.,]\d+)?$/;

export function statsCsv(answer: StatsAnswerLike, dialect: CsvDialect): string {
  const { bom, separator, decimal } = DIALECTS[dialect];
  const number = (value: number) => String(value).replace('.', decimal);
  const text = (value: string) => {
    // A leading = + - @ tab or CR would make a spreadsheet run the field as a formula: keep it text.
    const safe = /^[=+\-@\t\r]/.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
    return safe.includes(separator) || /["\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const dimension = (value: unknown) => {
    if (value === undefined || value === null) return '';
    return typeof value === 'number' ? number(value) : text(String(value));
  };
  /** A suppressed figure says how small it is (`<5`) and nothing more: its n stays empty. */
  const figure = (row: { value: number | null; n: number | null; suppressed: boolean }) =>
    row.suppressed
      ? [text(`<${answer.suppression.threshold}`), '', 'true']
      : [row.value === null ? '' : number(row.value), row.n === null ? '' : number(row.n), 'false'];

  const lines = [
    ['period', ...answer.groupBy, 'value', 'n', 'suppressed'].map(text),
    ...answer.cells.map((cell) => [
      text(cell.period),
      ...answer.groupBy.map((dim) => dimension(cell[dim])),
      ...figure(cell),
    ]),
    // Without dimensions each cell already is its period's total.
    ...(answer.groupBy.length > 0
      ? answer.totals.map((total) => [text(total.period), ...answer.groupBy.map(() => ''), ...figure(total)])
      : []),
  ];
  return `${bom}${lines.map((line) => line.join(separator)).join('\r\n')}\r\n`;
}

/**
 * The download's file name, e.g. frontdesk-participants-new-2026-01-2026-12.csv. Only [a-z0-9-.], so
 * that it needs no quoting or encoding in Content-Disposition and cannot name a path.
 */
export function csvFileName(indicator: string, from: string, to: string): string {
  const part = (value: string) =>
    value
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9.-]+/g, '-')
      // No `..` and no run of separators: `a/../b` becomes `a-b`.
      .replace(/[-.]*-[-.]*/g, '-')
      .replace(/\.{2,}/g, '.')
      .replace(/^[-.]+|[-.]+$/g, '');
  return `${['frontdesk', indicator, from, to].map(part).filter(Boolean).join('-')}.csv`;
}
