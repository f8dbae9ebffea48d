import type { AuditRepository } from '../audit/repository.js';
import { type DeploymentConfig, FRONT_DESK } from '../config/deployment.js';
import { collectPages } from '../data/table.js';
import { ConflictError, ForbiddenError } from '../errors.js';
import type { Caller } from '../http/caller.js';
import { validationError } from '../http/problem.js';
import { pageParameters, parseQuery, queryParameterError } from '../http/query.js';
import { logger } from '../logger.js';
import type { ReferralRepository } from '../referrals/repository.js';
import type { Ruleset } from '../screening/ruleset.js';
import { swedishDateOf } from '../time.js';
import * as z from '../zod.js';
import { canReadCase, readingTeams, refusal } from './access.js';
import { findCases, type SearchDeps, searchWorkByName } from './case-search.js';
import { caseView, isRestrictedReader, workListItem } from './case-view.js';
import { VersionConflictError } from './conflicts.js';
import { teamMayRead } from './consent.js';
import { followUpSchema, recordFollowUp } from './follow-ups.js';
import type { AssignmentState } from './model.js';
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
  now?: () => Date;
};

const MAX_ATTEMPTS = 5;

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
