import { describe, expect, it } from 'vitest';
import {
  chartValue,
  csvPathOf,
  fileNameOf,
  findCell,
  keysOf,
  monthsBetween,
  periodMonths,
  type StatsCell,
  statsQuery,
} from '../../web/src/stats.js';

/** What the follow-up page asks the statistics API, and how it reads the answers. */
describe("the follow-up page's figures", () => {
  it('takes this month, quarter and year so far in Swedish time', () => {
    // 23:30 UTC on 31 May is 01:30 on 1 June in Stockholm.
    const now = new Date('2026-05-31T23:30:00Z');
    expect(periodMonths('month', now)).toEqual({ from: '2026-06', to: '2026-06' });
    expect(periodMonths('quarter', now)).toEqual({ from: '2026-04', to: '2026-06' });
    expect(periodMonths('year', now)).toEqual({ from: '2026-01', to: '2026-06' });
    expect(periodMonths('quarter', new Date('2026-11-15T12:00:00Z'))).toEqual({
      from: '2026-10',
      to: '2026-11',
    });
    // New Year's Eve at 23:30 UTC is already next year in Sweden.
    expect(periodMonths('year', new Date('2026-12-31T23:30:00Z'))).toEqual({
      from: '2027-01',
      to: '2027-01',
    });
  });

  it('lists the months of a period', () => {
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsBetween('2026-03', '2026-03')).toEqual(['2026-03']);
  });

  it('asks in a fixed order, leaving out what is not given, and asks the same for CSV', () => {
    const query = statsQuery({
      indicator: 'participants-new',
      from: '2026-01',
      to: '2026-03',
      interval: 'total',
      groupBy: 'targetGroup,gender',
      targetGroup: undefined,
    });
    expect(query).toBe(
      'indicator=participants-new&from=2026-01&to=2026-03&interval=total&groupBy=targetGroup%2Cgender',
    );
    expect(csvPathOf(`/stats?${query}`)).toBe(`/stats?${query}&format=csv&dialect=excel-sv`);
    expect(csvPathOf('/stats/equity')).toBe('/stats/equity?format=csv&dialect=excel-sv');
  });

  const cells: StatsCell[] = [
    { period: '2026-01..2026-03', targetGroup: 'TG4', gender: 'men', value: 7, n: 7, suppressed: false },
    {
      period: '2026-01..2026-03',
      targetGroup: 'TG1',
      gender: 'women',
      value: null,
      n: null,
      suppressed: true,
    },
    { period: '2026-01..2026-03', targetGroup: 'TG9', gender: 'women', value: 5, n: 5, suppressed: false },
  ];

  it('finds cells by their dimensions, and reads suppressed, missing and empty ones apart', () => {
    expect(findCell(cells, { targetGroup: 'TG4', gender: 'men' })?.value).toBe(7);
    expect(findCell(cells, { targetGroup: 'TG4', gender: 'women' })).toBeUndefined();
    expect(chartValue(findCell(cells, { targetGroup: 'TG4', gender: 'men' }), 'count')).toBe(7);
    expect(chartValue(findCell(cells, { targetGroup: 'TG1', gender: 'women' }), 'count')).toBeNull();
    expect(chartValue(undefined, 'count')).toBe(0);
    expect(chartValue(undefined, 'percent')).toBeUndefined();
  });

  it('orders the known values first and any new ones after them', () => {
    expect(keysOf(cells, 'targetGroup', ['TG1', 'TG2', 'TG3', 'TG4'])).toEqual(['TG1', 'TG4', 'TG9']);
    expect(keysOf(cells, 'gender', ['women', 'men'])).toEqual(['women', 'men']);
  });

  it("takes the API's file name for a download", () => {
    expect(fileNameOf('attachment; filename="participants-new-2026-01-2026-03.csv"')).toBe(
      'participants-new-2026-01-2026-03.csv',
    );
    expect(fileNameOf("attachment; filename*=UTF-8''uppf%C3%B6ljning.csv")).toBe('uppföljning.csv');
    expect(fileNameOf(null)).toBeUndefined();
  });
});
