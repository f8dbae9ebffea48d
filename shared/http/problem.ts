import type { APIGatewayProxyResult } from 'aws-lambda';
import { type FieldError, FrontDeskError, ValidationError } from '../errors.js';
import { redactValue } from '../redact.js';
import type * as z from '../zod.js';

/** RFC 9457 problem details, the shape of every error the API answers with. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemResponse(
  problem: Problem,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode: problem.status,
    headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Cache-Control': 'no-store', ...headers },
    body: JSON.stringify(problem),
  };
}

/** Maps any error to a problem; anything not ours is a 500 whose details never reach the client. */
export function toProblem(error: unknown): Problem {
  if (error instanceof FrontDeskError) {
    return {
      type: `urn:frontdesk:problem:${error.slug}`,
      title: error.title,
      status: error.status,
      detail: error.message,
      ...(error instanceof ValidationError ? { errors: error.errors } : {}),
    };
  }
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'Something went wrong on our side. The request can be retried.',
  };
}

/** Field paths name the field; a client-made key shaped like an identity number or address is not echoed. */
const pathOf = (path: readonly PropertyKey[]) =>
  path.map((part) => String(redactValue('path', String(part)))).join('.');

/** Turns zod issues into field errors that name the field, for unknown keys the key itself. */
export function fieldErrors(error: z.core.$ZodError, prefix: readonly PropertyKey[] = []): FieldError[] {
  const all = error.issues.flatMap((issue) => {
    const base = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: pathOf([...base, key]), message: 'is not a known field' }));
    }
    return [{ path: pathOf(base) || '(body)', message: issue.message }];
  });
  // One message per field: the first one zod found.
  return all.filter((entry, index) => all.findIndex((other) => other.path === entry.path) === index);
}

export function validationError(error: z.core.$ZodError, what: string, prefix: readonly PropertyKey[] = []) {
  const errors = fieldErrors(error, prefix);
  const named = errors.map((e) => e.path).join(', ');
  return new ValidationError(`${what} is not valid: ${named}.`, errors);
}
