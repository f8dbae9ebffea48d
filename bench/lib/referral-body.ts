import { testIdentityNumber } from '../../tests/helpers/identity-numbers.js';
import { CONTRACT_EXAMPLE } from '../../tests/helpers/referrals.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A realistic free text, about the length a case worker writes (the contract allows up to 2000). */
const REASON =
  'Arbetslös sedan drygt ett år och ersättningen från a-kassan har upphört. Deltar i jobb- och ' +
  'utvecklingsgarantin. Vill komma tillbaka till arbete på deltid, omkring 20 timmar i veckan, och ' +
  'behöver stöd med arbetsträning och en anpassad arbetsplats. Önskar kontakt per telefon.';

/**
 * The n-th benchmark referral, as an employment-service officer sends it: the contract's full example
 * (contact details, consent recipients, every situation field, a reason), and a different person for
 * every n. The identity numbers are Skatteverket-style test numbers (serial 980–999), unique by
 * construction: birth date 1980-01-01 + ⌊n / 20⌋ days, serial 980 + n mod 20.
 */
export function benchReferral(n: number, now = new Date()) {
  const birth = new Date(Date.UTC(1980, 0, 1) + Math.floor(n / 20) * DAY_MS).toISOString().slice(0, 10);
  const personalIdentityNumber = testIdentityNumber(birth, { serial: 980 + (n % 20) });
  const validUntil = new Date(now.getTime() + 365 * DAY_MS).toISOString().slice(0, 10);
  return {
    ...CONTRACT_EXAMPLE,
    person: { ...CONTRACT_EXAMPLE.person, personalIdentityNumber },
    // Recorded today and valid a year on, so the consent never expires under a long-lived bench.
    consent: { ...CONTRACT_EXAMPLE.consent, recordedAt: now.toISOString().slice(0, 10), validUntil },
    reason: REASON,
  };
}
