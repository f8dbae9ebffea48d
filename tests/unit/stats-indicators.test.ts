import { describe, expect, it } from 'vitest';
import { milestoneDate } from '../../shared/cases/follow-ups.js';
import { contributionDiff, contributions, daysBetween, monthOf } from '../../shared/stats/contributions.js';
import type { StatFacts } from '../../shared/stats/facts.js';
import { ageBandOf } from '../../shared/stats/facts.js';
import { indicatorById } from '../../shared/stats/indicators.js';
import {
  type Domains,
  figures,
  periodOf,
  quantile,
  runningTotals,
  type StatsQuery,
} from '../../shared/stats/query.js';
import type { Counters } from '../../shared/stats/repository.js';

/** Each indicator's definition at the edges of months and quarters, in Swedish time. */
const DOMAINS: Domains = {
  targetGroup: ['TG1', 'TG4', 'TG5'],
  gender: ['women', 'men'],
  ageBand: ['16-24', '25-29', '30-49', '50-65', 'other'],
  agency: ['municipality', 'employment-service', 'social-insurance'],
  team: ['labour-market-unit', 'employment-service'],
  outcome: ['employment', 'studies', 'other-intervention', 'moved', 'declined', 'other'],
};

const facts = (overrides: Partial<StatFacts> = {}): StatFacts => ({
  caseId: 'c1',
  createdAt: '2026-03-10T09:00:00Z',
  gender: 'women',
  ageBand: '30-49',
  referrals: [{ agency: 'municipality', submittedAt: '2026-03-10T09:00:00Z' }],
  screened: true,
  eligible: true,
  priority: 'normal',
  targetGroups: ['TG4'],
  rulesetVersion: 'timra-2026.1',
  teams: [{ team: 'labour-market-unit', state: 'routed', routedAt: '2026-03-10T09:00:01Z' }],
  followUps: [],
  ...overrides,
});

/** Sums the contributions of several cases into each month's counters of one series. */
function monthly(all: StatFacts[], series: string): Map<string, Counters> {
  const result = new Map<string, Counters>();
  for (const one of all)
    for (const [id, value] of contributions(one)) {
      const [month, name, key] = id.split('\t') as [string, string, string];
      if (name !== series) continue;
      const counters = result.get(month) ?? new Map<string, number>();
      counters.set(key, (counters.get(key) ?? 0) + value);
      result.set(month, counters);
    }
  return result;
}

const question = (id: string, overrides: Partial<StatsQuery> = {}): StatsQuery => ({
  indicator: indicatorById(id)!,
  from: '2026-01',
  to: '2026-06',
  interval: 'month',
  groupBy: [],
  filters: {},
  ...overrides,
});

describe('months and quarters are Swedish', () => {
  it('puts an instant in the Swedish month, in winter and in summer time', () => {
    expect(monthOf('2026-01-31T22:59:59Z')).toBe('2026-01');
    expect(monthOf('2026-01-31T23:00:00Z')).toBe('2026-02'); // 00:00 CET
    expect(monthOf('2026-06-30T21:59:59Z')).toBe('2026-06');
    expect(monthOf('2026-06-30T22:00:00Z')).toBe('2026-07'); // 00:00 CEST
    expect(monthOf('2026-12-31T23:30:00Z')).toBe('2027-01');
  });

  it('names months, quarters, years and the whole range', () => {
    const range = { from: '2026-01', to: '2026-12' };
    expect(periodOf('2026-03', 'quarter', range)).toBe('2026-Q1');
    expect(periodOf('2026-04', 'quarter', range)).toBe('2026-Q2');
    expect(periodOf('2026-12', 'quarter', range)).toBe('2026-Q4');
    expect(periodOf('2026-12', 'year', range)).toBe('2026');
    expect(periodOf('2026-07', 'total', range)).toBe('2026-01..2026-12');
  });

  it('counts a case opened just after midnight on 1 April in April and in Q2', () => {
    // 2026-03-31T22:30Z is 00:30 on 1 April in Stockholm (summer time began on 29 March).
    const opened = facts({ createdAt: '2026-03-31T22:30:00Z' });
    const byMonth = figures(
      question('participants-new', { from: '2026-03', to: '2026-04' }),
      monthly([opened], 'new'),
      DOMAINS,
    );
    expect(byMonth.totals.map((total) => [total.period, total.value])).toEqual([
      ['2026-03', 0],
      ['2026-04', 1],
    ]);
    const byQuarter = figures(
      question('participants-new', { interval: 'quarter' }),
      monthly([opened], 'new'),
      DOMAINS,
    );
    expect(byQuarter.totals.map((total) => [total.period, total.value])).toEqual([
      ['2026-Q1', 0],
      ['2026-Q2', 1],
    ]);
  });
});

describe('each indicator', () => {
  it('referrals-received counts referrals by the month each came in, under its own agency', () => {
    const joined = facts({
      referrals: [
        { agency: 'municipality', submittedAt: '2026-01-31T22:00:00Z' },
        { agency: 'employment-service', submittedAt: '2026-02-01T10:00:00Z' },
      ],
    });
    const answer = figures(
      question('referrals-received', { groupBy: ['agency'], from: '2026-01', to: '2026-02' }),
      monthly([joined], 'received'),
      DOMAINS,
    );
    const value = (period: string, agency: string) =>
      answer.cells.find((cell) => cell.period === period && cell.dims.agency === agency)?.value;
    expect(value('2026-01', 'municipality')).toBe(1);
    expect(value('2026-02', 'employment-service')).toBe(1);
    expect(value('2026-02', 'municipality')).toBe(0);
    expect(answer.totals.map((total) => total.value)).toEqual([1, 1]);
  });

  it('participants-new counts a case once in each of its target groups and once in the total', () => {
    const both = facts({ targetGroups: ['TG1', 'TG4'] });
    const answer = figures(
      question('participants-new', { groupBy: ['targetGroup'], from: '2026-03', to: '2026-03' }),
      monthly([both], 'new'),
      DOMAINS,
    );
    expect(answer.cells.map((cell) => [cell.dims.targetGroup, cell.value])).toEqual([
      ['TG1', 1],
      ['TG4', 1],
      ['TG5', 0],
    ]);
    expect(answer.totals[0]?.value).toBe(1);
  });

  it('participants-active is the open cases at each period end: opened in January, closed on 1 March (Swedish)', () => {
    const one = facts({ createdAt: '2026-01-15T10:00:00Z', closedAt: '2026-02-28T23:30:00Z' });
    const deltas = monthly([one], 'active');
    const months = ['2026-01', '2026-02', '2026-03'];
    const running = runningTotals(months, new Map(), deltas, new Map());
    const answer = figures(
      question('participants-active', { from: '2026-01', to: '2026-03' }),
      running,
      DOMAINS,
    );
    expect(answer.totals.map((total) => total.value)).toEqual([1, 1, 0]);
    const quarter = figures(
      question('participants-active', { from: '2026-01', to: '2026-03', interval: 'quarter' }),
      running,
      DOMAINS,
    );
    expect(quarter.totals.map((total) => total.value)).toEqual([0]);
  });

  it('participants-active takes a monthly snapshot where there is one', () => {
    const snapshot = new Map([['*|men|30-49|*|*|', 4]]);
    const running = runningTotals(
      ['2026-01', '2026-02'],
      new Map(),
      new Map(),
      new Map([['2026-01', snapshot]]),
    );
    expect(running.get('2026-02')).toEqual(snapshot);
  });

  it('lead-time is the median of whole days from the previous step, by the month the step was taken', () => {
    expect(daysBetween('2026-03-01T10:00:00Z', '2026-03-02T09:59:59Z')).toBe(0);
    expect(daysBetween('2026-03-01T10:00:00Z', '2026-03-02T10:00:00Z')).toBe(1);
    const accepted = (days: number, id: string) =>
      facts({
        caseId: id,
        teams: [
          {
            team: 'labour-market-unit',
            state: 'accepted',
            routedAt: '2026-03-01T10:00:00Z',
            acceptedAt: new Date(Date.parse('2026-03-01T10:00:00Z') + days * 86_400_000).toISOString(),
          },
        ],
      });
    const all = [1, 2, 3, 10].map((days, index) => accepted(days, `c${index}`));
    const answer = figures(
      question('lead-time', { step: 'accepted', from: '2026-03', to: '2026-03' }),
      monthly(all, 'lt-accepted'),
      DOMAINS,
    );
    expect(answer.totals[0]).toMatchObject({ value: 2.5, n: 4 });
    const spread = { p25: 1, p75: 3, within30: 100, within90: 100, within180: 100 };
    expect(answer.extras.get(answer.totals[0]!)).toEqual(spread);
    // Without groupBy the one cell of a period is its total, spread and all.
    expect(answer.extras.get(answer.cells[0]!)).toEqual(spread);
  });

  it('quantile: nearest rank, the midpoint for an even median', () => {
    const days = new Map([
      [0, 2],
      [5, 1],
      [40, 1],
    ]);
    expect(quantile(days, 4, 0.5)).toBe(2.5);
    expect(quantile(days, 4, 0.25)).toBe(0);
    expect(quantile(days, 4, 0.75)).toBe(5);
    expect(quantile(new Map(), 0, 0.5)).toBeNull();
  });

  it('outcomes counts closed team assignments by outcome in the month they closed', () => {
    const closed = facts({
      closedAt: '2026-04-30T22:30:00Z',
      teams: [
        {
          team: 'labour-market-unit',
          state: 'closed',
          routedAt: '2026-03-10T09:00:01Z',
          closedAt: '2026-04-30T22:30:00Z',
          outcome: 'studies',
        },
      ],
    });
    const answer = figures(
      question('outcomes', { groupBy: ['outcome'], from: '2026-04', to: '2026-05' }),
      monthly([closed], 'outcome'),
      DOMAINS,
    );
    expect(
      answer.cells.find((cell) => cell.period === '2026-05' && cell.dims.outcome === 'studies')?.value,
    ).toBe(1);
    expect(answer.totals.map((total) => total.value)).toEqual([0, 1]);
  });

  it('work-or-studies-share and declined-share are percentages of their n', () => {
    const closedCase = (outcome: 'employment' | 'moved', id: string) =>
      facts({
        caseId: id,
        closedAt: '2026-05-05T10:00:00Z',
        teams: [
          {
            team: 'labour-market-unit',
            state: 'closed',
            routedAt: '2026-03-10T09:00:01Z',
            closedAt: '2026-05-05T10:00:00Z',
            outcome,
          },
        ],
      });
    const cases = [closedCase('employment', 'a'), closedCase('moved', 'b'), closedCase('moved', 'c')];
    const work = figures(
      question('work-or-studies-share', { from: '2026-05', to: '2026-05' }),
      monthly(cases, 'closed'),
      DOMAINS,
    );
    expect(work.totals[0]).toMatchObject({ value: 33.3, n: 3 });
    const decided = [
      facts({
        caseId: 'd',
        teams: [
          {
            team: 'labour-market-unit',
            state: 'declined',
            routedAt: '2026-05-01T10:00:00Z',
            declinedAt: '2026-05-02T10:00:00Z',
          },
        ],
      }),
      facts({
        caseId: 'e',
        teams: [
          {
            team: 'labour-market-unit',
            state: 'accepted',
            routedAt: '2026-05-01T10:00:00Z',
            acceptedAt: '2026-05-02T10:00:00Z',
          },
        ],
      }),
    ];
    const declined = figures(
      question('declined-share', { from: '2026-05', to: '2026-05' }),
      monthly(decided, 'decision'),
      DOMAINS,
    );
    expect(declined.totals[0]).toMatchObject({ value: 50, n: 2 });
  });

  it('self-sufficient-6m follows TG4 cohorts by the month their intervention started', () => {
    const followed = (selfSufficient: boolean, id: string, targetGroups = ['TG4']) =>
      facts({
        caseId: id,
        targetGroups,
        teams: [
          {
            team: 'labour-market-unit',
            state: 'intervention-started',
            routedAt: '2026-01-05T10:00:00Z',
            interventionStartedAt: '2026-01-31T23:10:00Z',
          },
        ],
        followUps: [
          { milestone: '6m', selfSufficient, recordedAt: '2026-08-03T10:00:00Z', team: 'labour-market-unit' },
        ],
      });
    const cases = [
      followed(true, 'a'),
      followed(false, 'b'),
      followed(false, 'c'),
      followed(true, 'x', ['TG1']),
    ];
    const answer = figures(
      question('self-sufficient-6m', { from: '2026-01', to: '2026-02' }),
      monthly(cases, 'ss-6m'),
      DOMAINS,
    );
    // 23:10 UTC on 31 January is February in Sweden; the TG1 case is no part of TG4's cohort.
    expect(answer.totals.map((total) => [total.period, total.value, total.n])).toEqual([
      ['2026-01', null, 0],
      ['2026-02', 33.3, 3],
    ]);
  });
});

describe('a change counts exactly once', () => {
  it('the diffs of a case’s changes add up to its contributions, however its target groups moved', () => {
    const steps: StatFacts[] = [
      facts({ screened: false, targetGroups: [], rulesetVersion: null, teams: [] }),
      facts({ targetGroups: ['TG1'] }),
      facts({ targetGroups: ['TG1', 'TG4'] }),
      facts({
        targetGroups: ['TG4'],
        closedAt: '2026-06-01T10:00:00Z',
        teams: [
          {
            team: 'labour-market-unit',
            state: 'closed',
            routedAt: '2026-03-10T09:00:01Z',
            closedAt: '2026-06-01T10:00:00Z',
            outcome: 'moved',
          },
        ],
      }),
    ];
    const sum = new Map<string, number>();
    let previous: StatFacts | undefined;
    for (const step of steps) {
      for (const [id, delta] of contributionDiff(step, previous)) {
        const value = (sum.get(id) ?? 0) + delta;
        if (value === 0) sum.delete(id);
        else sum.set(id, value);
      }
      previous = step;
    }
    expect(sum).toEqual(contributions(steps.at(-1)!));
  });

  it('age bands follow the contract', () => {
    expect([15, 16, 24, 25, 29, 30, 49, 50, 65, 66].map(ageBandOf)).toEqual([
      'other',
      '16-24',
      '16-24',
      '25-29',
      '25-29',
      '30-49',
      '30-49',
      '50-65',
      '50-65',
      'other',
    ]);
  });

  it('a milestone falls 6 or 12 calendar months after the Swedish day the intervention started', () => {
    expect(milestoneDate('2026-08-31T10:00:00Z', '6m')).toBe('2027-02-28');
    expect(milestoneDate('2026-01-31T23:30:00Z', '6m')).toBe('2026-08-01');
    expect(milestoneDate('2026-03-15T10:00:00Z', '12m')).toBe('2027-03-15');
  });
});
