/** Who may read or act on a case, and the answer to one who may not: what every case operation checks first. */
import { FRONT_DESK } from '../config/deployment.js';
import { ConsentWithdrawnError, NotFoundError } from '../errors.js';
import type { Caller } from '../http/caller.js';
import { teamMayRead } from './consent.js';
import type { CaseRecord } from './model.js';

/**
 * Whether a caller may read a case at all: administrators, the front desk, and teams that hold the
 * case while the client's consent covers them (a team that declined has left it; one the consent
 * no longer covers, or whose consent has run out, has lost it). Anyone else gets 404, as for a
 * missing case.
 */
export function canReadCase(caller: Caller, record: CaseRecord, fallbackTeam: string, now: Date): boolean {
  if (caller.admin || caller.teams.includes(fallbackTeam)) return true;
  return caller.teams.some((team) => teamMayRead(record, team, now, fallbackTeam));
}

/** Whether the caller is a team that held the case and lost it to the client's consent. */
export function lostToConsent(caller: Caller, record: CaseRecord, fallbackTeam: string, now: Date): boolean {
  return caller.teams.some((team) => {
    const assignment = record.assignments[team];
    return (
      assignment !== undefined &&
      assignment.state !== 'declined' &&
      !teamMayRead(record, team, now, fallbackTeam)
    );
  });
}

/** The teams through which a caller reads a case (for the audit trail). */
export function readingTeams(caller: Caller, record: CaseRecord): string[] {
  return caller.teams.filter((team) => team in record.assignments);
}

const notFound = () => new NotFoundError('No such case.');

/** 404 for a caller who may not read the case; a team that lost it to the client's consent is told why. */
export function refusal(caller: Caller, record: CaseRecord | undefined, now: Date) {
  if (record && lostToConsent(caller, record, FRONT_DESK, now)) {
    return new ConsentWithdrawnError("The client's consent no longer covers your team.");
  }
  return notFound();
}
