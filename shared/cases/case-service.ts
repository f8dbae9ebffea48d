import type { AuditRepository } from '../audit/repository.js';
import { type DeploymentConfig, FRONT_DESK } from '../config/deployment.js';
import { collectPages } from '../data/table.js';
import { ConflictError, ConsentWithdrawnError, ForbiddenError, NotFoundError } from '../errors.js';
import type { Caller } from '../http/caller.js';
import { validationError } from '../http/problem.js';
import { pageParameters, parseQuery, queryParameterError } from '../http/query.js';
import { idempotencyRequest } from '../idempotency.js';
import { logger } from '../logger.js';
import { recordLeadTimeToAccept } from '../metrics.js';
import type { ReferralRepository } from '../referrals/repository.js';
import { deliverOutbox } from '../routing/route-case.js';
import type { Ruleset } from '../screening/ruleset.js';
import { swedishDateOf } from '../time.js';
import * as z from '../zod.js';
import { caseEventSchema } from './case-event-schema.js';
import { applyCaseEvent } from './case-events.js';
import { findCases, type SearchDeps, searchWorkByName } from './case-search.js';
import {
  canReadCase,
  caseView,
  isRestrictedReader,
  lostToConsent,
  readingTeams,
  workListItem,
} from './case-view.js';
import { IdempotencyReplay, VersionConflictError } from './conflicts.js';
import { teamMayRead } from './consent.js';
import { followUpSchema, recordFollowUp } from './follow-ups.js';
import type { AssignmentState, CaseRecord, CaseStatus, TeamMessage } from './model.js';
import { type NoteRepository, noteInputSchema } from './notes.js';
import type { CaseRepository, WorkFilter, WorkItem } from './repository.js';
import { classifySearch } from './search.js';
import { visibleTargetGroups } from './visibility.js';

export type CaseServiceDeps = {
  repository: CaseRepository;
  referrals: ReferralRepository;
  audit: AuditRepository;
  notes: NoteRepository;
  deployment: DeploymentConfig;
  ruleset: Ruleset;
  deliver: (message: TeamMessage) => Promise<void>;
  now?: () => Date;
};

const MAX_ATTEMPTS = 5;

/** What POST /cases/{caseId}/events answers (and answers again to a retry with the same key). */
type CaseEventAnswer = {
  caseId: string;
  status: CaseStatus;
  version: number;
  team: string;
  assignment: AssignmentState;
};
const notFound = () => new NotFoundError('No such case.');

/** 404 for a caller who may not read the case; a team that lost it to the client's consent is told why. */
function refusal(caller: Caller, record: CaseRecord | undefined, now: Date) {
  if (record && lostToConsent(caller, record, FRONT_DESK, now)) {
    return new ConsentWithdrawnError("The client's consent no longer covers your team.");
  }
  return notFound();
}

/** GET /cases/{caseId}: the case as the caller may see it; the read is written to the audit trail first. */
export async function readCase(deps: CaseServiceDeps, caller: Caller, caseId: string) {
  const now = deps.now?.() ?? new Date();
  const record = await deps.repository.getCase(caseId);
  if (!record || !canReadCase(caller, record, FRONT_DESK, now)) throw refusal(caller, record, now);
  const restricted = isRestrictedReader(caller, deps.deployment, FRONT_DESK);
  const teams = readingTeams(caller, record);
  // No record of the read, no data: the audit write comes before the answer.
  await deps.audit.appendAudit(caseId, {
    at: now.toISOString(),
    action: 'read',
    subject: caller.subject,
    groups: caller.groups,
    ...(teams[0] ? { team: teams.join(',') } : {}),
  });
  const [referrals, notes] = await Promise.all([
    deps.referrals.getReferrals(record.referrals.map((referral) => referral.referralId)),
    deps.notes.listNotes(caseId),
  ]);
  const overseer = caller.admin || caller.teams.includes(FRONT_DESK);
  return {
    ...caseView(record, referrals, { restricted, ownTeams: caller.teams, ruleset: deps.ruleset, now }),
    // A team's journal is the team's: the front desk and admins read every team's, the referrer none.
    notes: notes
      .filter((note) => overseer || caller.teams.includes(note.team))
      .map(({ key: _key, ...note }) => note),
  };
}

/**
 * POST /cases/{caseId}/notes: a member of a team that holds the case (or of the front desk) adds a
 * dated note to the team's journal of it; the note is audited, its text never logged.
 */
export async function addCaseNote(deps: CaseServiceDeps, caller: Caller, caseId: string, body: unknown) {
  const parsed = noteInputSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error, 'The note');
  const { team, text } = parsed.data;
  if (!caller.teams.includes(team))
    throw new ForbiddenError("Only members of the note's team write its notes.");
  const now = deps.now?.() ?? new Date();
  const record = await deps.repository.getCase(caseId);
  const holds = record && (team === FRONT_DESK || teamMayRead(record, team, now, FRONT_DESK));
  if (!record || !holds) throw refusal(caller, record, now);
  const at = now.toISOString();
  const note = await deps.notes.addNote(
    caseId,
    team,
    text,
    { id: caller.subject, name: caller.name ?? caller.subject },
    at,
  );
  await deps.audit.appendAudit(caseId, {
    at,
    action: 'note',
    subject: caller.subject,
    groups: caller.groups,
    team,
  });
  logger.info('Case note added', { caseId, team });
  return note;
}

/**
 * POST /cases/{caseId}/follow-ups: a team that holds the case (or the front desk) records whether
 * the person was self-sufficient 6 or 12 months after their intervention started (TG4's targets).
 * The case and the statistics change in one transaction; the answer says what is recorded.
 */
export async function addFollowUp(deps: CaseServiceDeps, caller: Caller, caseId: string, body: unknown) {
  const parsed = followUpSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error, 'The follow-up');
  const input = parsed.data;
  if (input.team !== undefined && !caller.teams.includes(input.team))
    throw new ForbiddenError('Only members of the team record its follow-ups.');
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const now = deps.now?.() ?? new Date();
    const record = await deps.repository.getCase(caseId);
    const holding = (team: string) =>
      team === FRONT_DESK || (record && teamMayRead(record, team, now, FRONT_DESK));
    const team = input.team ?? caller.teams.find(holding);
    if (!record || team === undefined || !holding(team)) throw refusal(caller, record, now);
    const { next, followUp } = recordFollowUp(record, input, team, now);
    const answer = { caseId, reference: record.reference, ...followUp };
    if (!next) return { status: 200, answer };
    try {
      await deps.repository.saveCase(next, record, {
        audit: {
          at: followUp.recordedAt,
          action: 'follow-up',
          subject: caller.subject,
          groups: caller.groups,
          team,
        },
      });
    } catch (error) {
      if (error instanceof VersionConflictError) continue;
      throw error;
    }
    logger.info('Follow-up recorded', { caseId, team, milestone: followUp.milestone });
    return { status: 201, answer };
  }
  throw new ConflictError('The case kept changing. Please read it again and retry.');
}

const workListQuery = z.strictObject({
  team: z.optional(z.string().check(z.minLength(1), z.maxLength(40))),
  // RECEIVED is a case status too, but a case not yet routed is on no team's list: an empty page.
  status: z.optional(z.enum(['RECEIVED', 'ROUTED', 'IN_PROGRESS', 'CLOSED', 'DECLINED'])),
  targetGroup: z.optional(z.string().check(z.regex(/^[A-Z0-9-]{1,20}$/))),
  /** `true`: the team's cases past their service level, not yet accepted. */
  overdue: z.optional(z.enum(['true', 'false'])),
  /** `true`: TG4 cases whose 6- or 12-month follow-up is due (open work, or closed with `status=CLOSED`). */
  followUpDue: z.optional(z.enum(['true', 'false'])),
  /** priority (the list's own order), waiting (longest first) or reference. */
  sort: z._default(z.enum(['priority', 'waiting', 'reference']), 'priority'),
  /** A case reference or identity number (that case), or the start of a name (in the team's list). */
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
  /** `me`: the caller's own cases in the team's list. */
  assignee: z.optional(z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9@._+-]{0,127}$/))),
  ...pageParameters(25),
});

/** The assignment states each status filter of the work list reads. */
const STATES_OF: Record<'ROUTED' | 'IN_PROGRESS' | 'CLOSED' | 'DECLINED', AssignmentState[]> = {
  ROUTED: ['routed'],
  IN_PROGRESS: ['accepted', 'intervention-started'],
  CLOSED: ['closed'],
  DECLINED: ['declined'],
};

/** How many entries a sorted work list reads at most before it sorts them: one bounded page. */
const SORTED_READ_LIMIT = 1000;

/** A work list in another order than the index's: read (bounded), sort, take the first `limit`. */
async function sortedWork(
  deps: CaseServiceDeps,
  team: string,
  filter: WorkFilter,
  sort: 'waiting' | 'reference',
  limit: number,
) {
  const { items } = await collectPages(
    (pageLimit, cursor) =>
      deps.repository.listTeamWork(team, { ...filter, limit: pageLimit, ...(cursor ? { cursor } : {}) }),
    { cap: SORTED_READ_LIMIT },
  );
  const key = (item: WorkItem) =>
    sort === 'waiting' ? (item.waitingSince ?? item.routedAt) : item.reference;
  return items.sort((a, b) => key(a).localeCompare(key(b))).slice(0, limit);
}

/** GET /cases: a team's work list, highest priority and oldest first; closed work newest first. */
export async function listWork(deps: SearchDeps, caller: Caller, query: Record<string, string | undefined>) {
  const parsed = parseQuery(workListQuery, query);
  const now = deps.now?.() ?? new Date();
  const search = parsed.q === undefined ? undefined : classifySearch(parsed.q, now);
  if (search && search.kind !== 'name') return findCases(deps, caller, search, parsed.team, now);
  const team = parsed.team ?? (caller.teams.length === 1 ? caller.teams[0] : undefined);
  if (!team) throw queryParameterError('team', 'is required: name the team');
  const overseer = caller.admin || caller.teams.includes(FRONT_DESK);
  if (!overseer && !caller.teams.includes(team)) {
    throw new ForbiddenError("Only the team's members, the front desk and administrators see its work list.");
  }
  if (!deps.deployment.teams.includes(team))
    throw queryParameterError('team', 'is not a team of this front desk');
  const { status, limit, cursor } = parsed;
  const restricted = !overseer && deps.deployment.restrictedTeams.includes(team);
  if (status === 'RECEIVED') return { items: [], nextCursor: null };
  // A restricted team may not filter on a group it may not see: the filter would tell it the group.
  if (parsed.targetGroup && visibleTargetGroups([parsed.targetGroup], restricted, deps.ruleset).length === 0)
    return { items: [], nextCursor: null };
  const filter: WorkFilter = {
    closed: status === 'CLOSED' || status === 'DECLINED',
    ...(status ? { state: STATES_OF[status] } : {}),
    ...(parsed.assignee
      ? { assigneeId: parsed.assignee === 'me' ? (caller.username ?? caller.subject) : parsed.assignee }
      : {}),
    ...(parsed.targetGroup ? { targetGroup: parsed.targetGroup } : {}),
    ...(parsed.overdue === 'true' ? { state: ['routed' as const], dueBefore: now.toISOString() } : {}),
    ...(parsed.followUpDue === 'true' ? { followUpDueBy: swedishDateOf(now) } : {}),
  };
  const page = search
    ? { items: await searchWorkByName(deps, team, search.prefix, limit), nextCursor: null }
    : parsed.sort === 'priority'
      ? await deps.repository.listTeamWork(team, { ...filter, limit, ...(cursor ? { cursor } : {}) })
      : { items: await sortedWork(deps, team, filter, parsed.sort, limit), nextCursor: null };
  // A consent that has run out takes the case off the list at once, before the sweep withdraws it.
  const today = swedishDateOf(now);
  const covered = page.items.filter(
    (item) => item.consentValidUntil === undefined || item.consentValidUntil >= today,
  );
  return {
    items: covered.map((item) => workListItem(item, restricted, deps.ruleset, now)),
    nextCursor: page.nextCursor,
  };
}

/**
 * POST /cases/{caseId}/events: a team moves its assignment on. Two people acting at once cannot both
 * win (the case version decides), and a retried request with the same Idempotency-Key answers the
 * first answer again instead of applying twice.
 */
export async function postCaseEvent(
  deps: CaseServiceDeps,
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
