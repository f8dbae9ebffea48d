import * as z from 'zod';
import { plainText } from '../referrals/schema.js';
import { CASE_EVENT_TYPES } from './assignments.js';
import { OUTCOMES } from './model.js';

/** A team's step on a case (CONTRACT.md, POST /cases/{caseId}/events). */
export const caseEventSchema = z
  .object({
    type: z.enum([...CASE_EVENT_TYPES, 'assigned']),
    team: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,38}[a-z0-9]$/, 'must be a team id, such as "employment-service"'),
    reason: plainText(2000, { multiline: true, required: true }).optional(),
    outcome: z.enum(OUTCOMES).optional(),
    note: plainText(2000, { multiline: true }).optional(),
    /** Who in the team works the case (`assigned`): `me`, or a colleague's user id. */
    assignee: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9@._+-]{0,127}$/, 'must be "me" or a user id')
      .optional(),
    /** Optimistic concurrency for clients that show a case and act on what they showed: 409 when stale. */
    expectedVersion: z.number().int().min(1).optional(),
  })
  .strict()
  .superRefine((event, ctx) => {
    if (event.type === 'declined' && event.reason === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required when a team declines' });
    }
    if (event.type === 'closed' && event.outcome === undefined) {
      ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'is required when a team closes a case' });
    }
    if (event.type === 'assigned' && event.assignee === undefined) {
      ctx.addIssue({ code: 'custom', path: ['assignee'], message: 'is required when a case is assigned' });
    }
    if (event.type !== 'assigned' && event.assignee !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['assignee'], message: 'is only given when a case is assigned' });
    }
    if (event.type !== 'closed' && event.outcome !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'is only given when a team closes a case' });
    }
  });

export type CaseEvent = z.infer<typeof caseEventSchema>;
