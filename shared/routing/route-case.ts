import { randomUUID } from 'node:crypto';
import { dueAt, type ServiceLevel } from '../calendar/working-days.js';
import { activeAssignments, caseStatus, isOverdue } from '../cases/assignments.js';
import { VersionConflictError } from '../cases/conflicts.js';
import { teamsToWithdraw } from '../cases/consent.js';
import type {
  Assignment,
  CaseEscalatedMessage,
  CaseRecord,
  CaseRoutedMessage,
  CaseWithdrawnMessage,
  HistoryEvent,
  TeamMessage,
} from '../cases/model.js';
import type { CaseRepository } from '../cases/repository.js';
import { type MessagePolicy, messageTargetGroups } from '../cases/visibility.js';
import { type DeploymentConfig, serviceLevelsOf } from '../config/deployment.js';
import { logger } from '../logger.js';
import type { Ruleset } from '../screening/ruleset.js';
import { type ScreeningDecision, screenCase } from '../screening/screen-case.js';

export type RouteDeps = {
  repository: Pick<CaseRepository, 'getCase' | 'saveCase'>;
  deliver: (message: TeamMessage) => Promise<void>;
  ruleset: Ruleset;
  deployment: Pick<DeploymentConfig, 'municipalityCode' | 'teams' | 'restrictedTeams' | 'serviceLevels'>;
  /** Locally, FRONTDESK_ACCEPT_WITHIN: every team's service level. */
  acceptWithin?: string | undefined;
  now?: () => Date;
};

/**
 * How routing writes: message ids (fixed in tests), what a restricted team's messages may say, and
 * each team's service level (P2D when not given).
 */
export type RoutingOptions = {
  newId?: () => string;
  policy?: MessagePolicy;
  serviceLevel?: (team: string) => ServiceLevel;
};

const DEFAULT_LEVEL = serviceLevelsOf({});

export type RouteResult = { caseId: string; newTeams: string[]; delivered: number };

const MAX_ATTEMPTS = 5;

/** The claim-check message that tells a team a case is theirs: ids and screening facts only. */
export function routedMessage(
  record: Pick<CaseRecord, 'caseId' | 'reference'>,
  decision: ScreeningDecision,
  team: string,
  at: string,
  { newId = randomUUID, policy }: RoutingOptions = {},
): CaseRoutedMessage {
  return {
    type: 'case.routed',
    messageId: newId(),
    caseId: record.caseId,
    reference: record.reference,
    team,
    priority: decision.priority,
    // A restricted team is never told of a health-related target group, not even on its queue.
    targetGroups: messageTargetGroups(decision.targetGroups, team, policy),
    jointAssessment: decision.jointAssessment,
    routedAt: at,
    rulesetVersion: decision.rulesetVersion,
  };
}

/**
 * Routes a case to teams it is not routed to yet: an assignment each, a history step each, and the
 * message each is owed (through the outbox). Teams the case has been routed to before get nothing,
 * except a team that lost the case to the client's consent and is covered again.
 */
export function routeToTeams(
  record: CaseRecord,
  teams: readonly string[],
  at: string,
  options: RoutingOptions = {},
): CaseRecord {
  const newTeams = teams.filter(
    (team) => !(team in record.assignments) || record.assignments[team]?.state === 'withdrawn',
  );
  if (newTeams.length === 0 || !record.screening) return record;
  const screening = record.screening;
  const assignments: Record<string, Assignment> = { ...record.assignments };
  const level = options.serviceLevel ?? DEFAULT_LEVEL;
  for (const team of newTeams)
    assignments[team] = { team, state: 'routed', routedAt: at, dueAt: dueAt(at, level(team)) };
  const next: CaseRecord = {
    ...record,
    assignments,
    outbox: [
      ...record.outbox,
      ...newTeams.map((team) => routedMessage(record, screening, team, at, options)),
    ],
    history: [...record.history, ...newTeams.map((team) => ({ at, event: 'routed' as const, team }))],
    updatedAt: at,
  };
  return { ...next, status: caseStatus(next) };
}

/**
 * Takes the case from every team that holds it although the case's consent (its most recent
 * referral's) no longer covers it: the assignment ends as `withdrawn`, the history says so, and the
 * team's queue is owed a `case.withdrawn` message (through the outbox) so that its own system can
 * remove what it holds. A case no team is left on goes to the front desk, never orphaned.
 */
export function withdrawUncovered(
  record: CaseRecord,
  now: Date,
  fallbackTeam: string,
  options: RoutingOptions = {},
): CaseRecord {
  const withdrawals = teamsToWithdraw(record, now, fallbackTeam);
  if (withdrawals.length === 0) return record;
  const at = now.toISOString();
  const newId = options.newId ?? randomUUID;
  const assignments = { ...record.assignments };
  const history: HistoryEvent[] = [...record.history];
  const messages: CaseWithdrawnMessage[] = [];
  for (const { team, reason } of withdrawals) {
    assignments[team] = {
      ...assignments[team]!,
      state: 'withdrawn',
      withdrawnAt: at,
      withdrawnReason: reason,
    };
    history.push({ at, event: 'consent-withdrawn', team, reason });
    messages.push({
      type: 'case.withdrawn',
      messageId: newId(),
      caseId: record.caseId,
      reference: record.reference,
      team,
      reason,
      withdrawnAt: at,
    });
  }
  let next: CaseRecord = {
    ...record,
    assignments,
    history,
    outbox: [...record.outbox, ...messages],
    updatedAt: at,
  };
  if (activeAssignments(assignments).length === 0 && next.screening) {
    // The front desk takes the case (again, if it had declined it before): nothing is dropped.
    const { [fallbackTeam]: _previous, ...others } = next.assignments;
    next = routeToTeams({ ...next, assignments: others }, [fallbackTeam], at, options);
  }
  return { ...next, status: caseStatus(next) };
}

/**
 * Applies a screening decision to a case: teams the case's consent no longer covers lose it, teams
 * newly routed get a message (via the outbox), others none.
 */
export function applyScreening(
  record: CaseRecord,
  decision: ScreeningDecision,
  fallbackTeam: string,
  options: RoutingOptions = {},
): CaseRecord {
  const screened: CaseRecord = {
    ...record,
    screening: decision,
    screenedReferrals: record.referrals.length,
    updatedAt: decision.screenedAt,
    version: record.version + 1,
  };
  const withdrawn = withdrawUncovered(screened, new Date(decision.screenedAt), fallbackTeam, options);
  // A screening always routes somewhere (the fallback team at least), so the status follows.
  return routeToTeams(withdrawn, decision.routes, decision.screenedAt, options);
}

/**
 * Tells the front desk, once, of each team that has not accepted the case by its service level: the
 * history says `escalated`, and the front desk's queue is owed a `case.escalated` message.
 */
export function escalateOverdue(record: CaseRecord, now: Date, options: RoutingOptions = {}): CaseRecord {
  if (record.status === 'CLOSED') return record;
  const at = now.toISOString();
  const overdue = Object.values(record.assignments).filter(
    (assignment) => isOverdue(assignment, now) && assignment.escalatedAt === undefined,
  );
  if (overdue.length === 0) return record;
  const newId = options.newId ?? randomUUID;
  const assignments = { ...record.assignments };
  for (const assignment of overdue) assignments[assignment.team] = { ...assignment, escalatedAt: at };
  return {
    ...record,
    assignments,
    history: [
      ...record.history,
      ...overdue.map((assignment) => ({ at, event: 'escalated' as const, team: assignment.team })),
    ],
    outbox: [
      ...record.outbox,
      ...overdue.map(
        (assignment): CaseEscalatedMessage => ({
          type: 'case.escalated',
          messageId: newId(),
          caseId: record.caseId,
          reference: record.reference,
          team: assignment.team,
          dueAt: assignment.dueAt!,
          escalatedAt: at,
        }),
      ),
    ],
    updatedAt: at,
    version: record.version + 1,
  };
}

/** Whether the screening step has work on a case: referrals it has not seen, or a consent that ran out. */
export function screeningDue(record: CaseRecord, now: Date, fallbackTeam: string): boolean {
  if (record.status === 'CLOSED') return false;
  return (
    record.screenedReferrals < record.referrals.length ||
    teamsToWithdraw(record, now, fallbackTeam).length > 0
  );
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
      const now = deps.now?.() ?? new Date();
      const fallbackTeam = deps.ruleset.fallbackRoute;
      const routing: RoutingOptions = {
        policy: { restrictedTeams: deps.deployment.restrictedTeams, ruleset: deps.ruleset },
        serviceLevel: serviceLevelsOf(deps.deployment, deps.acceptWithin),
      };
      if (screeningDue(record, now, fallbackTeam)) {
        const decision = screenCase(
          {
            personalIdentityNumber: record.person.personalIdentityNumber,
            municipalityCode: record.person.municipalityCode,
            referrals: record.referrals,
          },
          deps.ruleset,
          deps.deployment,
          now,
        );
        current = applyScreening(record, decision, fallbackTeam, routing);
        newTeams = Object.keys(current.assignments).filter(
          (team) => current.assignments[team]?.routedAt === decision.screenedAt,
        );
        await deps.repository.saveCase(current, record);
        logger.info('Case screened', {
          caseId,
          targetGroups: decision.targetGroups,
          priority: decision.priority,
          newTeams,
          rulesetVersion: decision.rulesetVersion,
        });
      }
      // A team past its service level is escalated once; the version check makes a second sweep a no-op.
      const escalated = escalateOverdue(current, now, routing);
      if (escalated !== current) {
        await deps.repository.saveCase(escalated, current);
        logger.info('Case escalated', { caseId, teams: escalated.history.length - current.history.length });
        current = escalated;
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
