import { TABLE } from '../config/resources.js';
import { ValidationError } from '../errors.js';
import { isUuid } from '../ids.js';

/** Paging cursors: a DynamoDB LastEvaluatedKey handed to the client as opaque text, and checked when it comes back. */
export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * The list a cursor is for, named by the partition its query reads:
 * - `{ pk, skPrefix }`: the table itself, `pk = :pk AND begins_with(sk, :skPrefix)` (a case's audit trail);
 * - `{ listPk }`: the `byTeam` index, a team's work list (its items are assignments, `CASE#<id>`/`TEAM#<team>`);
 * - `{ gsi1pk }`: the `byAgency` index, an agency's referrals (`REFERRAL#<id>`/`REFERRAL`).
 */
export type CursorQuery = { pk: string; skPrefix: string } | { listPk: string } | { gsi1pk: string };

/** Every key value we write is printable ASCII (ids, ISO times, `#`), and a sort key is at most 1 KB. */
const KEY_VALUE = /^[\x21-\x7e]{1,1024}$/;

const { byTeam, byAgency } = TABLE.indexes;
const TEAM_LIST = /^(TEAM#[a-z0-9-]+)#(OPEN|CLOSED)$/;
const idAfter = (prefix: string, value: string | undefined) =>
  value?.startsWith(prefix) === true && isUuid(value.slice(prefix.length));

type Shape = { names: readonly string[]; valid: (key: Record<string, string>) => boolean };

/** The exact key a query's LastEvaluatedKey has: the table's key and the index's, nothing else. */
function shapeOf(query: CursorQuery): Shape {
  const table = [TABLE.partitionKey, TABLE.sortKey] as const;
  if ('listPk' in query) {
    const team = TEAM_LIST.exec(query.listPk)?.[1];
    return {
      names: [...table, byTeam.partitionKey, byTeam.sortKey],
      valid: (key) =>
        team !== undefined &&
        key[byTeam.partitionKey] === query.listPk &&
        idAfter('CASE#', key[TABLE.partitionKey]) &&
        key[TABLE.sortKey] === team,
    };
  }
  if ('gsi1pk' in query) {
    return {
      names: [...table, byAgency.partitionKey, byAgency.sortKey],
      valid: (key) =>
        key[byAgency.partitionKey] === query.gsi1pk &&
        idAfter('REFERRAL#', key[TABLE.partitionKey]) &&
        key[TABLE.sortKey] === 'REFERRAL',
    };
  }
  return {
    names: table,
    valid: (key) =>
      key[TABLE.partitionKey] === query.pk &&
      (key[TABLE.sortKey] ?? '').startsWith(query.skPrefix) &&
      (key[TABLE.sortKey] ?? '').length > query.skPrefix.length,
  };
}

/**
 * A cursor is only ever one this API gave out for the same list: exactly the key attributes that
 * list's query returns, each a bounded printable string, in the same partition, and an item that
 * list can hold. DynamoDB refuses any other ExclusiveStartKey with an error, so anything else is a
 * 400 naming `cursor` here, never a 500 there.
 */
export function decodeCursor(cursor: string, query: CursorQuery): Record<string, string> {
  const invalid = () =>
    new ValidationError('The cursor is not valid.', [{ path: 'cursor', message: 'is not valid' }]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
  const shape = shapeOf(query);
  const entries = Object.entries(key);
  const exact =
    entries.length === shape.names.length &&
    entries.every(([name, value]) => shape.names.includes(name) && typeof value === 'string') &&
    entries.every(([, value]) => KEY_VALUE.test(value as string));
  if (!exact) throw invalid();
  const checked = key as Record<string, string>;
  if (!shape.valid(checked)) throw invalid();
  return checked;
}
