import type { Agency } from '../config/deployment.js';
import { ageOn, fromNormalised } from '../identity/personal-identity-number.js';
import type { Consent, Situation } from '../referrals/schema.js';
import { swedishDay } from '../time.js';
import { consentExpired, uncoveredReason } from './consent.js';
import type { Condition, Ruleset } from './ruleset.js';

/** What screening reads of one referral: never names, contact details or free text. */
export type ScreeningReferral = {
  agency: Agency;
  submittedAt: string;
  situation: Situation;
  consent: Pick<Consent, 'recipients' | 'validUntil'>;
};

export type ScreeningInput = {
  /** Normalised 12-digit identity number; only its birth date is read. */
  personalIdentityNumber: string;
  /** The municipality the most recent referral states the person lives in. */
  municipalityCode: string;
  referrals: readonly ScreeningReferral[];
};

/**
 * Why: a code of the ruleset (and the team a consent reason is about). Stored as codes, rendered in
 * English and Swedish when read (shared/screening/reason-text.ts): a case item stays small.
 */
export type ScreeningReason = { code: string; team?: string };

export type ScreeningDecision = {
  eligible: boolean;
  targetGroups: string[];
  priority: 'high' | 'normal';
  jointAssessment: boolean;
  routes: string[];
  reasons: ScreeningReason[];
  rulesetVersion: string;
  screenedAt: string;
};

export type MergedSituation = Required<Situation>;

const DEFAULTS: MergedSituation = {
  unemployedMonths: 0,
  unemploymentInsuranceExhausted: false,
  jobAndDevelopmentGuarantee: false,
  assignedToComplementaryActor: false,
  financialAssistanceMonths: 0,
  sickLeaveMonths: 0,
  compensation: 'none',
  disability: false,
  workCapacityHoursPerWeek: 0,
};

const byTime = (a: ScreeningReferral, b: ScreeningReferral) => a.submittedAt.localeCompare(b.submittedAt);

/**
 * The case's situation is the union of its referrals: for each field the most recent referral that
 * states it, except booleans, which are true if any referral says true (CONTRACT.md).
 */
export function mergeSituations(referrals: readonly ScreeningReferral[]): MergedSituation {
  const merged: Record<string, unknown> = { ...DEFAULTS };
  for (const referral of [...referrals].sort(byTime)) {
    for (const [field, value] of Object.entries(referral.situation)) {
      if (value === undefined) continue;
      merged[field] = typeof value === 'boolean' ? merged[field] === true || value : value;
    }
  }
  return merged as MergedSituation;
}

type Facts = MergedSituation & { age: number };

export function evaluate(condition: Condition, facts: Facts): boolean {
  if ('all' in condition) return condition.all.every((inner) => evaluate(inner, facts));
  if ('any' in condition) return condition.any.some((inner) => evaluate(inner, facts));
  const actual = facts[condition.field];
  const expected = condition.value;
  if (condition.op === '==') return actual === expected;
  if (typeof actual !== 'number' || typeof expected !== 'number') return false;
  switch (condition.op) {
    case '>=':
      return actual >= expected;
    case '>':
      return actual > expected;
    case '<=':
      return actual <= expected;
    case '<':
      return actual < expected;
  }
}

/**
 * The shared screening step: a pure function of the case's referrals, the ruleset and the day.
 * It places the case in target groups, decides eligibility, priority and joint assessment, and
 * routes it to teams, with a reason a person can read for each part of the decision.
 */
export function screenCase(
  input: ScreeningInput,
  ruleset: Ruleset,
  deployment: { municipalityCode: string; teams: readonly string[] },
  now: Date,
): ScreeningDecision {
  if (input.referrals.length === 0) throw new Error('A case is screened on at least one referral');
  const reason = (code: string, team?: string): ScreeningReason => (team ? { code, team } : { code });

  const today = swedishDay(now);
  const situation = mergeSituations(input.referrals);
  const age = ageOn(fromNormalised(input.personalIdentityNumber).birthDate, today);
  const facts: Facts = { ...situation, age };

  const groups = ruleset.targetGroups.filter((group) => evaluate(group.when, facts));
  const targetGroups = groups.map((group) => group.code);
  const reasons: ScreeningReason[] = groups.map((group) => ({ code: group.code }));

  const resident = input.municipalityCode === deployment.municipalityCode;
  const ageInRange = age >= ruleset.eligibility.minAge && age <= ruleset.eligibility.maxAge;
  if (!resident) reasons.push(reason('not-resident'));
  if (!ageInRange) reasons.push(reason('age-out-of-range'));
  if (groups.length === 0) reasons.push(reason('no-target-group'));
  const eligible = resident && ageInRange && groups.length > 0;

  const agencies = new Set(input.referrals.map((referral) => referral.agency)).size;
  const jointAssessment =
    groups.length >= ruleset.jointAssessment.minTargetGroups ||
    agencies >= ruleset.jointAssessment.minAgencies;
  const longOutsideWork = ruleset.priority.monthFields.some(
    (field) => situation[field] >= ruleset.priority.monthsAtLeast,
  );
  const priority =
    groups.length >= ruleset.priority.minTargetGroups ||
    agencies >= ruleset.priority.minAgencies ||
    longOutsideWork
      ? 'high'
      : 'normal';
  if (priority === 'high') reasons.push(reason('high-priority'));

  const wanted: string[] = [];
  if (!eligible) {
    wanted.push(ruleset.fallbackRoute);
    reasons.push(reason('not-eligible'));
  } else {
    wanted.push(...groups.flatMap((group) => group.routes));
    if (jointAssessment) {
      wanted.push(ruleset.jointAssessment.route);
      reasons.push(reason('joint-assessment'));
    }
    if (situation.workCapacityHoursPerWeek >= ruleset.workCapacity.minHoursPerWeek) {
      wanted.push(ruleset.workCapacity.route);
      reasons.push(reason('work-capacity'));
    }
  }

  // The consent of the most recent referral decides who may receive the case.
  const latest = [...input.referrals].sort(byTime).at(-1)!;
  const expired = consentExpired(latest.consent, now);
  if (expired) reasons.push(reason('consent-expired'));
  const routes: string[] = [];
  for (const team of new Set(wanted)) {
    if (!deployment.teams.includes(team)) continue;
    const uncovered = uncoveredReason(latest.consent, team, now, ruleset.fallbackRoute);
    if (!uncovered) routes.push(team);
    else if (!expired) reasons.push(reason(uncovered, team));
  }
  if (routes.length === 0) routes.push(ruleset.fallbackRoute);

  return {
    eligible,
    targetGroups,
    priority,
    jointAssessment,
    routes,
    reasons,
    rulesetVersion: ruleset.version,
    screenedAt: now.toISOString(),
  };
}
