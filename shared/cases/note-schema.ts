import { plainText } from '../referrals/plain-text.js';
import * as z from '../zod.js';

/**
 * A team's journal of a case (CONTRACT.md v1.1, POST /cases/{caseId}/notes): free of Node code, so
 * that the web page can validate with it too.
 */
export const noteInputSchema = z.strictObject({
  team: z
    .string()
    .check(z.regex(/^[a-z][a-z0-9-]{1,38}[a-z0-9]$/, 'must be a team id, such as "employment-service"')),
  text: plainText(4000, { multiline: true, required: true }),
});

export const noteSchema = z.object({
  noteId: z.string(),
  team: z.string(),
  at: z.string(),
  author: z.object({ id: z.string(), name: z.string() }),
  text: z.string(),
});

export type Note = z.infer<typeof noteSchema>;
