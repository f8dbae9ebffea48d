import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { TABLE } from '../shared/config/resources.js';
import { type Item, itemSize, writeUnits } from './lib/dynamodb-size.js';
import { indexWriteUnits } from './lib/index-writes.js';
import { max, median, min } from './lib/report.js';
import type { RecordedWrite } from './lib/write-recorder.js';
import type { Accepted } from './load.js';

/** Every item of the local table, as attribute values (the bench may scan; the product never does). */
export async function scanTable(endpoint: string, region: string, tableName: string): Promise<Item[]> {
  const client = new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
      items.push(...((page.Items ?? []) as Item[]));
      start = page.LastEvaluatedKey as Item | undefined;
    } while (start);
    return items;
  } finally {
    client.destroy();
  }
}

const PK = TABLE.partitionKey;
const SK = TABLE.sortKey;
const keyString = (pk: string, sk: string) => `${pk}\u0000${sk}`;

/** The partition key of an item. */
export const pkOf = (item: Item) => item[PK]?.S ?? '';

/** The kind of an item: the prefix of its partition key, and of its sort key when that says more. */
export function kindOf(pk: string, sk: string): string {
  const pkKind = pk.split('#')[0] ?? pk;
  const skKind = sk.split('#')[0] ?? sk;
  return skKind === pkKind ? pkKind : `${pkKind}/${skKind}`;
}

export type StoredKind = { kind: string; count: number; sizes: number[] };

/** Stored items by kind, with their sizes, for the items `belongs` accepts. */
export function storedItemsByKind(items: readonly Item[], belongs: (item: Item) => boolean): StoredKind[] {
  const kinds = new Map<string, number[]>();
  for (const item of items) {
    if (!belongs(item)) continue;
    const kind = kindOf(item[PK]?.S ?? '?', item[SK]?.S ?? '?');
    kinds.set(kind, [...(kinds.get(kind) ?? []), itemSize(item)]);
  }
  return [...kinds]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([kind, sizes]) => ({ kind, count: sizes.length, sizes }));
}

/**
 * Which measured referral an item belongs to: REFERRAL#<id>; CASE#<caseId> (any sort key); PERSON#…
 * and IDEMPOTENCY#… through the caseId or response.referralId they carry; otherwise a caseId or
 * referralId attribute of the item. Undefined for anything else (the warm-up's items, say).
 */
export function referralAttribution(accepted: readonly Accepted[], stored: readonly Item[]) {
  const referralOfCase = new Map(accepted.map((entry) => [entry.caseId, entry.referralId]));
  const measured = new Set(accepted.map((entry) => entry.referralId));
  const personCase = new Map<string, string>();
  for (const item of stored) {
    const pk = item[PK]?.S ?? '';
    if (pk.startsWith('PERSON#') && item.caseId?.S) personCase.set(pk, item.caseId.S);
  }
  return (pk: string, item?: Item): string | undefined => {
    const prefix = pk.split('#')[0];
    const id = pk.slice(pk.indexOf('#') + 1);
    if (prefix === 'REFERRAL') return measured.has(id) ? id : undefined;
    if (prefix === 'CASE') return referralOfCase.get(id);
    const caseId = item?.caseId?.S ?? (prefix === 'PERSON' ? personCase.get(pk) : undefined);
    if (caseId && referralOfCase.has(caseId)) return referralOfCase.get(caseId);
    const referralId = item?.response?.M?.referralId?.S ?? item?.referralId?.S;
    return referralId && measured.has(referralId) ? referralId : undefined;
  };
}

/** A write as the ledger names it: "TransactWriteItems: Put PERSON/OPEN_CASE + Put CASE + …". */
const signatureOf = (write: RecordedWrite) =>
  `${write.command}: ${write.actions.map((action) => `${action.kind} ${kindOf(action.pk, action.sk)}`).join(' + ')}`;

export type WriteCost = {
  seq: number;
  command: string;
  /** e.g. "TransactWriteItems: Put IDEMPOTENCY + Put PERSON/OPEN_CASE + Put CASE + Put REFERRAL" */
  signature: string;
  /** Σ of the sizes of the items it puts (or, for an update, delete or check, of the stored item). */
  bytes: number;
  /** Per the brief: ceil(size / 1 KiB) per item, × 2 inside a transaction. */
  unitsNewSize: number;
  /** As AWS charges a put that replaces an item: on the larger of the old and the new item. */
  unitsReplaceRule: number;
  /** The part of unitsNewSize spent on IDEMPOTENCY items (none without an Idempotency-Key). */
  idempotencyUnits: number;
  /** Global secondary index writes, by index (bench/lib/index-writes.ts). */
  indexUnits: Record<string, number>;
  error?: string;
};

export type ReferralCosts = { referralId: string; writes: WriteCost[] };

/**
 * Charges every recorded write to the measured referral whose items it touches, and prices it.
 * DynamoDB Local's own ReturnConsumedCapacity is not used: it under-counts transactions (two 500-byte
 * puts in one TransactWriteItems come back as 2 WCU, not 4).
 */
export function costPerReferral(
  recorded: readonly RecordedWrite[],
  accepted: readonly Accepted[],
  stored: readonly Item[],
): ReferralCosts[] {
  const referralOf = referralAttribution(accepted, stored);
  const storedItem = new Map(stored.map((item) => [keyString(item[PK]?.S ?? '', item[SK]?.S ?? ''), item]));

  // The item as last written under each key: the old item of a put that replaces it.
  const current = new Map<string, Item>();
  const costs = new Map<string, WriteCost[]>();
  for (const write of [...recorded].sort((a, b) => a.seq - b.seq)) {
    const transactional = write.command === 'TransactWriteItems' ? 2 : 1;
    let bytes = 0;
    let unitsNewSize = 0;
    let unitsReplaceRule = 0;
    let idempotencyUnits = 0;
    const indexUnits: Record<string, number> = {};
    for (const action of write.actions) {
      const key = keyString(action.pk, action.sk);
      const before = current.get(key);
      // An update's result is not in the request: the stored item (after the run) stands in for it.
      const after =
        action.kind === 'Put'
          ? action.item
          : action.kind === 'Update'
            ? (storedItem.get(key) ?? before)
            : action.kind === 'Delete'
              ? undefined
              : before;
      const size = itemSize(after ?? before ?? {});
      const previous = before ? itemSize(before) : 0;
      bytes += size;
      unitsNewSize += transactional * writeUnits(size);
      unitsReplaceRule += transactional * writeUnits(Math.max(size, previous));
      if (action.pk.startsWith('IDEMPOTENCY#')) idempotencyUnits += transactional * writeUnits(size);
      if (action.kind !== 'ConditionCheck' && !write.error) {
        for (const [index, units] of Object.entries(indexWriteUnits(before, after))) {
          indexUnits[index] = (indexUnits[index] ?? 0) + units;
        }
        if (after) current.set(key, after);
        else current.delete(key);
      }
    }
    const referralId = write.actions
      .map((action) => referralOf(action.pk, action.item))
      .find((id) => id !== undefined);
    if (!referralId) continue;
    const signature = signatureOf(write);
    const cost: WriteCost = {
      seq: write.seq,
      command: write.command,
      signature,
      bytes,
      unitsNewSize,
      unitsReplaceRule,
      idempotencyUnits,
      indexUnits,
      ...(write.error ? { error: write.error } : {}),
    };
    costs.set(referralId, [...(costs.get(referralId) ?? []), cost]);
  }
  return [...costs].map(([referralId, writes]) => ({ referralId, writes }));
}

export type WriteStep = {
  step: number;
  signature: string;
  bytes: { median: number; min: number; max: number };
  unitsNewSize: number;
  unitsReplaceRule: number;
  /** Index writes by index name (medians). */
  indexUnits: Record<string, number>;
};

/**
 * The sequence of writes most referrals made (normally all of them), step by step with medians, and
 * how many referrals wrote a different sequence (a retry after a conflict, say).
 */
export function typicalSequence(referrals: readonly ReferralCosts[]) {
  const bySequence = new Map<string, ReferralCosts[]>();
  for (const referral of referrals) {
    const sequence = referral.writes.map((write) => write.signature).join('\n');
    bySequence.set(sequence, [...(bySequence.get(sequence) ?? []), referral]);
  }
  const [sequence, members] = [...bySequence].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []];
  const steps: WriteStep[] = sequence
    ? sequence.split('\n').map((signature, step) => {
        const writes = members.map((member) => member.writes[step] as WriteCost);
        const bytes = writes.map((write) => write.bytes);
        return {
          step: step + 1,
          signature,
          bytes: { median: median(bytes), min: min(bytes), max: max(bytes) },
          unitsNewSize: median(writes.map((write) => write.unitsNewSize)),
          unitsReplaceRule: median(writes.map((write) => write.unitsReplaceRule)),
          indexUnits: Object.fromEntries(
            [...new Set(writes.flatMap((write) => Object.keys(write.indexUnits)))].map((index) => [
              index,
              median(writes.map((write) => write.indexUnits[index] ?? 0)),
            ]),
          ),
        };
      })
    : [];
  const others = [...bySequence.values()].filter((group) => group !== members).flat();
  return { steps, referrals: members.length, otherSequences: bySequence.size - (sequence ? 1 : 0), others };
}

/** Per referral totals over all its writes: medians, min and max. */
export function totals(referrals: readonly ReferralCosts[]) {
  const sum = (referral: ReferralCosts, select: (write: WriteCost) => number) =>
    referral.writes.reduce((total, write) => total + select(write), 0);
  const summary = (select: (write: WriteCost) => number) => {
    const values = referrals.map((referral) => sum(referral, select));
    return { median: median(values), min: min(values), max: max(values) };
  };
  return {
    writes: summary(() => 1),
    unitsNewSize: summary((write) => write.unitsNewSize),
    unitsReplaceRule: summary((write) => write.unitsReplaceRule),
    idempotencyUnits: summary((write) => write.idempotencyUnits),
    indexUnits: summary((write) =>
      Object.values(write.indexUnits).reduce((total, units) => total + units, 0),
    ),
  };
}

/**
 * Writes no referral's items name (the year's case-reference counter, say), made from `fromSeq` (the
 * first measured POST) to the measured referrals' last write: by signature, per measured referral.
 * Read with the per-referral ledger, they complete it.
 */
export function sharedWrites(
  recorded: readonly RecordedWrite[],
  referrals: readonly ReferralCosts[],
  fromSeq: number,
): { signature: string; perReferral: number; units: number }[] {
  const attributed = new Set(referrals.flatMap((referral) => referral.writes.map((write) => write.seq)));
  const first = fromSeq;
  const last = Math.max(...attributed);
  const bySignature = new Map<string, { count: number; units: number }>();
  for (const write of recorded) {
    if (write.seq < first || write.seq > last || attributed.has(write.seq) || write.error) continue;
    const signature = signatureOf(write);
    const units = write.actions.reduce(
      (total, action) => total + writeUnits(action.item ? itemSize(action.item) : 0),
      0,
    );
    const entry = bySignature.get(signature) ?? { count: 0, units: 0 };
    bySignature.set(signature, { count: entry.count + 1, units: entry.units + units });
  }
  return [...bySignature].map(([signature, { count, units }]) => ({
    signature,
    perReferral: count / Math.max(referrals.length, 1),
    units: units / Math.max(referrals.length, 1),
  }));
}

/** Why each write of the ledger is there, by what it writes: the floor is one item once and a message per team. */
const WHY: readonly [RegExp, string][] = [
  [
    /^TransactWriteItems: .*Put REFERRAL/,
    "POST /referrals: the person's lock (one open case per person), the case, the submitter's audit entry and the referral with its request hash, all or nothing",
  ],
  [
    /^TransactWriteItems: Put CASE .*CASE\/TEAM/,
    "screening: the decision and the messages it owes (outbox), each routed team's work-list entry and the statistics counters, all or nothing under the case's version",
  ],
  [
    /^PutItem: Put CASE$/,
    'the outbox emptied once every team queue has its message (until then the re-drive finds the case)',
  ],
  [/^UpdateItem: Update COUNTER/, "the year's case reference (FD-2026-00042): an atomic counter"],
  [/^PutItem: Put CASE\/AUDIT$/, 'an audit entry of a read'],
];

export const whyOf = (signature: string) => WHY.find(([pattern]) => pattern.test(signature))?.[1] ?? '–';
