import type { DeploymentConfig } from '../config/deployment.js';
import type { Caller } from '../http/caller.js';
import { historyStepView, screeningView } from '../referrals/views.js';
import type { Ruleset } from '../screening/ruleset.js';
import { activeAssignments, teamStatus } from './assignments.js';
import type { CaseRecord, ReferralRecord } from './model.js';
import type { WorkItem } from './repository.js';

/** Situation fields that are health information (special-category data, GDPR art. 9 and OSL). */
const HEALTH_FIELDS = ['sickLeaveMonths', 'compensation', 'disability'] as const;

/**
 * Whether a caller may read a case at all: administrators, the front desk, and teams the case is
 * routed to (a team that declined has left it). Anyone else gets 404, as for a missing case.
 */
export function canReadCase(caller: Caller, record: CaseRecord, fallbackTeam: string): boolean {
  if (caller.admin || caller.teams.includes(fallbackTeam)) return true;
  const routed = new Set(activeAssignments(record.assignments).map((assignment) => assignment.team));
  return caller.teams.some((team) => routed.has(team));
}

/** The teams through which a caller reads a case (for the audit trail). */
export function readingTeams(caller: Caller, record: CaseRecord): string[] {
  return caller.teams.filter((team) => team in record.assignments);
}

/**
 * Whether the caller sees only the minimum: a member of restricted teams only (a non-profit partner),
 * with no other right to the case.
 */
export function isRestrictedReader(
  caller: Caller,
  deployment: DeploymentConfig,
  fallbackTeam: string,
): boolean {
  if (caller.admin || caller.teams.includes(fallbackTeam)) return false;
  return caller.teams.length > 0 && caller.teams.every((team) => deployment.restrictedTeams.includes(team));
}

const healthGroups = (ruleset: Ruleset) =>
  new Set(ruleset.targetGroups.filter((group) => group.healthRelated).map((group) => group.code));

/** Target groups a restricted team may see: membership of TG3 or TG5 would tell of disability or sick leave. */
export function visibleTargetGroups(
  groups: readonly string[],
  restricted: boolean,
  ruleset: Ruleset,
): string[] {
  if (!restricted) return [...groups];
  const hidden = healthGroups(ruleset);
  return groups.filter((group) => !hidden.has(group));
}

/**
 * The whole case for those who work it: person, every referral, screening with reasons, per-team
 * assignments and history. A restricted reader gets the minimum: no identity number, no health
 * information, no free text, and only its own team's part.
 */
export function caseView(
  record: CaseRecord,
  referrals: readonly ReferralRecord[],
  options: { restricted: boolean; ownTeams: readonly string[]; ruleset: Ruleset },
) {
  const { restricted, ruleset } = options;
  const own = (team: string | undefined) => team === undefined || options.ownTeams.includes(team);
  const { personalIdentityNumber, accessibilityNeeds, ...personBasics } = record.person;
  const person = restricted
    ? personBasics
    : { personalIdentityNumber, ...personBasics, ...(accessibilityNeeds ? { accessibilityNeeds } : {}) };
  const hiddenGroups = restricted ? healthGroups(ruleset) : new Set<string>();
  const screening = record.screening && {
    ...record.screening,
    targetGroups: visibleTargetGroups(record.screening.targetGroups, restricted, ruleset),
    routes: record.screening.routes.filter((team) => !restricted || own(team)),
    reasons: record.screening.reasons.filter(
      (reason) => !hiddenGroups.has(reason.code) && (!restricted || own(reason.team)),
    ),
  };
  return {
    caseId: record.caseId,
    status: record.status,
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    person,
    referrals: referrals.map((referral) => {
      const situation = { ...referral.situation };
      if (restricted) for (const field of HEALTH_FIELDS) delete situation[field];
      return {
        referralId: referral.referralId,
        agency: referral.agency,
        submittedAt: referral.submittedAt,
        consent: referral.consent,
        situation,
        ...(!restricted && referral.reason !== undefined ? { reason: referral.reason } : {}),
      };
    }),
    screening: screeningView(screening),
    assignments: Object.values(record.assignments)
      .filter((assignment) => !restricted || own(assignment.team))
      .map((assignment) => ({ ...assignment, status: teamStatus(assignment.state) })),
    history: record.history.filter((step) => !restricted || own(step.team)).map(historyStepView),
  };
}

export type CaseView = ReturnType<typeof caseView>;

/** One row of a team's work list: no identity number, and the minimum for a restricted team. */
export function workListItem(item: WorkItem, restricted: boolean, ruleset: Ruleset) {
  return {
    caseId: item.caseId,
    team: item.team,
    status: teamStatus(item.state),
    assignment: item.state,
    caseStatus: item.caseStatus,
    priority: item.priority,
    targetGroups: visibleTargetGroups(item.targetGroups, restricted, ruleset),
    jointAssessment: item.jointAssessment,
    routedAt: item.routedAt,
    updatedAt: item.updatedAt,
    ...(item.closedAt ? { closedAt: item.closedAt } : {}),
    person: { givenName: item.givenName, familyName: item.familyName },
  };
}
