import { randomUUID } from 'node:crypto';
import { caseStatus } from '../cases/assignments.js';
import { VersionConflictError } from '../cases/conflicts.js';
import type { Assignment, CaseRecord, CaseRoutedMessage } from '../cases/model.js';
import type { CaseRepository } from '../cases/repository.js';
import { logger } from '../logger.js';
import type { Ruleset } from '../screening/ruleset.js';
import { type ScreeningDecision, screenCase } from '../screening/screen-case.js';

export type RouteDeps = {
  repository: Pick<CaseRepository, 'getCase' | 'saveCase'>;
  deliver: (message: CaseRoutedMessage) => Promise<void>;
  ruleset: Ruleset;
  deployment: { municipalityCode: string; teams: readonly string[] };
  now?: () => Date;
};

export type RouteResult = { caseId: string; newTeams: string[]; delivered: number };

const MAX_ATTEMPTS = 5;

/** The claim-check message that tells a team a case is theirs: ids and screening facts only. */
export function routedMessage(
  record: Pick<CaseRecord, 'caseId'>,
  decision: ScreeningDecision,
  team: string,
  at: string,
  newId = randomUUID,
): CaseRoutedMessage {
  return {
    type: 'case.routed',
    messageId: newId(),
    caseId: record.caseId,
    team,
    priority: decision.priority,
    targetGroups: decision.targetGroups,
    jointAssessment: decision.jointAssessment,
    routedAt: at,
    rulesetVersion: decision.rulesetVersion,
  };
}

/**
 * Routes a case to teams it is not routed to yet: an assignment each, a history step each, and the
 * message each is owed (through the outbox). Teams the case has been routed to before get nothing.
 */
export function routeToTeams(
  record: CaseRecord,
  teams: readonly string[],
  at: string,
  newId = randomUUID,
): CaseRecord {
  const newTeams = teams.filter((team) => !(team in record.assignments));
  if (newTeams.length === 0 || !record.screening) return record;
  const screening = record.screening;
  const assignments: Record<string, Assignment> = { ...record.assignments };
  for (const team of newTeams) assignments[team] = { team, state: 'routed', routedAt: at };
  const next: CaseRecord = {
    ...record,
    assignments,
    outbox: [...record.outbox, ...newTeams.map((team) => routedMessage(record, screening, team, at, newId))],
    history: [...record.history, ...newTeams.map((team) => ({ at, event: 'routed' as const, team }))],
    updatedAt: at,
  };
  return { ...next, status: caseStatus(next) };
}

/** Applies a screening decision to a case: teams newly routed get a message (via the outbox), others none. */
export function applyScreening(
  record: CaseRecord,
  decision: ScreeningDecision,
  newId = randomUUID,
): CaseRecord {
  const screened: CaseRecord = {
    ...record,
    screening: decision,
    screenedReferrals: record.referrals.length,
    updatedAt: decision.screenedAt,
    version: record.version + 1,
  };
  // A first screening always routes somewhere (the fallback team at least), so the status follows.
  return routeToTeams(screened, decision.routes, decision.screenedAt, newId);
}

/**
 * The screening step for one case: screen it on all its referrals if it has any the last screening
 * did not see, record the decision with the messages it owes (one conditional write), then deliver
 * those messages and clear them. A failure anywhere leaves the outbox filled, so a retry — the
 * queue's, or the scheduled re-drive's — delivers what is still owed. Safe to run twice.
 */
export async function routeCase(deps: RouteDeps, caseId: string): Promise<RouteResult> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const record = await deps.repository.getCase(caseId);
    if (!record) {
      logger.warn('Screening asked for a case that does not exist', { caseId });
      return { caseId, newTeams: [], delivered: 0 };
    }
    try {
      let current = record;
      let newTeams: string[] = [];
      if (record.status !== 'CLOSED' && record.screenedReferrals < record.referrals.length) {
        const decision = screenCase(
          {
            personalIdentityNumber: record.person.personalIdentityNumber,
            municipalityCode: record.person.municipalityCode,
            referrals: record.referrals,
          },
          deps.ruleset,
          deps.deployment,
          deps.now?.() ?? new Date(),
        );
        current = applyScreening(record, decision);
        newTeams = Object.keys(current.assignments).filter((team) => !(team in record.assignments));
        await deps.repository.saveCase(current, record);
        logger.info('Case screened', {
          caseId,
          targetGroups: decision.targetGroups,
          priority: decision.priority,
          newTeams,
          rulesetVersion: decision.rulesetVersion,
        });
      }
      const delivered = await deliverOutbox(deps, current);
      return { caseId, newTeams, delivered };
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      // Another referral or a parallel consumer changed the case: read it again and redo.
    }
  }
  throw new Error(`Case ${caseId} kept changing while it was being routed`);
}

/** Sends what the outbox owes, then removes what was sent; throws if anything is still owed. */
export async function deliverOutbox(
  deps: Pick<RouteDeps, 'repository' | 'deliver'>,
  record: CaseRecord,
): Promise<number> {
  if (record.outbox.length === 0) return 0;
  const results = await Promise.allSettled(record.outbox.map((message) => deps.deliver(message)));
  const sent = new Set(
    record.outbox.filter((_, index) => results[index]?.status === 'fulfilled').map((m) => m.messageId),
  );
  if (sent.size > 0) {
    // Clearing the outbox keeps the version: it changes nothing a reader acts on, so a team holding
    // this version may still act. A writer racing it re-sends at most a message with the same id.
    const cleared: CaseRecord = {
      ...record,
      outbox: record.outbox.filter((message) => !sent.has(message.messageId)),
    };
    await deps.repository.saveCase(cleared, record);
  }
  const failed = results.filter((result) => result.status === 'rejected');
  if (failed.length > 0) {
    logger.warn('Delivery to a team queue failed; it will be retried', {
      caseId: record.caseId,
      failed: failed.length,
    });
    throw new Error(
      `${failed.length} of ${results.length} team messages for case ${record.caseId} were not sent`,
    );
  }
  return sent.size;
}
