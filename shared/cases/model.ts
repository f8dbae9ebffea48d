import type { Agency } from '../config/deployment.js';
import type { Consent, Person, Situation } from '../referrals/schema.js';
import type { ScreeningDecision, ScreeningReferral } from '../screening/screen-case.js';

export type CaseStatus = 'RECEIVED' | 'ROUTED' | 'IN_PROGRESS' | 'CLOSED';

export type HistoryEventType =
  | 'received'
  | 'routed'
  | 'accepted'
  | 'declined'
  | 'intervention-started'
  | 'closed'
  | 'consent-withdrawn'
  | 'escalated';

/** One step of a case, kept so that lead times can be measured from events, not counted by hand. */
export type HistoryEvent = {
  at: string;
  event: HistoryEventType;
  team?: string;
  referralId?: string;
  outcome?: Outcome;
  /** Why a team lost the case (on `consent-withdrawn`). */
  reason?: WithdrawalReason;
};

/** Why the client's consent stopped covering a team (CONTRACT.md v1.1, "Consent over the case's life"). */
export const WITHDRAWAL_REASONS = ['consent-not-covering', 'consent-expired'] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];

export const OUTCOMES = [
  'employment',
  'studies',
  'other-intervention',
  'moved',
  'declined',
  'other',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const MILESTONES = ['6m', '12m'] as const;
export type Milestone = (typeof MILESTONES)[number];

/** Whether the person was self-sufficient 6 or 12 months after their intervention started (TG4's targets). */
export type FollowUp = {
  milestone: Milestone;
  selfSufficient: boolean;
  recordedAt: string;
  /** The team that recorded it. */
  team: string;
};

/** A person in a team: the user id and the name people see. */
export type Assignee = { id: string; name: string };

/**
 * Where one team is with a case; each team routed to a case has its own. `withdrawn`: the client's
 * consent no longer covers the team, which has lost the case.
 */
export type AssignmentState =
  | 'routed'
  | 'accepted'
  | 'intervention-started'
  | 'closed'
  | 'declined'
  | 'withdrawn';

export type Assignment = {
  team: string;
  state: AssignmentState;
  routedAt: string;
  acceptedAt?: string;
  interventionStartedAt?: string;
  closedAt?: string;
  declinedAt?: string;
  withdrawnAt?: string;
  withdrawnReason?: WithdrawalReason;
  /** The team's caseworker for the case: who to call. */
  assignee?: Assignee;
  /** When the team should have accepted by (its service level, `acceptWithin`). */
  dueAt?: string;
  /** When the front desk was told the team had not accepted in time (once). */
  escalatedAt?: string;
  outcome?: Outcome;
  /** Why the team declined: written by staff for staff; never shown to the referrer or in a message. */
  reason?: string;
  note?: string;
};

/** The person as the most recent referral states them; the identity number in its 12-digit form. */
export type StoredPerson = Person;

/** A referral as stored: the body as the agency sent it, with the identity number normalised. */
export type ReferralRecord = {
  referralId: string;
  caseId: string;
  agency: Agency;
  submittedAt: string;
  submittedBy: string;
  person: StoredPerson;
  consent: Consent;
  situation: Situation;
  reason?: string;
};

/** The claim-check message a team's queue receives: ids and screening facts, never personal data. */
export type CaseRoutedMessage = {
  type: 'case.routed';
  messageId: string;
  caseId: string;
  reference: string;
  team: string;
  priority: ScreeningDecision['priority'];
  targetGroups: string[];
  jointAssessment: boolean;
  routedAt: string;
  rulesetVersion: string;
};

/** Tells a team that it has lost a case, so that its own system removes what it holds of it. */
export type CaseWithdrawnMessage = {
  type: 'case.withdrawn';
  messageId: string;
  caseId: string;
  reference: string;
  team: string;
  reason: WithdrawalReason;
  withdrawnAt: string;
};

/** Tells the front desk that a team has not accepted a case within its service level. */
export type CaseEscalatedMessage = {
  type: 'case.escalated';
  messageId: string;
  caseId: string;
  reference: string;
  team: string;
  dueAt: string;
  escalatedAt: string;
};

/** Every message a team's queue receives. */
export type TeamMessage = CaseRoutedMessage | CaseWithdrawnMessage | CaseEscalatedMessage;

export type CaseRecord = {
  caseId: string;
  /** FD-2026-00042: for people to read out; not personal data. */
  reference: string;
  status: CaseStatus;
  /** HMAC of the identity number: people are de-duplicated on it, never on the number itself. */
  personKey: string;
  person: StoredPerson;
  /** What screening needs of each referral, oldest first. */
  referrals: (ScreeningReferral & { referralId: string })[];
  screening: ScreeningDecision | null;
  /** How many referrals the current screening covers; fewer than `referrals` means screening is due. */
  screenedReferrals: number;
  /**
   * Every team the case has been routed to and where it is with it. A team that declined keeps its
   * entry (state `declined`), so that a later screening does not route the case to it again.
   */
  assignments: Record<string, Assignment>;
  /** Messages decided but not yet confirmed sent: a transactional outbox, so no route is lost. */
  outbox: TeamMessage[];
  history: HistoryEvent[];
  createdAt: string;
  updatedAt: string;
  /** Optimistic concurrency: every save expects the version it read. */
  version: number;
  /** When the case started waiting for screening or delivery; cleared when it waits no more. */
  pendingSince?: string;
  /** Follow-ups recorded at 6 and 12 months after the intervention started (TG4 cases). */
  followUps?: FollowUp[];
  /** When a closed case's personal data goes (epoch seconds, DynamoDB TTL); unset while the case is open. */
  expiresAt?: number;
};

/** A case waits for the screening step when it has referrals its screening has not seen, or undelivered routes. */
export const isPending = (
  record: Pick<CaseRecord, 'referrals' | 'screenedReferrals' | 'outbox' | 'status'>,
) =>
  record.status !== 'CLOSED' &&
  (record.screenedReferrals < record.referrals.length || record.outbox.length > 0);
