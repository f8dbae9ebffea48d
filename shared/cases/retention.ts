import { ageOn, fromNormalised } from '../identity/personal-identity-number.js';
import type { CaseRecord } from './model.js';

/**
 * Retention: a closed case's personal data is kept for a period (24 months by default) and then
 * removed by DynamoDB's TTL; reads treat it as gone from the moment it expires, since TTL deletes
 * within days, not at once. What statistics need survives as an anonymous record.
 */
export function retainUntil(closedAt: string, months: number): number {
  const date = new Date(closedAt);
  date.setUTCMonth(date.getUTCMonth() + months);
  return Math.floor(date.getTime() / 1000);
}

export const isExpired = (expiresAt: unknown, now = Date.now()) =>
  typeof expiresAt === 'number' && expiresAt * 1000 <= now;

const AGE_BANDS = [
  [16, 24],
  [25, 29],
  [30, 49],
  [50, 65],
] as const;

function ageBand(age: number): string {
  const band = AGE_BANDS.find(([low, high]) => age >= low && age <= high);
  return band ? `${band[0]}-${band[1]}` : age < 16 ? 'under-16' : 'over-65';
}

/**
 * The anonymous facts a closed case leaves for follow-up by target group and gender (the steering
 * group's lead times and outcomes): no identity number, no name, no free text, an age band only.
 */
export function anonymousFacts(record: CaseRecord) {
  const identity = fromNormalised(record.person.personalIdentityNumber);
  const firstReceived = record.referrals[0]?.submittedAt ?? record.createdAt;
  const closedAt = record.updatedAt;
  return {
    caseId: record.caseId,
    closedMonth: closedAt.slice(0, 7),
    municipalityCode: record.person.municipalityCode,
    agencies: [...new Set(record.referrals.map((referral) => referral.agency))],
    referrals: record.referrals.length,
    eligible: record.screening?.eligible ?? false,
    targetGroups: record.screening?.targetGroups ?? [],
    priority: record.screening?.priority ?? 'normal',
    jointAssessment: record.screening?.jointAssessment ?? false,
    rulesetVersion: record.screening?.rulesetVersion ?? null,
    legalGender: identity.legalGender,
    ageBand: ageBand(ageOn(identity.birthDate, new Date(firstReceived))),
    receivedAt: firstReceived,
    closedAt,
    teams: Object.values(record.assignments).map(({ reason: _reason, note: _note, ...steps }) => steps),
  };
}
