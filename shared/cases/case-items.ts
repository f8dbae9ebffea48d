import { FRONT_DESK } from '../config/deployment.js';
import { TABLE } from '../config/resources.js';
import { keys, type TransactItem, withoutKeys } from '../data/table.js';
import { holdsCase, teamStatus } from './assignments.js';
import { caseConsent, consentWakeAt } from './consent.js';
import { nextFollowUp } from './follow-ups.js';
import { type Assignee, type Assignment, type CaseRecord, isPending, type Milestone } from './model.js';

/** The items a case is stored as: the case itself, and one work-list entry per team (the byTeam index). */
const PENDING = 'PENDING';
/** The sparse index's partition of open cases with a timer (consent expiry, service level). */
export const TIMER = 'TIMER';

/**
 * Sparse index: only cases the re-drive must look at carry `pendingPk`: those waiting for screening
 * or delivery (since `waitingSince`), and those whose consent runs out while a team holds them (at
 * the first instant it has). The index's sort key is the earlier of the two: when to look.
 */
export function caseItem(record: CaseRecord) {
  const { pendingSince, ...rest } = record;
  const waitingSince = isPending(record) ? (pendingSince ?? record.updatedAt) : undefined;
  const timerAt = nextTimer(record);
  // A waiting case is the re-drive's anyway (and the screening step looks at its timers too).
  const pending = waitingSince
    ? { pendingPk: PENDING, pendingSince: waitingSince }
    : timerAt
      ? { pendingPk: TIMER, pendingSince: timerAt }
      : {};
  return {
    ...keys.case(record.caseId),
    ...rest,
    // The byReference index's key: on the case item only (its work-list entries carry the reference too).
    referenceKey: record.reference,
    ...(waitingSince ? { waitingSince } : {}),
    ...pending,
  };
}

/**
 * When the screening step must look at an open case again although nothing came in: a consent
 * runs out, or a team's service level passes without it accepting.
 */
export function nextTimer(record: CaseRecord): string | undefined {
  if (record.status === 'CLOSED') return undefined;
  const dues = Object.values(record.assignments).flatMap((assignment) =>
    assignment.state === 'routed' && assignment.dueAt && !assignment.escalatedAt ? [assignment.dueAt] : [],
  );
  return [...dues, consentWakeAt(record, FRONT_DESK)].filter((at) => at !== undefined).sort()[0];
}

/** A case as stored: when it started waiting is `waitingSince`; `pendingSince` is only the index's wake-up time. */
export function caseFromItem(item: Record<string, unknown>): CaseRecord {
  const { waitingSince, pendingSince: _wakeAt, ...rest } = item;
  const record = withoutKeys<CaseRecord>(rest);
  return typeof waitingSince === 'string' ? { ...record, pendingSince: waitingSince } : record;
}

/** A team's work-list entry for one case: what the list shows, never an identity number. */
/** Why a case is in the front desk's queue, in the order a coordinator would name it. */
export type FrontDeskReason =
  | 'declined-by-every-team'
  | 'consent'
  | 'not-eligible'
  | 'joint-assessment'
  | 'escalated';

export function frontDeskReason(record: CaseRecord): FrontDeskReason | undefined {
  const others = Object.values(record.assignments).filter((assignment) => assignment.team !== FRONT_DESK);
  const othersActive = others.some((assignment) => holdsCase(assignment.state));
  if (!othersActive && others.some((assignment) => assignment.state === 'declined'))
    return 'declined-by-every-team';
  if (!othersActive && others.some((assignment) => assignment.state === 'withdrawn')) return 'consent';
  const screening = record.screening;
  if (!screening) return undefined;
  if (!screening.eligible) return 'not-eligible';
  if (
    screening.routes.every((team) => team === FRONT_DESK) &&
    screening.reasons.some((r) => r.code.startsWith('consent-'))
  )
    return 'consent';
  if (screening.jointAssessment) return 'joint-assessment';
  return undefined;
}

export type WorkItem = {
  caseId: string;
  reference: string;
  team: string;
  state: Assignment['state'];
  caseStatus: CaseRecord['status'];
  priority: 'high' | 'normal';
  targetGroups: string[];
  jointAssessment: boolean;
  routedAt: string;
  /** When the person started waiting: the case's first referral. */
  waitingSince: string;
  updatedAt: string;
  closedAt?: string;
  declinedAt?: string;
  /** On the front desk's entries: why the case is in its queue. */
  frontDeskReason?: FrontDeskReason;
  givenName: string;
  familyName: string;
  /** The team's caseworker for the case. */
  assignee?: Assignee;
  /** When the team should have accepted by. */
  dueAt?: string;
  /** The last day the case's consent covers the team: the list leaves the case out after it. */
  consentValidUntil?: string;
  /** A TG4 case's next follow-up and the Swedish date it falls due. */
  followUp?: { milestone: Milestone; dueOn: string };
};

/** The projection of a case into one team's work list (the byTeam index); teams that left it have none. */
/** What a team's work list holds of a case: never an identity number. */
export function workEntry(record: CaseRecord, assignment: Assignment): WorkItem {
  const consentValidUntil = assignment.team === FRONT_DESK ? undefined : caseConsent(record)?.validUntil;
  const reason = assignment.team === FRONT_DESK ? frontDeskReason(record) : undefined;
  const followUp = nextFollowUp(record);
  return {
    caseId: record.caseId,
    reference: record.reference,
    team: assignment.team,
    state: assignment.state,
    caseStatus: record.status,
    priority: record.screening?.priority ?? 'normal',
    targetGroups: record.screening?.targetGroups ?? [],
    jointAssessment: record.screening?.jointAssessment ?? false,
    routedAt: assignment.routedAt,
    // The person has waited since the case was received: a decline and a re-route do not reset it.
    waitingSince: record.createdAt,
    updatedAt: record.updatedAt,
    ...(assignment.closedAt ? { closedAt: assignment.closedAt } : {}),
    ...(assignment.declinedAt ? { declinedAt: assignment.declinedAt } : {}),
    ...(reason ? { frontDeskReason: reason } : {}),
    givenName: record.person.givenName,
    familyName: record.person.familyName,
    ...(consentValidUntil ? { consentValidUntil } : {}),
    ...(assignment.assignee ? { assignee: assignment.assignee } : {}),
    ...(assignment.dueAt ? { dueAt: assignment.dueAt } : {}),
    ...(followUp ? { followUp } : {}),
  };
}

function workItem(record: CaseRecord, assignment: Assignment) {
  const item = workEntry(record, assignment);
  const status = teamStatus(assignment.state);
  // Closed and declined work share the team's CLOSED partition, newest first; a withdrawn case is gone.
  const listed =
    status === 'WITHDRAWN'
      ? {}
      : status === 'CLOSED' || status === 'DECLINED'
        ? {
            listPk: keys.teamList(assignment.team, true),
            listSk: `${assignment.closedAt ?? assignment.declinedAt}#${record.caseId}`,
          }
        : {
            listPk: keys.teamList(assignment.team, false),
            // Highest priority first, then oldest first.
            listSk: `${item.priority === 'high' ? 0 : 1}#${assignment.routedAt}#${record.caseId}`,
          };
  const ttl = record.expiresAt ? { [TABLE.timeToLiveAttribute]: record.expiresAt } : {};
  return { ...keys.assignment(record.caseId, assignment.team), ...item, ...listed, ...ttl };
}

/**
 * The items the repository writes for a case: the case itself and one work-list entry per team.
 * For bulk loading (the benchmark seeds thousands of cases) with exactly the shapes the API writes.
 */
export const itemsForCase = (record: CaseRecord) => [
  caseItem(record),
  ...Object.values(record.assignments).map((assignment) => workItem(record, assignment)),
];

/** Puts of the work-list entries a change of the case changed (all of them for a new case). */
export function workItemWrites(tableName: string, next: CaseRecord, previous?: CaseRecord): TransactItem[] {
  return Object.values(next.assignments).flatMap((assignment) => {
    const before = previous?.assignments[assignment.team];
    const item = workItem(next, assignment);
    const unchanged =
      previous && before && JSON.stringify(workItem(previous, before)) === JSON.stringify(item);
    return unchanged ? [] : [{ Put: { TableName: tableName, Item: item } }];
  });
}
