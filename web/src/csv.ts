/**
 * A table as a CSV file for Swedish Excel: `;` between fields (the comma is the decimal sign), a
 * byte-order mark so that å, ä and ö survive, CRLF line ends, every field quoted when it must be.
 */
export function toCsv(rows: readonly (readonly string[])[]): string {
  const field = (value: string) => {
    // A leading = + - @ would make a spreadsheet run it as a formula: keep it text.
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `\uFEFF${rows.map((row) => row.map(field).join(';')).join('\r\n')}\r\n`;
}

/** A time as a spreadsheet reads it: `2026-12-03 11:52`, Swedish time. */
export function csvDateTime(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat('sv-SE', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: 'Europe/Stockholm',
  }).format(date);
}
