import { plainText } from '../referrals/plain-text.js';
import * as z from '../zod.js';
import { CASE_EVENT_TYPES } from './assignments.js';
import { OUTCOMES } from './model.js';

/** A team's step on a case (CONTRACT.md, POST /cases/{caseId}/events). */
export const caseEventSchema = z
  .strictObject({
    type: z.enum([...CASE_EVENT_TYPES, 'assigned']),
    team: z
      .string()
      .check(z.regex(/^[a-z][a-z0-9-]{1,38}[a-z0-9]$/, 'must be a team id, such as "employment-service"')),
    reason: z.optional(plainText(2000, { multiline: true, required: true })),
    outcome: z.optional(z.enum(OUTCOMES)),
    note: z.optional(plainText(2000, { multiline: true })),
    /** Who in the team works the case (`assigned`): `me`, or a colleague's user id. */
    assignee: z.optional(
      z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9@._+-]{0,127}$/, 'must be "me" or a user id')),
    ),
    /** Optimistic concurrency for clients that show a case and act on what they showed: 409 when stale. */
    expectedVersion: z.optional(z.number().check(z.int(), z.minimum(1))),
  })
  .check(
    z.superRefine((event, ctx) => {
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
        ctx.addIssue({
          code: 'custom',
          path: ['assignee'],
          message: 'is only given when a case is assigned',
        });
      }
      if (event.type !== 'closed' && event.outcome !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['outcome'],
          message: 'is only given when a team closes a case',
        });
      }
    }),
  );

export type CaseEvent = z.infer<typeof caseEventSchema>;
