import { ValidationError } from '../errors.js';
import * as z from '../zod.js';
import { validationError } from './problem.js';

/** The paging parameters every list takes: a page of 1–100 items and the cursor the last page gave. */
export const pageParameters = (defaultLimit: number) => ({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), defaultLimit),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});

/** Parses a query string (unknown parameters refused): 400 naming each parameter that is wrong. */
export function parseQuery<T extends z.ZodMiniType>(
  schema: T,
  query: Record<string, string | undefined> | null,
): z.infer<T> {
  const parsed = schema.safeParse(query ?? {});
  if (!parsed.success) throw validationError(parsed.error, 'The query');
  return parsed.data;
}

/** A 400 for one query parameter the schema alone cannot judge. */
export const queryParameterError = (path: string, message: string) =>
  new ValidationError(`The query is not valid: ${path}.`, [{ path, message }]);
