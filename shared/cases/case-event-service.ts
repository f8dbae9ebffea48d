/**
 * A team's steps on a case (accepted, declined, intervention started, closed): in a module of their
 * own, so that the function taking them bundles neither the case views nor the ruleset.
 */
import { FRONT_DESK } from '../config/deployment.js';
import { ConflictError, ForbiddenError } from '../errors.js';
import type { Caller } from '../http/caller.js';
import { validationError } from '../http/problem.js';
import { idempotencyRequest } from '../idempotency.js';
import { logger } from '../logger.js';
import { recordLeadTimeToAccept } from '../metrics.js';
import { deliverOutbox } from '../routing/route-case.js';
import { canReadCase, refusal } from './access.js';
import { caseEventSchema } from './case-event-schema.js';
import { applyCaseEvent } from './case-events.js';
import { IdempotencyReplay, VersionConflictError } from './conflicts.js';
import type { AssignmentState, CaseStatus, TeamMessage } from './model.js';
import type { CaseRepository } from './repository.js';

const MAX_ATTEMPTS = 5;

/** What POST /cases/{caseId}/events needs: the cases, and the team queues for what a change owes them. */
export type CaseEventDeps = {
  repository: CaseRepository;
  now?: () => Date;
  deliver: (message: TeamMessage) => Promise<void>;
};

/** What POST /cases/{caseId}/events answers (and answers again to a retry with the same key). */
type CaseEventAnswer = {
  caseId: string;
  status: CaseStatus;
  version: number;
  team: string;
  assignment: AssignmentState;
};

/**
 * POST /cases/{caseId}/events: a team moves its assignment on. Two people acting at once cannot both
 * win (the case version decides), and a retried request with the same Idempotency-Key answers the
 * first answer again instead of applying twice.
 */
export async function postCaseEvent(
  deps: CaseEventDeps,
  caller: Caller,
  caseId: string,
  body: unknown,
  idempotencyKeyHeader?: string,
) {
  const parsed = caseEventSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error, 'The event');
  const event = parsed.data;
  const idempotency = idempotencyRequest(`EVENT#${caseId}`, idempotencyKeyHeader, body);
  if (!caller.teams.includes(event.team)) {
    // The team is the client's text here, not yet one of the caller's teams: never echoed.
    throw new ForbiddenError("Only members of the event's team post its events.");
  }
  // A retry of an event that was stored (its answer lost on the way) answers the first answer, before
  // anything the event itself changed can refuse it: the decline that took the team off the case,
  // or the version it moved past `expectedVersion`.
  if (idempotency) {
    const first = await deps.repository.firstAnswer<CaseEventAnswer>(idempotency);
    if (first) return first;
  }

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const now = deps.now?.() ?? new Date();
    const record = await deps.repository.getCase(caseId);
    if (!record || !canReadCase(caller, record, FRONT_DESK, now)) throw refusal(caller, record, now);
    if (event.expectedVersion !== undefined && event.expectedVersion !== record.version) {
      throw new ConflictError(
        `The case has changed (version ${record.version}); read it again before acting.`,
      );
    }
    const at = now.toISOString();
    let next: ReturnType<typeof applyCaseEvent>;
    try {
      next = applyCaseEvent(record, event, at, FRONT_DESK, {
        // Colleagues name each other by sign-in name, so that is the id `assignee=me` matches.
        id: caller.username ?? caller.subject,
        name: caller.name ?? caller.subject,
      });
    } catch (error) {
      // A retry of a request that already applied finds its own first answer, not a conflict.
      if (error instanceof ConflictError && idempotency) {
        const first = await deps.repository.firstAnswer<CaseEventAnswer>(idempotency);
        if (first) return first;
      }
      throw error;
    }
    const answer: CaseEventAnswer = {
      caseId,
      status: next.status,
      version: next.version,
      team: event.team,
      assignment: next.assignments[event.team]?.state ?? 'declined',
    };
    try {
      await deps.repository.saveCase(next, record, {
        audit: { at, action: event.type, subject: caller.subject, groups: caller.groups, team: event.team },
        ...(idempotency ? { idempotency: { ...idempotency, response: answer } } : {}),
      });
    } catch (error) {
      if (error instanceof IdempotencyReplay && idempotency) {
        const first = await deps.repository.firstAnswer<CaseEventAnswer>(idempotency);
        if (first) return first;
        throw new ConflictError('The Idempotency-Key is in use by another request. Please try again.');
      }
      if (error instanceof VersionConflictError) continue;
      throw error;
    }
    logger.info('Case event recorded', { caseId, type: event.type, team: event.team, status: next.status });
    if (event.type === 'accepted')
      recordLeadTimeToAccept(event.team, record.assignments[event.team]!.routedAt, at);
    if (next.outbox.length > 0) {
      // The front desk's message after a last decline; if it fails, the outbox and the re-drive keep it.
      await deliverOutbox(deps, next).catch((error: unknown) =>
        logger.warn('Delivery after a case event failed; the re-drive will retry', {
          caseId,
          error: (error as Error).name,
        }),
      );
    }
    return answer;
  }
  throw new ConflictError('The case kept changing. Please read it again and retry.');
}
