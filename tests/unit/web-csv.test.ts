import { describe, expect, it } from 'vitest';
import { csvDateTime, toCsv } from '../../web/src/csv.js';

describe("the work list's CSV file", () => {
  it('is ;-separated with a BOM and CRLF, quoting what must be quoted', () => {
    const csv = toCsv([
      ['Ärendenummer', 'Person'],
      ['FD-2026-00042', 'Åsa "Kalla" Öberg; jr'],
    ]);

    expect(csv).toBe('\uFEFFÄrendenummer;Person\r\nFD-2026-00042;"Åsa ""Kalla"" Öberg; jr"\r\n');
  });

  it('keeps a leading = + - @ as text, never a formula', () => {
    expect(toCsv([['=HYPERLINK("x")', '+1', '-2', '@a']])).toBe(
      '\uFEFF"\'=HYPERLINK(""x"")";\'+1;\'-2;\'@a\r\n',
    );
  });

  it('writes times as a spreadsheet reads them, in Swedish time', () => {
    expect(csvDateTime('2026-12-03T10:52:00Z')).toBe('2026-12-03 11:52');
    expect(csvDateTime(undefined)).toBe('');
  });
});
