import { ConflictError } from '../errors.js';
import { routeToTeams } from '../routing/route-case.js';
import { activeAssignments, caseStatus, nextState } from './assignments.js';
import type { CaseEvent } from './case-event-schema.js';

export type { CaseEvent };

import type { Assignment, CaseRecord } from './model.js';

const TIMESTAMP: Record<CaseEvent['type'], keyof Assignment> = {
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
): CaseRecord {
  const assignment = record.assignments[event.team];
  if (!assignment || assignment.state === 'declined' || assignment.state === 'withdrawn') {
    throw new ConflictError(`The case is not routed to ${event.team}.`);
  }
  const state = nextState(assignment.state, event.type);
  if (!state) {
    throw new ConflictError(
      `${event.team} cannot mark the case ${event.type}: its assignment is ${assignment.state}.`,
    );
  }
  const updated: Assignment = {
    ...assignment,
    state,
    [TIMESTAMP[event.type]]: at,
    ...(event.outcome ? { outcome: event.outcome } : {}),
    ...(event.reason ? { reason: event.reason } : {}),
    ...(event.note ? { note: event.note } : {}),
  };
  let next: CaseRecord = {
    ...record,
    assignments: { ...record.assignments, [event.team]: updated },
    history: [
      ...record.history,
      { at, event: event.type, team: event.team, ...(event.outcome ? { outcome: event.outcome } : {}) },
    ],
    updatedAt: at,
    version: record.version + 1,
  };
  if (event.type === 'declined' && activeAssignments(next.assignments).length === 0) {
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
