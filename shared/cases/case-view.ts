import type { DeploymentConfig } from '../config/deployment.js';
import type { Caller } from '../http/caller.js';
import { historyStepView, screeningShare, screeningView } from '../referrals/views.js';
import type { Ruleset } from '../screening/ruleset.js';
import { swedishDateOf } from '../time.js';
import { isOverdue, teamStatus } from './assignments.js';
import { nextFollowUp } from './follow-ups.js';
import type { CaseRecord, ReferralRecord } from './model.js';
import type { WorkItem } from './repository.js';
import { healthGroups, visibleTargetGroups } from './visibility.js';

/** Situation fields that are health information (special-category data, GDPR art. 9 and OSL). */
const HEALTH_FIELDS = ['sickLeaveMonths', 'compensation', 'disability'] as const;

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

/**
 * The whole case for those who work it: person, every referral, screening with reasons, per-team
 * assignments and history. A restricted reader gets the minimum: no identity number, no health
 * information, no free text, and only its own team's part.
 */
export function caseView(
  record: CaseRecord,
  referrals: readonly ReferralRecord[],
  options: { restricted: boolean; ownTeams: readonly string[]; ruleset: Ruleset; now?: Date },
) {
  const { restricted, ruleset } = options;
  const next = nextFollowUp(record);
  const own = (team: string | undefined) => team === undefined || options.ownTeams.includes(team);
  const { personalIdentityNumber, accessibilityNeeds, ...personBasics } = record.person;
  const person = restricted
    ? personBasics
    : { personalIdentityNumber, ...personBasics, ...(accessibilityNeeds ? { accessibilityNeeds } : {}) };
  const screening = screeningView(
    record.screening &&
      (restricted
        ? screeningShare(record.screening, { hiddenGroups: healthGroups(ruleset), seesTeam: own })
        : record.screening),
  );
  // A partner is routed only eligible cases; "eligible" beside a list emptied of health groups would
  // tell which kind of group it was, so a restricted reader is not told.
  const { eligible: _eligible, ...restrictedScreening } = screening ?? {};
  return {
    caseId: record.caseId,
    reference: record.reference,
    status: record.status,
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    person,
    referrals: referrals.map((referral) => {
      const situation = { ...referral.situation };
      if (restricted) for (const field of HEALTH_FIELDS) delete situation[field];
      // Which agencies refer the person, and whom the client lets know, can tell of sick leave too.
      const { recipients: _recipients, ...consentBasics } = referral.consent;
      return {
        referralId: referral.referralId,
        ...(restricted ? {} : { agency: referral.agency }),
        submittedAt: referral.submittedAt,
        consent: restricted ? consentBasics : referral.consent,
        situation,
        ...(!restricted && referral.reason !== undefined ? { reason: referral.reason } : {}),
      };
    }),
    screening: screening && (restricted ? restrictedScreening : screening),
    assignments: Object.values(record.assignments)
      .filter((assignment) => !restricted || own(assignment.team))
      .map((assignment) => ({
        ...assignment,
        status: teamStatus(assignment.state),
        ...(assignment.dueAt ? { overdue: isOverdue(assignment, options.now) } : {}),
      })),
    history: record.history.filter((step) => !restricted || own(step.team)).map(historyStepView),
    followUps: record.followUps ?? [],
    ...(next
      ? { nextFollowUp: { ...next, due: next.dueOn <= swedishDateOf(options.now ?? new Date()) } }
      : {}),
  };
}

export type CaseView = ReturnType<typeof caseView>;

/** One row of a team's work list: no identity number, and the minimum for a restricted team. */
export function workListItem(item: WorkItem, restricted: boolean, ruleset: Ruleset, now = new Date()) {
  return {
    caseId: item.caseId,
    reference: item.reference,
    team: item.team,
    status: teamStatus(item.state),
    assignment: item.state,
    caseStatus: item.caseStatus,
    priority: item.priority,
    targetGroups: visibleTargetGroups(item.targetGroups, restricted, ruleset),
    jointAssessment: item.jointAssessment,
    routedAt: item.routedAt,
    updatedAt: item.updatedAt,
    waitingSince: item.waitingSince ?? item.routedAt,
    ...(item.closedAt ? { closedAt: item.closedAt } : {}),
    ...(item.declinedAt ? { declinedAt: item.declinedAt } : {}),
    ...(item.frontDeskReason ? { frontDeskReason: item.frontDeskReason } : {}),
    ...(item.assignee ? { assignee: item.assignee } : {}),
    ...(item.dueAt ? { dueAt: item.dueAt, overdue: isOverdue(item, now) } : {}),
    ...(item.followUp
      ? { followUp: { ...item.followUp, due: item.followUp.dueOn <= swedishDateOf(now) } }
      : {}),
    person: { givenName: item.givenName, familyName: item.familyName },
  };
}
