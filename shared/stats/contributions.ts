import { firstInterventionStart } from '../cases/follow-ups.js';
import { swedishDateOf } from '../time.js';
import type { StatFacts } from './facts.js';

/**
 * What a case adds to the statistics, as counters. The aggregates are the sum over every case of
 * `contributions(case)`; a change of a case adds `contributions(next) − contributions(previous)` in
 * the same transaction as the case's version check, so each change counts exactly once, and a rebuild
 * is the same sum computed afresh.
 *
 * A counter is (month, series, key). The key holds the dimensions, `|`-separated in a fixed order.
 * A case belongs to several target groups, agencies and teams at once: the key holds each as the
 * set of the case's values (`TG1+TG4`), so a fact is one counter, and a reader counts it once in
 * each of its groups and once in a total (shared/stats/query.ts).
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
  'screened',
] as const;
export type Series = (typeof SERIES)[number];

/** Separates the values of a set-valued dimension in a key. */
export const SET = '+';

/**
 * A counter's key: target groups, gender, age band, agencies, teams (the last three as sets), the
 * ruleset version that screened the case, and an extra (a number of days, an outcome, a flag).
 */
export type MainKey = {
  tg: string;
  gender: string;
  age: string;
  agency: string;
  team: string;
  ruleset: string;
  x: string;
};

export const mainKey = (k: MainKey) => [k.tg, k.gender, k.age, k.agency, k.team, k.ruleset, k.x].join('|');

export function parseMainKey(key: string): MainKey {
  const [tg = '', gender = '', age = '', agency = '', team = '', ruleset = '', x = ''] = key.split('|');
  return { tg, gender, age, agency, team, ruleset, x };
}

/** The values of a set-valued field of a key. */
export const valuesOf = (field: string) => (field === '' ? [] : field.split(SET));
const setOf = (values: Iterable<string>) => [...new Set(values)].sort().join(SET);

/** Month (YYYY-MM) of an instant, Swedish time: the contract's periods are Swedish months. */
export const monthOf = (at: string) => swedishDateOf(new Date(at)).slice(0, 7);

const DAY_MS = 24 * 60 * 60 * 1000;
/** Whole days from one step to the next (what the lead-time histograms count in). */
export const daysBetween = (from: string, to: string) =>
  Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / DAY_MS));

/** Outcomes that count as work or studies (the TG5 and project targets). */
export const WORK_OR_STUDIES: readonly string[] = ['employment', 'studies'];

/** A counter's address: the item it lives in is (month, series, bucket of the key). */
export type CounterId = { month: string; series: Series; key: string };
export const counterId = (id: CounterId) => `${id.month}\t${id.series}\t${id.key}`;
export function parseCounterId(text: string): CounterId {
  const [month = '', series = '', key = ''] = text.split('\t');
  return { month, series: series as Series, key };
}

export function contributions(facts: StatFacts): Map<string, number> {
  const counters = new Map<string, number>();
  const { gender, ageBand: age } = facts;
  const tg = setOf(facts.targetGroups);
  const agencies = setOf(facts.referrals.map((referral) => referral.agency));
  const teams = setOf(facts.teams.map((team) => team.team));
  const ruleset = facts.rulesetVersion ?? '';

  /** One counter: the case with its sets, or with one agency or team where the fact is that one's. */
  const add = (at: string, series: Series, x = '', delta = 1, only?: { agency?: string; team?: string }) => {
    const key = mainKey({
      tg,
      gender,
      age,
      agency: only?.agency ?? agencies,
      team: only?.team ?? teams,
      ruleset,
      x,
    });
    const id = counterId({ month: monthOf(at), series, key });
    const value = (counters.get(id) ?? 0) + delta;
    if (value === 0) counters.delete(id);
    else counters.set(id, value);
  };

  // A case counts from its first screening on (seconds after it came in), dated when it came in:
  // counted before, its target groups would move every counter again when screening set them.
  if (!facts.screened) return counters;
  for (const referral of facts.referrals)
    add(referral.submittedAt, 'received', '', 1, { agency: referral.agency });
  add(facts.createdAt, 'new');
  // Open cases at a month's end are the running sum of these: +1 when opened, −1 when closed.
  add(facts.createdAt, 'active');
  if (facts.closedAt) add(facts.closedAt, 'active', '', -1);
  add(facts.createdAt, 'screened', `${facts.eligible ? 'e' : '-'}${facts.priority === 'high' ? 'h' : '-'}`);

  const routed = facts.teams.map((team) => team.routedAt).sort()[0];
  if (routed) {
    const first = setOf(facts.teams.filter((team) => team.routedAt === routed).map((team) => team.team));
    add(routed, 'lt-routed', String(daysBetween(facts.createdAt, routed)), 1, { team: first });
  }
  for (const team of facts.teams) {
    const only = { team: team.team };
    if (team.acceptedAt)
      add(team.acceptedAt, 'lt-accepted', String(daysBetween(team.routedAt, team.acceptedAt)), 1, only);
    if (team.interventionStartedAt) {
      const from = team.acceptedAt ?? team.routedAt;
      add(
        team.interventionStartedAt,
        'lt-started',
        String(daysBetween(from, team.interventionStartedAt)),
        1,
        only,
      );
    }
    if (team.closedAt) {
      const from = team.interventionStartedAt ?? team.acceptedAt ?? team.routedAt;
      add(team.closedAt, 'lt-closed', String(daysBetween(from, team.closedAt)), 1, only);
      if (team.outcome) add(team.closedAt, 'outcome', team.outcome, 1, only);
    }
    const decidedAt = team.declinedAt ?? team.acceptedAt;
    if (decidedAt) add(decidedAt, 'decision', team.declinedAt ? 'declined' : 'accepted', 1, only);
  }
  if (facts.closedAt) {
    const hit = facts.teams.some((team) => team.outcome && WORK_OR_STUDIES.includes(team.outcome));
    add(facts.closedAt, 'closed', hit ? 'hit' : 'miss');
  }
  const started = firstInterventionStart(facts.teams);
  if (started && facts.targetGroups.includes('TG4'))
    for (const followUp of facts.followUps)
      add(started, followUp.milestone === '6m' ? 'ss-6m' : 'ss-12m', String(followUp.selfSufficient));
  return counters;
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

/**
 * Where a counter is kept: series that a case event changes together share items (`case`: what
 * intake, screening and closing change; `team`: a team's steps), and a counter's bucket is a hash of
 * its key without the extra (days, outcome, flag), so that the counters one change moves sit in one
 * item: one ADD per event and group. A month's group is spread over 128 items, so an item stays a
 * few kilobytes at tens of thousands of cases a year (an ADD is charged on the whole item), and a
 * year's question reads 12 × 128 small items, whatever the number of cases: statistics are read
 * far less often than cases change.
 */
export const BUCKETS = 128;
export type SeriesGroup = 'case' | 'team';
const TEAM_SERIES: ReadonlySet<Series> = new Set([
  'lt-accepted',
  'lt-started',
  'lt-closed',
  'outcome',
  'decision',
]);
export const groupOfSeries = (series: Series): SeriesGroup => (TEAM_SERIES.has(series) ? 'team' : 'case');

export function bucketOf(key: string): number {
  const text = key.slice(0, key.lastIndexOf('|'));
  let hash = 2166136261;
  for (let index = 0; index < text.length; index++)
    hash = Math.imul(hash ^ text.charCodeAt(index), 16777619) >>> 0;
  return hash % BUCKETS;
}

/** A counter's attribute in its item: the series and the key. */
export const attributeOf = (series: Series, key: string) => `${series}/${key}`;
export function parseAttribute(name: string): { series: Series; key: string } {
  const at = name.indexOf('/');
  return { series: name.slice(0, at) as Series, key: name.slice(at + 1) };
}
