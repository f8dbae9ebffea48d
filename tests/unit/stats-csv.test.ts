import { describe, expect, it } from 'vitest';
import { csvFileName, type StatsAnswerLike, statsCsv } from '../../shared/stats/csv.js';

const figure = (value: number | null, n: number | null, suppressed = false) => ({ value, n, suppressed });
const hidden = figure(null, null, true);

/** A by-team answer of one month: one small (hidden) team, one shown. */
const byTeam: StatsAnswerLike = {
  groupBy: ['team'],
  suppression: { threshold: 5 },
  cells: [
    { period: '2026-11', team: 'labour-market-unit', ...figure(12, 12) },
    { period: '2026-11', team: 'partner-programmes', ...hidden },
  ],
  totals: [{ period: '2026-11', ...figure(15, 15) }],
};

describe('the statistics CSV file', () => {
  it('has a header of period and value, n and suppressed, and no total rows, without dimensions', () => {
    const csv = statsCsv(
      {
        groupBy: [],
        suppression: { threshold: 5 },
        cells: [{ period: '2026-11', ...figure(12, 12) }],
        totals: [{ period: '2026-11', ...figure(12, 12) }],
      },
      'standard',
    );
    expect(csv).toBe('period,value,n,suppressed\r\n2026-11,12,12,false\r\n');
  });

  it('names one dimension, writes a hidden figure as <5 with no n, then the totals', () => {
    expect(statsCsv(byTeam, 'standard')).toBe(
      [
        'period,team,value,n,suppressed',
        '2026-11,labour-market-unit,12,12,false',
        '2026-11,partner-programmes,<5,,true',
        '2026-11,,15,15,false',
        '',
      ].join('\r\n'),
    );
  });

  it('names two dimensions in their order, leaving both empty on the totals', () => {
    const csv = statsCsv(
      {
        groupBy: ['gender', 'ageBand'],
        suppression: { threshold: 3 },
        cells: [
          { period: '2026-11', gender: 'women', ageBand: '16-24', ...figure(7, 7) },
          { period: '2026-11', gender: 'men', ageBand: '16-24', ...hidden },
        ],
        totals: [{ period: '2026-11', ...hidden }],
      },
      'standard',
    );
    expect(csv.split('\r\n')).toEqual([
      'period,gender,ageBand,value,n,suppressed',
      '2026-11,women,16-24,7,7,false',
      '2026-11,men,16-24,<3,,true',
      '2026-11,,,<3,,true',
      '',
    ]);
  });

  it('leaves the value empty when a share has no cases, and writes decimals with a point', () => {
    const csv = statsCsv(
      {
        groupBy: ['team'],
        suppression: { threshold: 5 },
        cells: [
          { period: '2026-11', team: 'a', ...figure(null, 0) },
          { period: '2026-11', team: 'b', ...figure(12.5, 8) },
        ],
        totals: [{ period: '2026-11', ...figure(-1.5, 8) }],
      },
      'standard',
    );
    expect(csv).toBe(
      'period,team,value,n,suppressed\r\n2026-11,a,,0,false\r\n2026-11,b,12.5,8,false\r\n2026-11,,-1.5,8,false\r\n',
    );
    expect(csv.startsWith('\uFEFF')).toBe(false);
  });

  it('writes Swedish Excel: a BOM, semicolons and decimal commas', () => {
    const csv = statsCsv(
      {
        groupBy: ['team'],
        suppression: { threshold: 5 },
        cells: [
          { period: '2026-11', team: 'Arbetsmarknadsenheten, Å', ...figure(12.5, 8) },
          { period: '2026-11', team: 'b', ...hidden },
        ],
        totals: [{ period: '2026-11', ...figure(-1.5, 20) }],
      },
      'excel-sv',
    );
    expect(csv).toBe(
      '\uFEFFperiod;team;value;n;suppressed\r\n' +
        '2026-11;Arbetsmarknadsenheten, Å;12,5;8;false\r\n' +
        '2026-11;b;<5;;true\r\n' +
        '2026-11;;-1,5;20;false\r\n',
    );
  });

  it('quotes a field holding the separator, a quote or a line break', () => {
    const answer = (team: string): StatsAnswerLike => ({
      groupBy: ['team'],
      suppression: { threshold: 5 },
      cells: [{ period: '2026-11', team, ...figure(6, 6) }],
      totals: [],
    });
    const row = (team: string, dialect: 'standard' | 'excel-sv') =>
      statsCsv(answer(team), dialect).split('\r\n')[1];
    expect(row('a, b', 'standard')).toBe('2026-11,"a, b",6,6,false');
    expect(row('a; b', 'standard')).toBe('2026-11,a; b,6,6,false');
    expect(row('a; b', 'excel-sv')).toBe('2026-11;"a; b";6;6;false');
    expect(row('Åsa "K"', 'standard')).toBe('2026-11,"Åsa ""K""",6,6,false');
    expect(statsCsv(answer('a\nb'), 'standard')).toContain('2026-11,"a\nb",6,6,false\r\n');
  });

  it('keeps a leading = + - @ tab or CR as text, never a formula, but leaves numbers and age bands alone', () => {
    const csv = statsCsv(
      {
        groupBy: ['team'],
        suppression: { threshold: 5 },
        cells: ['=HYPERLINK("x")', '+1+1', '-x', '@SUM(A1)', '\tx', '\rx', '-3', '-1.5', '16-24'].map(
          (team) => ({
            period: '2026-11',
            team,
            ...figure(-2, 6),
          }),
        ),
        totals: [],
      },
      'standard',
    );
    expect(csv.split('\r\n').slice(1, -1)).toEqual([
      '2026-11,"\'=HYPERLINK(""x"")",-2,6,false',
      "2026-11,'+1+1,-2,6,false",
      "2026-11,'-x,-2,6,false",
      "2026-11,'@SUM(A1),-2,6,false",
      "2026-11,'\tx,-2,6,false",
      '2026-11,"\'\rx",-2,6,false',
      '2026-11,-3,-2,6,false',
      '2026-11,-1.5,-2,6,false',
      '2026-11,16-24,-2,6,false',
    ]);
  });
});

describe('the CSV file name', () => {
  it('names the indicator and the months', () => {
    expect(csvFileName('participants-new', '2026-01', '2026-12')).toBe(
      'frontdesk-participants-new-2026-01-2026-12.csv',
    );
  });

  it('holds only lower-case letters, digits, hyphens and points, whatever it is given', () => {
    const name = csvFileName('Ledtid/../"Tid till beslut"; Å', '2026-01-01', '2026-12-31\r\n');
    expect(name).toBe('frontdesk-ledtid-tid-till-beslut-a-2026-01-01-2026-12-31.csv');
    expect(name).toMatch(/^[a-z0-9.-]+$/);
  });
});
