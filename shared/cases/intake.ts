import { FRONT_DESK } from '../config/deployment.js';
import { withdrawUncovered } from '../routing/route-case.js';
import type { CaseRecord, HistoryEvent, ReferralRecord, StoredPerson } from './model.js';

/**
 * What a new referral does to its case: opens a new one, or joins the person's open case. Pure: the
 * repository decides which, in the transaction that stores the result.
 */
type NewReferral = Omit<ReferralRecord, 'caseId'>;

/** What screening reads of a referral: never names, contact details or free text. */
const screeningFacts = (referral: NewReferral): CaseRecord['referrals'][number] => ({
  referralId: referral.referralId,
  agency: referral.agency,
  submittedAt: referral.submittedAt,
  situation: referral.situation,
  consent: { recipients: referral.consent.recipients, validUntil: referral.consent.validUntil },
});

const received = (referral: NewReferral): HistoryEvent => ({
  at: referral.submittedAt,
  event: 'received',
  referralId: referral.referralId,
});

/** A new case for a person with none open: received, waiting for its first screening. */
export function openCase(
  caseId: string,
  personKey: string,
  referral: NewReferral,
  reference: string,
): CaseRecord {
  return {
    caseId,
    reference,
    status: 'RECEIVED',
    personKey,
    person: referral.person,
    referrals: [screeningFacts(referral)],
    screening: null,
    screenedReferrals: 0,
    assignments: {},
    outbox: [],
    history: [received(referral)],
    createdAt: referral.submittedAt,
    updatedAt: referral.submittedAt,
    version: 1,
  };
}

/**
 * The case's person is the union of its referrals: each field as the most recent referral that
 * states it gives it. A referral that leaves out a phone number or needs never removes them.
 */
export function mergePerson(known: StoredPerson, stated: StoredPerson): StoredPerson {
  const merged: Record<string, unknown> = { ...known };
  for (const [field, value] of Object.entries(stated)) if (value !== undefined) merged[field] = value;
  return merged as StoredPerson;
}

/**
 * The person's open case with one more referral: the person merged with what it states, screening
 * due again. Its consent now holds for the case, so a team it no longer covers loses the case at
 * once, in the same write, not only when screening runs.
 */
export function joinCase(open: CaseRecord, referral: NewReferral): CaseRecord {
  const joined: CaseRecord = {
    ...open,
    person: mergePerson(open.person, referral.person),
    referrals: [...open.referrals, screeningFacts(referral)],
    history: [...open.history, received(referral)],
    updatedAt: referral.submittedAt,
    version: open.version + 1,
  };
  return withdrawUncovered(joined, new Date(referral.submittedAt), FRONT_DESK);
}
