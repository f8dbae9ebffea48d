import { agencySchema } from '../config/deployment.js';
import { consentSchema, personSchema, situationSchema } from '../referrals/schema.js';
import {
  caseStatusSchema,
  historyEventSchema,
  referenceSchema,
  screeningSchema,
} from '../referrals/views.js';
import * as z from '../zod.js';
import { MILESTONES, OUTCOMES, WITHDRAWAL_REASONS } from './model.js';
import { noteSchema } from './note-schema.js';

/** Response shapes of the back-office API; they feed the OpenAPI document and the tests. */

const assignmentStateSchema = z.withMeta(
  z.enum(['routed', 'accepted', 'intervention-started', 'closed', 'declined', 'withdrawn']),
  { description: "`withdrawn`: the client's consent no longer covers the team, which has lost the case." },
);
const teamStatusSchema = z.enum(['ROUTED', 'IN_PROGRESS', 'CLOSED', 'DECLINED', 'WITHDRAWN']);

const dueAtSchema = z.withMeta(z.string(), {
  description: "When the team should have accepted by: routed + the team's acceptWithin (working days).",
});
const overdueSchema = z.withMeta(z.boolean(), { description: 'Past dueAt and not accepted yet.' });

const assigneeSchema = z.withMeta(z.object({ id: z.string(), name: z.string() }), {
  description: "The team's caseworker for the case (`assigned` event): who to call.",
});

const followUpDueSchema = z.withMeta(
  z.object({
    milestone: z.enum(MILESTONES),
    dueOn: z.withMeta(z.string(), { description: 'The Swedish date the follow-up falls due.' }),
    due: z.withMeta(z.boolean(), { description: 'Whether it is due now.' }),
  }),
  { description: "A TG4 case's next follow-up (6 or 12 months after its intervention started)." },
);

export const workListItemSchema = z.object({
  caseId: z.string(),
  reference: referenceSchema,
  team: z.string(),
  status: z.withMeta(teamStatusSchema, {
    description: "The team's own view: new, being worked, or closed by it.",
  }),
  assignment: assignmentStateSchema,
  caseStatus: caseStatusSchema,
  priority: z.enum(['high', 'normal']),
  targetGroups: z.array(z.string()),
  jointAssessment: z.boolean(),
  routedAt: z.string(),
  updatedAt: z.string(),
  waitingSince: z.withMeta(z.string(), {
    description:
      'When the person started waiting: the case was received. A decline or a re-route does not reset it.',
  }),
  closedAt: z.optional(z.string()),
  declinedAt: z.optional(z.string()),
  frontDeskReason: z.withMeta(
    z.optional(
      z.enum(['declined-by-every-team', 'consent', 'not-eligible', 'joint-assessment', 'escalated']),
    ),
    { description: "On the front desk's list: why the case is in its queue." },
  ),
  assignee: z.optional(assigneeSchema),
  dueAt: z.optional(dueAtSchema),
  overdue: z.optional(overdueSchema),
  followUp: z.optional(followUpDueSchema),
  person: z.object({ givenName: z.string(), familyName: z.string() }),
});

export const workListSchema = z.object({
  items: z.array(workListItemSchema),
  nextCursor: z.nullable(z.string()),
});

export const caseViewSchema = z.object({
  caseId: z.string(),
  reference: referenceSchema,
  status: caseStatusSchema,
  version: z.withMeta(z.number().check(z.int()), {
    description: 'Send as `expectedVersion` to act only on what you read.',
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
  person: z.withMeta(z.partial(personSchema, { personalIdentityNumber: true }), {
    description: 'The identity number in its 12-digit form; left out for restricted (partner) teams.',
  }),
  referrals: z.array(
    z.object({
      referralId: z.string(),
      agency: z.withMeta(z.optional(agencySchema), {
        description: 'Left out for restricted (partner) teams: which agency refers can tell of health.',
      }),
      submittedAt: z.string(),
      consent: z.withMeta(consentSchema, {
        description: '`recipients` is left out for restricted (partner) teams.',
      }),
      situation: situationSchema,
      reason: z.optional(z.string()),
    }),
  ),
  screening: z.nullable(
    z.extend(screeningSchema, {
      eligible: z.withMeta(z.optional(screeningSchema.shape.eligible), {
        description:
          'Left out for restricted (partner) teams: beside their share of the target groups it could tell of a hidden one.',
      }),
    }),
  ),
  assignments: z.array(
    z.object({
      team: z.string(),
      state: assignmentStateSchema,
      status: teamStatusSchema,
      routedAt: z.string(),
      acceptedAt: z.optional(z.string()),
      interventionStartedAt: z.optional(z.string()),
      closedAt: z.optional(z.string()),
      declinedAt: z.optional(z.string()),
      withdrawnAt: z.optional(z.string()),
      withdrawnReason: z.optional(z.enum(WITHDRAWAL_REASONS)),
      assignee: z.optional(assigneeSchema),
      dueAt: z.optional(dueAtSchema),
      overdue: z.optional(overdueSchema),
      escalatedAt: z.withMeta(z.optional(z.string()), {
        description: 'When the front desk was told (once).',
      }),
      outcome: z.optional(z.enum(OUTCOMES)),
      reason: z.optional(z.string()),
      note: z.optional(z.string()),
    }),
  ),
  history: z.array(historyEventSchema),
  followUps: z.withMeta(
    z.array(
      z.object({
        milestone: z.enum(MILESTONES),
        selfSufficient: z.boolean(),
        recordedAt: z.string(),
        team: z.string(),
      }),
    ),
    { description: 'Follow-ups recorded (TG4 cases, POST /cases/{caseId}/follow-ups).' },
  ),
  nextFollowUp: z.optional(followUpDueSchema),
  notes: z.withMeta(z.array(noteSchema), {
    description:
      "The teams' journals, oldest first: the caller's own teams' (all of them for the front desk and admins).",
  }),
});

export const caseEventResultSchema = z.object({
  caseId: z.string(),
  status: caseStatusSchema,
  version: z.number().check(z.int()),
  team: z.string(),
  assignment: assignmentStateSchema,
});

export const auditListSchema = z.object({
  items: z.array(
    z.object({
      at: z.string(),
      action: z.withMeta(z.string(), { description: '`read`, or the event type of a change.' }),
      subject: z.string(),
      groups: z.array(z.string()),
      team: z.optional(z.string()),
    }),
  ),
  nextCursor: z.nullable(z.string()),
});

/** The messages a team's queue receives (CONTRACT.md "Queue messages" and v1.1): ids and facts, never personal data. */
export const caseRoutedMessageSchema = z.withMeta(
  z.object({
    type: z.literal('case.routed'),
    messageId: z.withMeta(z.string(), { description: 'De-duplicate on this: delivery is at least once.' }),
    caseId: z.string(),
    reference: referenceSchema,
    team: z.string(),
    priority: z.enum(['high', 'normal']),
    targetGroups: z.withMeta(z.array(z.string()), {
      description: 'Never a health-related target group on a restricted (partner) team’s queue.',
    }),
    jointAssessment: z.boolean(),
    routedAt: z.string(),
    rulesetVersion: z.string(),
  }),
  { description: 'The case is the team’s: fetch it with GET /cases/{caseId}.' },
);

export const caseWithdrawnMessageSchema = z.withMeta(
  z.object({
    type: z.literal('case.withdrawn'),
    messageId: z.string(),
    caseId: z.string(),
    reference: referenceSchema,
    team: z.string(),
    reason: z.enum(WITHDRAWAL_REASONS),
    withdrawnAt: z.string(),
  }),
  {
    description:
      "The client's consent no longer covers the team: it has lost the case (GET answers 404) and its own system should remove what it holds of it.",
  },
);

export const caseEscalatedMessageSchema = z.withMeta(
  z.object({
    type: z.literal('case.escalated'),
    messageId: z.string(),
    caseId: z.string(),
    reference: referenceSchema,
    team: z.withMeta(z.string(), { description: 'The team that did not accept in time.' }),
    dueAt: z.string(),
    escalatedAt: z.string(),
  }),
  { description: "On the front desk's queue: a team has not accepted the case within its service level." },
);

export const teamMessageSchema = z.discriminatedUnion('type', [
  caseRoutedMessageSchema,
  caseWithdrawnMessageSchema,
  caseEscalatedMessageSchema,
]);
