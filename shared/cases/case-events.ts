import { ConflictError } from '../errors.js';
import { routeToTeams } from '../routing/route-case.js';
import { activeAssignments, caseStatus, nextState } from './assignments.js';
import type { CaseEvent } from './case-event-schema.js';

export type { CaseEvent };

import type { Assignee, Assignment, CaseRecord } from './model.js';

type StepType = Exclude<CaseEvent['type'], 'assigned'>;

const TIMESTAMP: Record<StepType, keyof Assignment> = {
  accepted: 'acceptedAt',
  declined: 'declinedAt',
  'intervention-started': 'interventionStartedAt',
  closed: 'closedAt',
};

/**
 * Applies a team's event to a case: the team's assignment moves on (or the event is refused with
 * 409), the step is recorded with its time for lead times, and the case status follows. A decline
 * takes the team off the case; when no team is left the case goes to the front desk, never orphaned.
 */

export function applyCaseEvent(
  record: CaseRecord,
  event: CaseEvent,
  at: string,
  fallbackTeam: string,
  actor: Assignee = { id: 'unknown', name: 'unknown' },
): CaseRecord {
  const assignment = record.assignments[event.team];
  if (!assignment || assignment.state === 'declined' || assignment.state === 'withdrawn') {
    throw new ConflictError(`The case is not routed to ${event.team}.`);
  }
  const type = event.type;
  if (type === 'assigned') return assign(record, assignment, event, at, actor);
  const state = nextState(assignment.state, type);
  if (!state) {
    throw new ConflictError(
      `${event.team} cannot mark the case ${type}: its assignment is ${assignment.state}.`,
    );
  }
  const updated: Assignment = {
    ...assignment,
    state,
    [TIMESTAMP[type]]: at,
    ...(event.outcome ? { outcome: event.outcome } : {}),
    ...(event.reason ? { reason: event.reason } : {}),
    ...(event.note ? { note: event.note } : {}),
  };
  let next: CaseRecord = {
    ...record,
    assignments: { ...record.assignments, [event.team]: updated },
    history: [
      ...record.history,
      { at, event: type, team: event.team, ...(event.outcome ? { outcome: event.outcome } : {}) },
    ],
    updatedAt: at,
    version: record.version + 1,
  };
  if (type === 'declined' && activeAssignments(next.assignments).length === 0) {
    if (event.team === fallbackTeam) {
      throw new ConflictError(
        `${fallbackTeam} is the last team on the case and cannot decline it: close it with an outcome instead.`,
      );
    }
    // Never orphaned: the front desk takes the case (again, if it had declined it before).
    const { [fallbackTeam]: _previous, ...others } = next.assignments;
    next = routeToTeams({ ...next, assignments: others }, [fallbackTeam], at);
  }
  return { ...next, status: caseStatus(next) };
}

/**
 * Names the team's caseworker for the case (`me`, or a colleague by user id); the state does not
 * change. A team that has closed the case has nobody to assign.
 */
function assign(
  record: CaseRecord,
  assignment: Assignment,
  event: CaseEvent,
  at: string,
  actor: Assignee,
): CaseRecord {
  if (assignment.state === 'closed') {
    throw new ConflictError(`${event.team} has closed the case: there is nobody to assign.`);
  }
  const id = event.assignee === undefined || event.assignee === 'me' ? actor.id : event.assignee;
  const assignee = id === actor.id ? actor : { id, name: id };
  return {
    ...record,
    assignments: { ...record.assignments, [event.team]: { ...assignment, assignee } },
    updatedAt: at,
    version: record.version + 1,
  };
}
