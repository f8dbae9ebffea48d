import { swedishDateOf } from '../time.js';
import type { StatFacts, TeamFacts } from './facts.js';

/**
 * What a case adds to the statistics, as counters. The aggregates are the sum over every case of
 * `contributions(case)`; a change of a case adds `contributions(next) − contributions(previous)` in
 * the same transaction as the case's version check, so each change counts exactly once, and a rebuild
 * is the same sum computed afresh.
 *
 * A counter is (month, series, key). The key holds the dimensions, `|`-separated in a fixed order.
 * A case belongs to several target groups, agencies and teams at once, so for those three it counts
 * under each of its values and once under `*` (all): a total is never the sum of its target groups.
 */
export const SERIES = [
  'received',
  'new',
  'active',
  'lt-routed',
  'lt-accepted',
  'lt-started',
  'lt-closed',
  'outcome',
  'closed',
  'decision',
  'ss-6m',
  'ss-12m',
  'eq-screened',
  'eq-accepted',
  'eq-decision',
  'eq-closed',
] as const;
export type Series = (typeof SERIES)[number];

export const ALL = '*';

/** The key's fields of the main series: target group, gender, age band, agency, team, and an extra. */
export type MainKey = { tg: string; gender: string; age: string; agency: string; team: string; x: string };
/** The equity series' fields: ruleset version, gender, age band, team, and an extra. */
export type EquityKey = { ruleset: string; gender: string; age: string; team: string; x: string };

export const mainKey = (k: MainKey) => [k.tg, k.gender, k.age, k.agency, k.team, k.x].join('|');
export const equityKey = (k: EquityKey) => [k.ruleset, k.gender, k.age, k.team, k.x].join('|');

export function parseMainKey(key: string): MainKey {
  const [tg = '', gender = '', age = '', agency = '', team = '', x = ''] = key.split('|');
  return { tg, gender, age, agency, team, x };
}
export function parseEquityKey(key: string): EquityKey {
  const [ruleset = '', gender = '', age = '', team = '', x = ''] = key.split('|');
  return { ruleset, gender, age, team, x };
}

/** Month (YYYY-MM) of an instant, Swedish time: the contract's periods are Swedish months. */
export const monthOf = (at: string) => swedishDateOf(new Date(at)).slice(0, 7);

const DAY_MS = 24 * 60 * 60 * 1000;
/** Whole days from one step to the next (what the lead-time histograms count in). */
export const daysBetween = (from: string, to: string) =>
  Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / DAY_MS));

/** Outcomes that count as work or studies (the TG5 and project targets). */
export const WORK_OR_STUDIES: readonly string[] = ['employment', 'studies'];

/** A counter's address: the item it lives in is (month, series, shard of the case). */
export type CounterId = { month: string; series: Series; key: string };
export const counterId = (id: CounterId) => `${id.month}\t${id.series}\t${id.key}`;
export function parseCounterId(text: string): CounterId {
  const [month = '', series = '', key = ''] = text.split('\t');
  return { month, series: series as Series, key };
}

const withAll = (values: Iterable<string>) => [...new Set(values), ALL];

/** When the person's intervention started: the first team to start one (TG4's cohorts). */
export const interventionStart = (facts: StatFacts) =>
  facts.teams
    .map((team) => team.interventionStartedAt)
    .filter((at): at is string => at !== undefined)
    .sort()[0];

export function contributions(facts: StatFacts): Map<string, number> {
  const counters = new Map<string, number>();
  const add = (month: string, series: Series, key: string, delta = 1) => {
    const id = counterId({ month, series, key });
    const value = (counters.get(id) ?? 0) + delta;
    if (value === 0) counters.delete(id);
    else counters.set(id, value);
  };
  const { gender, ageBand: age } = facts;
  const groups = withAll(facts.targetGroups);
  const agencies = withAll(facts.referrals.map((referral) => referral.agency));
  const teams = withAll(facts.teams.map((team) => team.team));
  const ruleset = facts.rulesetVersion ?? '-';

  /** The case in every combination of its groups, agencies and teams (each with `*`). */
  const forCase = (
    month: string,
    series: Series,
    x = '',
    delta = 1,
    only?: { agency?: string; team?: string },
  ) => {
    for (const tg of groups)
      for (const agency of only?.agency ? [only.agency, ALL] : agencies)
        for (const team of only?.team ? [only.team, ALL] : teams)
          add(month, series, mainKey({ tg, gender, age, agency, team, x }), delta);
  };
  const forEquity = (month: string, series: Series, x: string, team?: string) => {
    for (const t of team ? [team, ALL] : teams)
      add(month, series, equityKey({ ruleset, gender, age, team: t, x }));
  };

  for (const referral of facts.referrals)
    forCase(monthOf(referral.submittedAt), 'received', '', 1, { agency: referral.agency });
  const opened = monthOf(facts.createdAt);
  forCase(opened, 'new');
  // Open cases at a month's end are the running sum of these: +1 when opened, −1 when closed.
  forCase(opened, 'active', '', 1);
  if (facts.closedAt) forCase(monthOf(facts.closedAt), 'active', '', -1);

  const routed = facts.teams.map((team) => team.routedAt).sort()[0];
  if (routed) {
    const first = facts.teams.filter((team) => team.routedAt === routed).map((team) => team.team);
    for (const tg of groups)
      for (const agency of agencies)
        for (const team of withAll(first))
          add(
            monthOf(routed),
            'lt-routed',
            mainKey({ tg, gender, age, agency, team, x: String(daysBetween(facts.createdAt, routed)) }),
          );
  }
  for (const team of facts.teams) teamContributions(team);
  if (facts.closedAt) {
    const hit = facts.teams.some((team) => team.outcome && WORK_OR_STUDIES.includes(team.outcome));
    forCase(monthOf(facts.closedAt), 'closed', hit ? 'hit' : 'miss');
    forEquity(monthOf(facts.closedAt), 'eq-closed', hit ? 'hit' : 'miss');
  }
  const started = interventionStart(facts);
  if (started && facts.targetGroups.includes('TG4')) {
    for (const followUp of facts.followUps)
      forCase(
        monthOf(started),
        followUp.milestone === '6m' ? 'ss-6m' : 'ss-12m',
        String(followUp.selfSufficient),
      );
  }
  if (facts.screened)
    forEquity(opened, 'eq-screened', `${facts.eligible ? 'e' : '-'}${facts.priority === 'high' ? 'h' : '-'}`);
  return counters;

  function teamContributions(team: TeamFacts) {
    const only = { team: team.team };
    if (team.acceptedAt) {
      const days = String(daysBetween(team.routedAt, team.acceptedAt));
      forCase(monthOf(team.acceptedAt), 'lt-accepted', days, 1, only);
      forEquity(monthOf(team.acceptedAt), 'eq-accepted', days, team.team);
    }
    if (team.interventionStartedAt) {
      const from = team.acceptedAt ?? team.routedAt;
      forCase(
        monthOf(team.interventionStartedAt),
        'lt-started',
        String(daysBetween(from, team.interventionStartedAt)),
        1,
        only,
      );
    }
    if (team.closedAt) {
      const from = team.interventionStartedAt ?? team.acceptedAt ?? team.routedAt;
      forCase(monthOf(team.closedAt), 'lt-closed', String(daysBetween(from, team.closedAt)), 1, only);
      if (team.outcome) forCase(monthOf(team.closedAt), 'outcome', team.outcome, 1, only);
    }
    const decidedAt = team.declinedAt ?? team.acceptedAt;
    if (decidedAt) {
      const decision = team.declinedAt ? 'declined' : 'accepted';
      forCase(monthOf(decidedAt), 'decision', decision, 1, only);
      forEquity(monthOf(decidedAt), 'eq-decision', decision, team.team);
    }
  }
}

/** What a change of a case adds to each counter: next minus previous, zeros left out. */
export function contributionDiff(next?: StatFacts, previous?: StatFacts): Map<string, number> {
  const diff = next ? contributions(next) : new Map<string, number>();
  if (previous)
    for (const [id, value] of contributions(previous)) {
      const delta = (diff.get(id) ?? 0) - value;
      if (delta === 0) diff.delete(id);
      else diff.set(id, delta);
    }
  return diff;
}

/** The few items a case's counters live in, so that hot months spread over several partitions' items. */
export const SHARDS = 4;
export function shardOf(caseId: string): number {
  let hash = 0;
  for (let index = 0; index < caseId.length; index++) hash = (hash * 31 + caseId.charCodeAt(index)) >>> 0;
  return hash % SHARDS;
}
