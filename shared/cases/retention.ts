import { statFacts } from '../stats/facts.js';
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

/**
 * The anonymous facts a closed case leaves for follow-up by target group and gender (the steering
 * group's lead times and outcomes): no identity number, no name, no free text, an age band only.
 * They are exactly what the statistics rest on (shared/stats/facts.ts), so the aggregates can be
 * rebuilt after the case itself is gone.
 */
export function anonymousFacts(record: CaseRecord) {
  const facts = statFacts(record);
  return {
    ...facts,
    closedMonth: (facts.closedAt ?? record.updatedAt).slice(0, 7),
    municipalityCode: record.person.municipalityCode,
    agencies: [...new Set(record.referrals.map((referral) => referral.agency))],
    jointAssessment: record.screening?.jointAssessment ?? false,
    legalGender: facts.gender === 'women' ? 'female' : 'male',
  };
}
