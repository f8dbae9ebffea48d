import * as z from 'zod';
import { type CaseRecord, type HistoryEvent, OUTCOMES, type ReferralRecord } from '../cases/model.js';
import { agencySchema } from '../config/deployment.js';

/** Response shapes of the referral API (CONTRACT.md); they feed the OpenAPI document and the tests. */

export const caseStatusSchema = z.enum(['RECEIVED', 'ROUTED', 'IN_PROGRESS', 'CLOSED']);

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
      textSv: z.string().meta({ description: 'The same reason in Swedish.' }),
      team: z.string().optional(),
    }),
  ),
  rulesetVersion: z.string(),
  screenedAt: z.string(),
});

export const historyEventSchema = z.object({
  at: z.string(),
  event: z.enum(['received', 'routed', 'accepted', 'declined', 'intervention-started', 'closed']),
  team: z.string().optional(),
  outcome: z.enum(OUTCOMES).optional().meta({ description: 'How the team closed the case (on `closed`).' }),
});

export const referralViewSchema = z.object({
  referralId: z.string(),
  caseId: z.string(),
  agency: agencySchema,
  submittedAt: z.string(),
  status: caseStatusSchema,
  screening: screeningSchema.nullable(),
  history: z.array(historyEventSchema),
});

export const referralSummarySchema = z.object({
  referralId: z.string(),
  caseId: z.string(),
  agency: agencySchema,
  submittedAt: z.string(),
  status: caseStatusSchema,
  updatedAt: z.string(),
});

export const referralListSchema = z.object({
  items: z.array(referralSummarySchema),
  nextCursor: z.string().nullable(),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export type ReferralView = z.infer<typeof referralViewSchema>;
type Screening = z.infer<typeof screeningSchema>;

/** The screening in the contract's field order (a stored map comes back in any order). */
export function screeningView(screening: Screening | null): Screening | null {
  if (!screening) return null;
  return {
    eligible: screening.eligible,
    targetGroups: screening.targetGroups,
    priority: screening.priority,
    jointAssessment: screening.jointAssessment,
    routes: screening.routes,
    reasons: screening.reasons.map((reason) => ({
      code: reason.code,
      text: reason.text,
      textSv: reason.textSv,
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
});

/**
 * Whether the case's screening has seen this referral. A referral that joins an open case is
 * RECEIVED, with no screening, until the case has been screened again with it: the earlier
 * decision did not consider what this agency said.
 */
function screenedWith(record: CaseRecord, referralId: string): boolean {
  const position = record.referrals.findIndex((entry) => entry.referralId === referralId);
  return position >= 0 && position < record.screenedReferrals;
}

/**
 * The referring agency's view (closed loop): the case's status, screening and the steps of the case,
 * with only this referral's own `received` step: other agencies' referrals are not shown.
 */
export function referralView(referral: ReferralRecord, record: CaseRecord): ReferralView {
  const screened = screenedWith(record, referral.referralId);
  return {
    referralId: referral.referralId,
    caseId: referral.caseId,
    agency: referral.agency,
    submittedAt: referral.submittedAt,
    status: screened ? record.status : 'RECEIVED',
    screening: screened ? screeningView(record.screening) : null,
    history: record.history
      .filter((step) => step.event !== 'received' || step.referralId === referral.referralId)
      .map(historyStepView),
  };
}

export function referralSummary(referral: ReferralRecord, record: CaseRecord | undefined): ReferralSummary {
  return {
    referralId: referral.referralId,
    caseId: referral.caseId,
    agency: referral.agency,
    submittedAt: referral.submittedAt,
    status: record && screenedWith(record, referral.referralId) ? record.status : 'RECEIVED',
    updatedAt: record?.updatedAt ?? referral.submittedAt,
  };
}
