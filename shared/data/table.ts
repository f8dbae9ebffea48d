import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { isExpired } from '../cases/retention.js';
import { TABLE } from '../config/resources.js';

/**
 * The single table's keys and the low-level access every repository shares. The repositories (one
 * per aggregate: cases, referrals, audit, idempotency records) are the only code that knows them.
 */
export const keys = {
  case: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' }),
  referral: (referralId: string) => ({ pk: `REFERRAL#${referralId}`, sk: 'REFERRAL' }),
  person: (personKey: string) => ({ pk: `PERSON#${personKey}`, sk: 'OPEN_CASE' }),
  idempotency: (scope: string, keyHash: string) => ({
    pk: `IDEMPOTENCY#${scope}#${keyHash}`,
    sk: 'IDEMPOTENCY',
  }),
  agency: (agency: string) => `AGENCY#${agency}`,
  assignment: (caseId: string, team: string) => ({ pk: `CASE#${caseId}`, sk: `TEAM#${team}` }),
  audit: (caseId: string, at: string, id: string) => ({ pk: `CASE#${caseId}`, sk: `AUDIT#${at}#${id}` }),
  teamList: (team: string, closed: boolean) => `TEAM#${team}#${closed ? 'CLOSED' : 'OPEN'}`,
  statistics: (caseId: string) => ({ pk: `STATS#${caseId}`, sk: 'STATS' }),
  /**
   * Statistics counters of one month and series group (shared/stats/contributions.ts): spread over a
   * fixed number of small items, so that adding to counters rewrites a small item and a question
   * reads months × groups × buckets items, whatever the number of cases.
   */
  aggregate: (month: string, group: string, bucket: number | string) => ({
    pk: `AGG#${month}`,
    sk: `${group}#${bucket}`,
  }),
  /** The open cases at a month's end, as one item (written monthly by snapshot-stats, never in a transaction). */
  snapshot: (month: string) => ({ pk: `AGG#${month}`, sk: 'active-snapshot' }),
  /** Who read which statistics, when: one partition per month. */
  statsAudit: (month: string, at: string, id: string) => ({ pk: `STATSAUDIT#${month}`, sk: `${at}#${id}` }),
  /** An atomic counter, one item per name and period (case references count up per year). */
  counter: (name: string, period: string) => ({ pk: `COUNTER#${name}`, sk: period }),
};

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export type Page<T> = { items: T[]; nextCursor: string | null };

export const MAX_ATTEMPTS = 8;

/**
 * A bounded read of a paged list: pages of 100 until `want` entries are kept or `cap` entries were
 * read, so a search or a sort never reads a whole partition. Returns what it kept and how many it read.
 */
export async function collectPages<T>(
  page: (limit: number, cursor: string | undefined) => Promise<Page<T>>,
  options: { cap: number; want?: number; keep?: (item: T) => boolean },
): Promise<{ items: T[]; read: number }> {
  const items: T[] = [];
  let read = 0;
  let cursor: string | undefined;
  do {
    const next = await page(100, cursor);
    read += next.items.length;
    items.push(...(options.keep ? next.items.filter(options.keep) : next.items));
    cursor = next.nextCursor ?? undefined;
  } while (cursor && items.length < (options.want ?? Number.POSITIVE_INFINITY) && read < options.cap);
  return { items, read };
}

/** One page of a DynamoDB query or scan, as the document client answers it. */
type ItemPage = { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> };

/**
 * Every item of a query or scan, page after page: `read` sends the request from `start`. `keep` drops
 * items as they come; `max` stops once that many are kept (the page that crosses it is kept whole).
 */
export async function everyPage(
  read: (start: Record<string, unknown> | undefined) => Promise<ItemPage>,
  {
    keep,
    max = Number.POSITIVE_INFINITY,
  }: { keep?: (item: Record<string, unknown>) => boolean; max?: number } = {},
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await read(start);
    items.push(...(keep ? (page.Items ?? []).filter(keep) : (page.Items ?? [])));
    start = page.LastEvaluatedKey;
  } while (start && items.length < max);
  return items;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const jitter = (attempt: number) => Math.random() * 20 * 2 ** attempt;

type CancellationReason = { Code?: string };
export const cancellationReasons = (error: unknown): CancellationReason[] | undefined =>
  error instanceof Error && error.name === 'TransactionCanceledException'
    ? ((error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [])
    : undefined;

export const isConditionFailure = (error: unknown) =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** TTL deletes within days of expiry; until then an expired item reads as gone. */
export const notExpired = (item: Record<string, unknown>) => !isExpired(item[TABLE.timeToLiveAttribute]);

/** An item without the table's and the indexes' key attributes. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _g1,
    gsi1sk: _g1s,
    pendingPk: _p,
    listPk: _l,
    listSk: _ls,
    referenceKey: _r,
    ...rest
  } = item;
  return rest as T;
}

/** What every repository of the table has: the client, the table name, and consistent reads. */
export abstract class TableAccess {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  protected async get<T>(key: Record<string, string>): Promise<T | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return Item && notExpired(Item) ? withoutKeys<T>(Item) : undefined;
  }

  protected async batchGet(allKeys: Record<string, string>[]): Promise<Record<string, unknown>[]> {
    return (await this.batchGetRaw(allKeys)).filter(notExpired).map((item) => withoutKeys(item));
  }

  /** Items by key with their keys, 100 keys per request, unprocessed keys retried. */
  protected async batchGetRaw(allKeys: Record<string, string>[]): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    for (let start = 0; start < allKeys.length; start += 100) {
      let request: Record<string, { Keys: Record<string, string>[] }> | undefined = {
        [this.tableName]: { Keys: allKeys.slice(start, start + 100) },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0 && attempt < MAX_ATTEMPTS; attempt++) {
        const { Responses, UnprocessedKeys } = await this.db.send(
          new BatchGetCommand({ RequestItems: request }),
        );
        found.push(...(Responses?.[this.tableName] ?? []));
        request = UnprocessedKeys as typeof request;
        if (request && Object.keys(request).length > 0) await sleep(jitter(attempt));
      }
      if (request && Object.keys(request).length > 0) throw new Error('DynamoDB left keys unprocessed');
    }
    return found;
  }
}
