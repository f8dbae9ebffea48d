import type { Assignment, AssignmentState, CaseRecord, CaseStatus } from './model.js';

/** The case events a team posts (CONTRACT.md, POST /cases/{caseId}/events). */
export const CASE_EVENT_TYPES = ['accepted', 'declined', 'intervention-started', 'closed'] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

/**
 * Each team's assignment moves forward only: routed → accepted → intervention started → closed, and a
 * team may decline while it has not started an intervention. Closed, declined and withdrawn (the
 * client's consent no longer covers the team) are final.
 */
const TRANSITIONS: Record<AssignmentState, Partial<Record<CaseEventType, AssignmentState>>> = {
  routed: { accepted: 'accepted', declined: 'declined' },
  accepted: { 'intervention-started': 'intervention-started', declined: 'declined', closed: 'closed' },
  'intervention-started': { closed: 'closed' },
  closed: {},
  declined: {},
  withdrawn: {},
};

/** The state an event moves an assignment to, or undefined when the event is not allowed from `state`. */
export const nextState = (state: AssignmentState, event: CaseEventType): AssignmentState | undefined =>
  TRANSITIONS[state][event];

/**
 * Whether a team holds the case: routed to it, working it, or done with it. A team that declined or
 * lost the client's consent has left it.
 */
export const holdsCase = (state: AssignmentState) => state !== 'declined' && state !== 'withdrawn';

/** Teams still working the case or done with it. */
export const activeAssignments = (assignments: Record<string, Assignment>): Assignment[] =>
  Object.values(assignments).filter((assignment) => holdsCase(assignment.state));

/** A team is overdue while it has not accepted a case past its service level (`dueAt`). */
export const isOverdue = (assignment: { state: string; dueAt?: string }, now = new Date()) =>
  assignment.state === 'routed' && assignment.dueAt !== undefined && assignment.dueAt <= now.toISOString();

/**
 * The case's status follows from its assignments: ROUTED until a team accepts, IN_PROGRESS once one
 * has, CLOSED when every team still routed has closed it. RECEIVED before the first screening.
 */
export function caseStatus(record: Pick<CaseRecord, 'assignments' | 'screening'>): CaseStatus {
  const active = activeAssignments(record.assignments);
  if (active.length === 0) return record.screening ? 'ROUTED' : 'RECEIVED';
  if (active.every((assignment) => assignment.state === 'closed')) return 'CLOSED';
  if (active.some((assignment) => assignment.state !== 'routed')) return 'IN_PROGRESS';
  return 'ROUTED';
}

/** How a team's own work list names its assignment: new, being worked, or done. */
export function teamStatus(
  state: AssignmentState,
): 'ROUTED' | 'IN_PROGRESS' | 'CLOSED' | 'DECLINED' | 'WITHDRAWN' {
  switch (state) {
    case 'routed':
      return 'ROUTED';
    case 'accepted':
    case 'intervention-started':
      return 'IN_PROGRESS';
    case 'closed':
      return 'CLOSED';
    case 'declined':
      return 'DECLINED';
    case 'withdrawn':
      return 'WITHDRAWN';
  }
}
