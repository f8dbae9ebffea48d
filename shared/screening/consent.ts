import type { Consent } from '../referrals/schema.js';
import { swedishDateOf } from '../time.js';

/**
 * The client's consent (samtycke) is a waiver of secrecy between the parties (OSL 10:1, 12:2), given
 * per recipient and for a time. What screening and the case's whole life read of it.
 */
export type ConsentScope = Pick<Consent, 'recipients' | 'validUntil'>;

/** Why a consent does not let a team receive a case. */
export type UncoveredReason = 'consent-not-covering' | 'consent-expired';

/** A consent is valid through its `validUntil` day, Swedish time, and expired from the day after. */
export const consentExpired = (consent: ConsentScope, now: Date) =>
  consent.validUntil !== undefined && consent.validUntil < swedishDateOf(now);

/** Why the consent does not cover a team now, or undefined when it does; the front desk is always covered. */
export function uncoveredReason(
  consent: ConsentScope | undefined,
  team: string,
  now: Date,
  fallbackTeam: string,
): UncoveredReason | undefined {
  if (team === fallbackTeam || !consent) return undefined;
  if (consentExpired(consent, now)) return 'consent-expired';
  if (consent.recipients !== undefined && !consent.recipients.includes(team)) return 'consent-not-covering';
  return undefined;
}
