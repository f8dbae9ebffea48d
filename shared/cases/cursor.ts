import { ValidationError } from '../errors.js';

/** Paging cursors: a DynamoDB LastEvaluatedKey handed to the client as opaque text, and checked when it comes back. */
export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * A cursor is only ever one this API gave out for the same list: its key must name the same
 * partition. Anything else is a 400, not a 500.
 */
export function decodeCursor(cursor: string, partition: Record<string, string>): Record<string, unknown> {
  const invalid = () =>
    new ValidationError('The cursor is not valid.', [{ path: 'cursor', message: 'is not valid' }]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
  const shape = key as Record<string, unknown>;
  const valid =
    Object.values(shape).every((value) => typeof value === 'string') &&
    typeof shape.pk === 'string' &&
    typeof shape.sk === 'string' &&
    Object.entries(partition).every(([name, value]) => shape[name] === value);
  if (!valid) throw invalid();
  return shape;
}
