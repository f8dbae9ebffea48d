import { holdsCase } from '../cases/assignments.js';
import {
  type CaseRecord,
  type HistoryEvent,
  OUTCOMES,
  type ReferralRecord,
  WITHDRAWAL_REASONS,
} from '../cases/model.js';
import { healthGroups } from '../cases/visibility.js';
import { agencySchema } from '../config/deployment.js';
import { type ReasonCode, reasonText } from '../screening/reason-text.js';
import type { Ruleset } from '../screening/ruleset.js';
import { type ScreeningDecision, screenCase } from '../screening/screen-case.js';
import * as z from '../zod.js';

/** Response shapes of the referral API (CONTRACT.md); they feed the OpenAPI document and the tests. */

export const caseStatusSchema = z.enum(['RECEIVED', 'ROUTED', 'IN_PROGRESS', 'CLOSED']);

export const referenceSchema = z.withMeta(z.string(), {
  description:
    'The case reference, such as FD-2026-00042: the year the case opened and a number counting up.',
  example: 'FD-2026-00042',
});

export const referralAcceptedSchema = z.object({
  referralId: z.string(),
  caseId: z.string(),
  status: z.literal('RECEIVED'),
  attachedToExistingCase: z.boolean(),
});

export const screeningSchema = z.object({
  eligible: z.boolean(),
  targetGroups: z.array(z.string()),
  priority: z.enum(['high', 'normal']),
  jointAssessment: z.boolean(),
  routes: z.array(z.string()),
  reasons: z.array(
    z.object({
      code: z.string(),
      text: z.string(),
      textSv: z.withMeta(z.string(), { description: 'The same reason in Swedish.' }),
      team: z.optional(z.string()),
    }),
  ),
  rulesetVersion: z.string(),
  screenedAt: z.string(),
});

export const historyEventSchema = z.object({
  at: z.string(),
  event: z.withMeta(
    z.enum([
      'received',
      'routed',
      'accepted',
      'declined',
      'intervention-started',
      'closed',
      'consent-withdrawn',
      'escalated',
    ]),
    {
      description:
        "`consent-withdrawn`: the client's consent (the case's most recent referral's) no longer covers `team`, which has lost the case. `escalated`: `team` did not accept within its service level and the front desk was told.",
    },
  ),
  team: z.optional(z.string()),
  outcome: z.withMeta(z.optional(z.enum(OUTCOMES)), {
    description: 'How the team closed the case (on `closed`).',
  }),
  reason: z.withMeta(z.optional(z.enum(WITHDRAWAL_REASONS)), {
    description: 'Why the consent no longer covers the team (on `consent-withdrawn`).',
  }),
});

export const referralViewSchema = z.object({
  referralId: z.string(),
  caseId: z.string(),
  reference: referenceSchema,
  agency: agencySchema,
  submittedAt: z.string(),
  status: caseStatusSchema,
  screening: z.nullable(screeningSchema),
  history: z.array(historyEventSchema),
  contacts: z.withMeta(
    z.optional(
      z.array(
        z.object({
          team: z.string(),
          assignee: z.object({ id: z.string(), name: z.string() }),
        }),
      ),
    ),
    {
      description:
        "Who to call: the caseworker of each team the referrer follows (the front desk and its own routes' teams) that has one.",
    },
  ),
});

export const referralSummarySchema = z.object({
  referralId: z.string(),
  caseId: z.string(),
  reference: z.withMeta(z.optional(referenceSchema), {
    description: 'Left out only while the case cannot be read.',
  }),
  agency: agencySchema,
  submittedAt: z.string(),
  status: caseStatusSchema,
  updatedAt: z.string(),
  person: z.withMeta(z.object({ givenName: z.string(), familyName: z.string() }), {
    description:
      'The name as this referral gave it (the agency’s own data), so officers can tell referrals apart.',
  }),
});

export const referralListSchema = z.object({
  items: z.array(referralSummarySchema),
  nextCursor: z.nullable(z.string()),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().check(z.int()),
  detail: z.string(),
  errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});

export type ReferralView = z.infer<typeof referralViewSchema>;
type Screening = z.infer<typeof screeningSchema>;

/** A screening as stored: its reasons as codes (older items may still carry texts, which are not read). */
type StoredScreening = Omit<Screening, 'reasons'> & { reasons: ReasonCode[] };

/**
 * The screening in the contract's field order (a stored map comes back in any order), its reasons in
 * words from the ruleset version that decided it.
 */
export function screeningView(screening: StoredScreening | null): Screening | null {
  if (!screening) return null;
  return {
    eligible: screening.eligible,
    targetGroups: screening.targetGroups,
    priority: screening.priority,
    jointAssessment: screening.jointAssessment,
    routes: screening.routes,
    reasons: screening.reasons.map((reason) => ({
      code: reason.code,
      ...reasonText(reason, screening.rulesetVersion),
      ...(reason.team ? { team: reason.team } : {}),
    })),
    rulesetVersion: screening.rulesetVersion,
    screenedAt: screening.screenedAt,
  };
}
export type ReferralSummary = z.infer<typeof referralSummarySchema>;

/** One step of a case as readers see it: which referral it was is internal. */
export const historyStepView = (step: HistoryEvent) => ({
  at: step.at,
  event: step.event,
  ...(step.team ? { team: step.team } : {}),
  ...(step.outcome ? { outcome: step.outcome } : {}),
  ...(step.reason ? { reason: step.reason } : {}),
});

/**
 * A screening with only a party's share of it: no hidden target group or its reason, and only the
 * teams the party may know of in routes and team reasons.
 */
export function screeningShare<S extends StoredScreening>(
  screening: S,
  share: { hiddenGroups: ReadonlySet<string>; seesTeam: (team: string) => boolean },
): S {
  return {
    ...screening,
    targetGroups: screening.targetGroups.filter((group) => !share.hiddenGroups.has(group)),
    routes: screening.routes.filter(share.seesTeam),
    reasons: screening.reasons.filter(
      (reason) =>
        !share.hiddenGroups.has(reason.code) && (reason.team === undefined || share.seesTeam(reason.team)),
    ),
  };
}

/**
 * Whether the case's screening has seen this referral. A referral that joins an open case is
 * RECEIVED, with no screening, until the case has been screened again with it: the earlier
 * decision did not consider what this agency said.
 */
function screenedWith(record: CaseRecord, referralId: string): boolean {
  const position = record.referrals.findIndex((entry) => entry.referralId === referralId);
  return position >= 0 && position < record.screenedReferrals;
}

export type ReferrerContext = {
  ruleset: Ruleset;
  deployment: { municipalityCode: string; teams: readonly string[] };
};

/** Reasons that say why a referral alone places the person in no target group. */
const INELIGIBILITY_CODES = new Set(['not-resident', 'age-out-of-range', 'no-target-group']);

/**
 * A referring agency's share of a case (CONTRACT.md v1.1, "What each party sees"): what its own
 * referrals, screened alone on the day the case was, would have shown. A health-related target
 * group appears only if its own referrals place the person in it; the teams it may follow are the
 * front desk and those its own referrals would have routed to.
 */
function referrerShare(referral: ReferralRecord, record: CaseRecord, context: ReferrerContext) {
  const own = record.referrals.filter((entry) => entry.agency === referral.agency);
  const alone: ScreeningDecision | undefined =
    record.screening && own.length > 0
      ? screenCase(
          {
            personalIdentityNumber: record.person.personalIdentityNumber,
            municipalityCode: referral.person.municipalityCode,
            referrals: own,
          },
          context.ruleset,
          context.deployment,
          new Date(record.screening.screenedAt),
        )
      : undefined;
  const ownGroups = new Set(alone?.targetGroups ?? []);
  const hiddenGroups = new Set([...healthGroups(context.ruleset)].filter((group) => !ownGroups.has(group)));
  const teams = new Set([context.ruleset.fallbackRoute, ...(alone?.routes ?? [])]);
  return { alone, hiddenGroups, seesTeam: (team: string) => teams.has(team) };
}

/** The referrer's screening: its share, and eligibility as its own referrals show it when nothing else is left. */
function referrerScreening(
  screening: StoredScreening,
  share: ReturnType<typeof referrerShare>,
): StoredScreening {
  const shown = screeningShare(screening, share);
  const emptied = screening.targetGroups.length > 0 && shown.targetGroups.length === 0;
  if (!emptied || !share.alone) return shown;
  // Eligible beside no target group would tell of a hidden (health) group: say what its own facts say.
  const present = new Set(shown.reasons.map((reason) => reason.code));
  const ownReasons = share.alone.reasons.filter(
    (reason) => INELIGIBILITY_CODES.has(reason.code) && !present.has(reason.code),
  );
  return { ...shown, eligible: share.alone.eligible, reasons: [...shown.reasons, ...ownReasons] };
}

/**
 * The referring agency's view (closed loop): its own referral, the case's status, and its share of
 * the screening and the steps: only this referral's own `received` step, and only the steps of
 * the front desk and the teams its own referral would have routed to.
 */
export function referralView(
  referral: ReferralRecord,
  record: CaseRecord,
  context: ReferrerContext,
): ReferralView {
  const screened = screenedWith(record, referral.referralId);
  const share = referrerShare(referral, record, context);
  return {
    referralId: referral.referralId,
    caseId: referral.caseId,
    reference: record.reference,
    agency: referral.agency,
    submittedAt: referral.submittedAt,
    status: screened ? record.status : 'RECEIVED',
    screening:
      screened && record.screening ? screeningView(referrerScreening(record.screening, share)) : null,
    history: record.history
      .filter((step) =>
        step.event === 'received'
          ? step.referralId === referral.referralId
          : step.team === undefined || share.seesTeam(step.team),
      )
      .map(historyStepView),
    contacts: Object.values(record.assignments).flatMap((assignment) =>
      assignment.assignee && share.seesTeam(assignment.team) && holdsCase(assignment.state)
        ? [{ team: assignment.team, assignee: assignment.assignee }]
        : [],
    ),
  };
}

export function referralSummary(referral: ReferralRecord, record: CaseRecord | undefined): ReferralSummary {
  return {
    referralId: referral.referralId,
    caseId: referral.caseId,
    ...(record ? { reference: record.reference } : {}),
    agency: referral.agency,
    submittedAt: referral.submittedAt,
    status: record && screenedWith(record, referral.referralId) ? record.status : 'RECEIVED',
    updatedAt: record?.updatedAt ?? referral.submittedAt,
    person: { givenName: referral.person.givenName, familyName: referral.person.familyName },
  };
}
