import * as z from 'zod';
import { agencySchema } from '../config/deployment.js';
import { consentSchema, personSchema, situationSchema } from '../referrals/schema.js';
import {
  caseStatusSchema,
  historyEventSchema,
  referenceSchema,
  screeningSchema,
} from '../referrals/views.js';
import { MILESTONES, OUTCOMES, WITHDRAWAL_REASONS } from './model.js';
import { noteSchema } from './note-schema.js';

/** Response shapes of the back-office API; they feed the OpenAPI document and the tests. */

const assignmentStateSchema = z
  .enum(['routed', 'accepted', 'intervention-started', 'closed', 'declined', 'withdrawn'])
  .meta({
    description: "`withdrawn`: the client's consent no longer covers the team, which has lost the case.",
  });
const teamStatusSchema = z.enum(['ROUTED', 'IN_PROGRESS', 'CLOSED', 'DECLINED', 'WITHDRAWN']);

const dueAtSchema = z.string().meta({
  description: "When the team should have accepted by: routed + the team's acceptWithin (working days).",
});
const overdueSchema = z.boolean().meta({ description: 'Past dueAt and not accepted yet.' });

const assigneeSchema = z
  .object({ id: z.string(), name: z.string() })
  .meta({ description: "The team's caseworker for the case (`assigned` event): who to call." });

const followUpDueSchema = z
  .object({
    milestone: z.enum(MILESTONES),
    dueOn: z.string().meta({ description: 'The Swedish date the follow-up falls due.' }),
    due: z.boolean().meta({ description: 'Whether it is due now.' }),
  })
  .meta({ description: "A TG4 case's next follow-up (6 or 12 months after its intervention started)." });

export const workListItemSchema = z.object({
  caseId: z.string(),
  reference: referenceSchema,
  team: z.string(),
  status: teamStatusSchema.meta({ description: "The team's own view: new, being worked, or closed by it." }),
  assignment: assignmentStateSchema,
  caseStatus: caseStatusSchema,
  priority: z.enum(['high', 'normal']),
  targetGroups: z.array(z.string()),
  jointAssessment: z.boolean(),
  routedAt: z.string(),
  updatedAt: z.string(),
  waitingSince: z.string().meta({
    description:
      'When the person started waiting: the case was received. A decline or a re-route does not reset it.',
  }),
  closedAt: z.string().optional(),
  declinedAt: z.string().optional(),
  frontDeskReason: z
    .enum(['declined-by-every-team', 'consent', 'not-eligible', 'joint-assessment', 'escalated'])
    .optional()
    .meta({ description: "On the front desk's list: why the case is in its queue." }),
  assignee: assigneeSchema.optional(),
  dueAt: dueAtSchema.optional(),
  overdue: overdueSchema.optional(),
  followUp: followUpDueSchema.optional(),
  person: z.object({ givenName: z.string(), familyName: z.string() }),
});

export const workListSchema = z.object({
  items: z.array(workListItemSchema),
  nextCursor: z.string().nullable(),
});

export const caseViewSchema = z.object({
  caseId: z.string(),
  reference: referenceSchema,
  status: caseStatusSchema,
  version: z.number().int().meta({ description: 'Send as `expectedVersion` to act only on what you read.' }),
  createdAt: z.string(),
  updatedAt: z.string(),
  person: personSchema.partial({ personalIdentityNumber: true }).meta({
    description: 'The identity number in its 12-digit form; left out for restricted (partner) teams.',
  }),
  referrals: z.array(
    z.object({
      referralId: z.string(),
      agency: agencySchema.optional().meta({
        description: 'Left out for restricted (partner) teams: which agency refers can tell of health.',
      }),
      submittedAt: z.string(),
      consent: consentSchema.meta({
        description: '`recipients` is left out for restricted (partner) teams.',
      }),
      situation: situationSchema,
      reason: z.string().optional(),
    }),
  ),
  screening: screeningSchema
    .extend({
      eligible: screeningSchema.shape.eligible.optional().meta({
        description:
          'Left out for restricted (partner) teams: beside their share of the target groups it could tell of a hidden one.',
      }),
    })
    .nullable(),
  assignments: z.array(
    z.object({
      team: z.string(),
      state: assignmentStateSchema,
      status: teamStatusSchema,
      routedAt: z.string(),
      acceptedAt: z.string().optional(),
      interventionStartedAt: z.string().optional(),
      closedAt: z.string().optional(),
      declinedAt: z.string().optional(),
      withdrawnAt: z.string().optional(),
      withdrawnReason: z.enum(WITHDRAWAL_REASONS).optional(),
      assignee: assigneeSchema.optional(),
      dueAt: dueAtSchema.optional(),
      overdue: overdueSchema.optional(),
      escalatedAt: z.string().optional().meta({ description: 'When the front desk was told (once).' }),
      outcome: z.enum(OUTCOMES).optional(),
      reason: z.string().optional(),
      note: z.string().optional(),
    }),
  ),
  history: z.array(historyEventSchema),
  followUps: z
    .array(
      z.object({
        milestone: z.enum(MILESTONES),
        selfSufficient: z.boolean(),
        recordedAt: z.string(),
        team: z.string(),
      }),
    )
    .meta({ description: 'Follow-ups recorded (TG4 cases, POST /cases/{caseId}/follow-ups).' }),
  nextFollowUp: followUpDueSchema.optional(),
  notes: z.array(noteSchema).meta({
    description:
      "The teams' journals, oldest first: the caller's own teams' (all of them for the front desk and admins).",
  }),
});

export const caseEventResultSchema = z.object({
  caseId: z.string(),
  status: caseStatusSchema,
  version: z.number().int(),
  team: z.string(),
  assignment: assignmentStateSchema,
});

export const auditListSchema = z.object({
  items: z.array(
    z.object({
      at: z.string(),
      action: z.string().meta({ description: '`read`, or the event type of a change.' }),
      subject: z.string(),
      groups: z.array(z.string()),
      team: z.string().optional(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

/** The messages a team's queue receives (CONTRACT.md "Queue messages" and v1.1): ids and facts, never personal data. */
export const caseRoutedMessageSchema = z
  .object({
    type: z.literal('case.routed'),
    messageId: z.string().meta({ description: 'De-duplicate on this: delivery is at least once.' }),
    caseId: z.string(),
    reference: referenceSchema,
    team: z.string(),
    priority: z.enum(['high', 'normal']),
    targetGroups: z.array(z.string()).meta({
      description: 'Never a health-related target group on a restricted (partner) team’s queue.',
    }),
    jointAssessment: z.boolean(),
    routedAt: z.string(),
    rulesetVersion: z.string(),
  })
  .meta({ description: 'The case is the team’s: fetch it with GET /cases/{caseId}.' });

export const caseWithdrawnMessageSchema = z
  .object({
    type: z.literal('case.withdrawn'),
    messageId: z.string(),
    caseId: z.string(),
    reference: referenceSchema,
    team: z.string(),
    reason: z.enum(WITHDRAWAL_REASONS),
    withdrawnAt: z.string(),
  })
  .meta({
    description:
      "The client's consent no longer covers the team: it has lost the case (GET answers 404) and its own system should remove what it holds of it.",
  });

export const caseEscalatedMessageSchema = z
  .object({
    type: z.literal('case.escalated'),
    messageId: z.string(),
    caseId: z.string(),
    reference: referenceSchema,
    team: z.string().meta({ description: 'The team that did not accept in time.' }),
    dueAt: z.string(),
    escalatedAt: z.string(),
  })
  .meta({
    description: "On the front desk's queue: a team has not accepted the case within its service level.",
  });

export const teamMessageSchema = z.discriminatedUnion('type', [
  caseRoutedMessageSchema,
  caseWithdrawnMessageSchema,
  caseEscalatedMessageSchema,
]);
