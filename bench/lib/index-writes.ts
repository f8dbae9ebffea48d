import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { TABLE } from '../../shared/config/resources.js';
import { type Item, itemSize, writeUnits } from './dynamodb-size.js';

type IndexDefinition = {
  partitionKey: string;
  sortKey?: string;
  projection: string;
  nonKeyAttributes?: readonly string[];
};

const INDEXES = Object.entries(TABLE.indexes as Record<string, IndexDefinition>);
/** JSON with sorted keys: the same attributes in another order are the same entry. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** The index entry of an item, or undefined if the item is not in the (sparse) index. */
function entryOf(index: IndexDefinition, item: Item | undefined): Item | undefined {
  if (!item?.[index.partitionKey] || (index.sortKey && !item[index.sortKey])) return undefined;
  if (index.projection === 'ALL') return item;
  const names = [
    TABLE.partitionKey,
    TABLE.sortKey,
    index.partitionKey,
    ...(index.sortKey ? [index.sortKey] : []),
    ...(index.projection === 'INCLUDE' ? (index.nonKeyAttributes ?? []) : []),
  ];
  return Object.fromEntries(
    names.filter((name) => item[name]).map((name) => [name, item[name] as AttributeValue]),
  );
}

/**
 * Write units the global secondary indexes (shared/config/resources.ts, TABLE.indexes) spend when an
 * item changes from `before` to `after` (undefined: absent), by the published rules: an entry that
 * appears costs a put of the projected entry, one that disappears a delete, one whose index key
 * changes both, one whose projected attributes change a put; nothing when the entry stays the same.
 * Priced as standard writes, 1 WCU per KiB started of the projected entry.
 */
export function indexWriteUnits(before: Item | undefined, after: Item | undefined): Record<string, number> {
  const units: Record<string, number> = {};
  for (const [name, index] of INDEXES) {
    const old = entryOf(index, before);
    const next = entryOf(index, after);
    let cost = 0;
    if (!old && next) cost = writeUnits(itemSize(next));
    else if (old && !next) cost = writeUnits(itemSize(old));
    else if (old && next) {
      const keyChanged =
        !same(old[index.partitionKey], next[index.partitionKey]) ||
        (index.sortKey !== undefined && !same(old[index.sortKey], next[index.sortKey]));
      if (keyChanged) cost = writeUnits(itemSize(old)) + writeUnits(itemSize(next));
      else if (!same(old, next)) cost = writeUnits(Math.max(itemSize(old), itemSize(next)));
    }
    if (cost > 0) units[name] = cost;
  }
  return units;
}
