import { createHash } from 'node:crypto';
import { validationError } from './http/problem.js';
import { idempotencyKeySchema } from './referrals/schema.js';

/**
 * An `Idempotency-Key` request: the same key and body from the same scope (an agency, or a case's
 * events) answer the first answer again; the same key with another body is a conflict. Only hashes
 * are stored: the key is the client's own text, the body may hold personal data.
 */
export type IdempotencyRequest = { scope: string; keyHash: string; requestHash: string };

/** Stable JSON with sorted keys, so the same body sent twice hashes the same whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64url');

/** Reads the header (400 naming `Idempotency-Key` when it is not 1–128 printable characters). */
export function idempotencyRequest(
  scope: string,
  header: string | undefined,
  body: unknown,
): IdempotencyRequest | undefined {
  if (header === undefined) return undefined;
  const key = idempotencyKeySchema.safeParse(header);
  if (!key.success) throw validationError(key.error, 'The Idempotency-Key header', ['Idempotency-Key']);
  return { scope, keyHash: sha256(key.data), requestHash: sha256(canonicalJson(body)) };
}
