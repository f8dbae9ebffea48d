import { type ConsentScope, uncoveredReason } from '../screening/consent.js';
import { holdsCase } from './assignments.js';
import type { CaseRecord, WithdrawalReason } from './model.js';

/**
 * Consent over the case's life (CONTRACT.md v1.1): the client's waiver of secrecy between the
 * parties (OSL 10:1, 12:2) is given per recipient, and the consent of the case's most recent
 * referral is the one that holds. A team it does not cover may not receive, list or read the case;
 * the front desk is always covered.
 *
 * The consent that holds for a case: its most recent referral's.
 */
export function caseConsent(record: Pick<CaseRecord, 'referrals'>): ConsentScope | undefined {
  let latest: CaseRecord['referrals'][number] | undefined;
  for (const referral of record.referrals) {
    if (!latest || referral.submittedAt >= latest.submittedAt) latest = referral;
  }
  return latest?.consent;
}

/** Teams that hold the case although today's consent no longer covers them, with the reason. */
export function teamsToWithdraw(
  record: Pick<CaseRecord, 'referrals' | 'assignments'>,
  now: Date,
  fallbackTeam: string,
): { team: string; reason: WithdrawalReason }[] {
  const consent = caseConsent(record);
  return Object.values(record.assignments).flatMap((assignment) => {
    if (!holdsCase(assignment.state)) return [];
    const reason = uncoveredReason(consent, assignment.team, now, fallbackTeam);
    return reason ? [{ team: assignment.team, reason }] : [];
  });
}

/** Whether a team may see the case now: it holds it and the case's consent covers it. */
export function teamMayRead(record: CaseRecord, team: string, now: Date, fallbackTeam: string): boolean {
  const assignment = record.assignments[team];
  if (!assignment || !holdsCase(assignment.state)) return false;
  return uncoveredReason(caseConsent(record), team, now, fallbackTeam) === undefined;
}

/**
 * When the case must be looked at again because its consent runs out: the first instant of the day
 * after `validUntil` (taken as UTC midnight, an hour or two into the Swedish day, so the consent
 * has surely expired by then), while a team other than the front desk holds the case.
 */
export function consentWakeAt(record: CaseRecord, fallbackTeam: string): string | undefined {
  if (record.status === 'CLOSED') return undefined;
  const validUntil = caseConsent(record)?.validUntil;
  if (validUntil === undefined) return undefined;
  const held = Object.values(record.assignments).some(
    (assignment) => assignment.team !== fallbackTeam && holdsCase(assignment.state),
  );
  if (!held) return undefined;
  const dayAfter = new Date(`${validUntil}T00:00:00Z`);
  dayAfter.setUTCDate(dayAfter.getUTCDate() + 1);
  return dayAfter.toISOString();
}
