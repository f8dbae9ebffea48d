import { createHash } from 'node:crypto';
import { validationError } from './http/problem.js';
import * as z from './zod.js';

/**
 * An `Idempotency-Key` request: the same key and body from the same scope (an agency, or a case's
 * events) answer the first answer again; the same key with another body is a conflict. Only hashes
 * are stored: the key is the client's own text, the body may hold personal data.
 */
export type IdempotencyRequest = { scope: string; keyHash: string; requestHash: string };

/**
 * Stable JSON with sorted keys, so the same body sent twice hashes the same whatever the key order.
 * It walks the value with its own stack, not by recursion: a body nested 10,000 levels deep (it fits
 * in 64 KiB) is the client's problem to be told about, never a stack overflow here.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const out: string[] = [];
  // Work still to do, last first: a value to write (and whether it is an array element), or text.
  const work: Array<{ value: unknown; element: boolean } | string> = [{ value, element: false }];
  while (work.length > 0) {
    const next = work.pop()!;
    if (typeof next === 'string') {
      out.push(next);
      continue;
    }
    const current = next.value;
    if (Array.isArray(current)) {
      out.push('[');
      work.push(']');
      for (let index = current.length - 1; index >= 0; index--) {
        work.push({ value: current[index], element: true });
        if (index > 0) work.push(',');
      }
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current as Record<string, unknown>).sort(([a], [b]) =>
        a < b ? -1 : a > b ? 1 : 0,
      );
      out.push('{');
      work.push('}');
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, inner] = entries[index]!;
        work.push({ value: inner, element: false });
        work.push(`${JSON.stringify(key)}:`);
        if (index > 0) work.push(',');
      }
    } else {
      // What JSON cannot write (undefined): nothing in an array, as Array.join writes it.
      const text = JSON.stringify(current) as string | undefined;
      out.push(text ?? (next.element ? '' : 'undefined'));
    }
  }
  return out.join('');
}

/**
 * An `Idempotency-Key` header: 1–128 printable ASCII characters. Here, not with the referral's schema,
 * so that a function that takes case events does not bundle the referral's.
 */
export const idempotencyKeySchema = z
  .string()
  .check(z.regex(/^[\x20-\x7e]{1,128}$/, '1–128 printable characters'));

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64url');

/**
 * The id of what a keyed request creates, taken from its scope and key: a retry names the same
 * referral, so the referral's own item is the record of the first answer and no separate idempotency
 * item is written. Shaped as every other id (a version 4 UUID): its 122 other bits are a SHA-256 of
 * the scope and the key's own hash, as unguessable as random ones to anyone without the key, which
 * cannot be read back from the id.
 */
export function idFromKey(request: Pick<IdempotencyRequest, 'scope' | 'keyHash'>): string {
  const bytes = createHash('sha256').update(`${request.scope}\n${request.keyHash}`, 'utf8').digest();
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

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
