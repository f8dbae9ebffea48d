import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../config/resources.js';
import { ConflictError, ValidationError } from '../errors.js';
import { type CaseRecord, isPending, type ReferralRecord } from './model.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The first answer to a request with an `Idempotency-Key`, kept for a day (then DynamoDB TTL removes it). */
export type AcceptedReferral = { referralId: string; caseId: string; attachedToExistingCase: boolean };

export type AcceptInput = {
  referral: Omit<ReferralRecord, 'caseId'>;
  personKey: string;
  idempotency?: { keyHash: string; requestHash: string };
  newCaseId: () => string;
};

export type AcceptOutcome = AcceptedReferral & { replayed: boolean };

export type Page<T> = { items: T[]; nextCursor: string | null };

export class VersionConflictError extends Error {
  constructor(caseId: string) {
    super(`Case ${caseId} changed since it was read`);
    this.name = 'VersionConflictError';
  }
}

const IDEMPOTENCY_SECONDS = 24 * 60 * 60;
const MAX_ATTEMPTS = 8;
const PENDING = 'PENDING';

const keys = {
  case: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' }),
  referral: (referralId: string) => ({ pk: `REFERRAL#${referralId}`, sk: 'REFERRAL' }),
  person: (personKey: string) => ({ pk: `PERSON#${personKey}`, sk: 'OPEN_CASE' }),
  idempotency: (agency: string, keyHash: string) => ({
    pk: `IDEMPOTENCY#${agency}#${keyHash}`,
    sk: 'IDEMPOTENCY',
  }),
  agency: (agency: string) => `AGENCY#${agency}`,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const jitter = (attempt: number) => Math.random() * 20 * 2 ** attempt;

type CancellationReason = { Code?: string };
const cancellationReasons = (error: unknown): CancellationReason[] | undefined =>
  error instanceof Error && error.name === 'TransactionCanceledException'
    ? ((error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [])
    : undefined;

const isConditionFailure = (error: unknown) =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** Sparse index: only cases waiting for screening or delivery carry `pendingPk` (the re-drive reads it). */
function caseItem(record: CaseRecord) {
  const { pendingSince, ...rest } = record;
  if (!isPending(record)) return { ...keys.case(record.caseId), ...rest };
  return {
    ...keys.case(record.caseId),
    ...rest,
    pendingPk: PENDING,
    pendingSince: pendingSince ?? record.updatedAt,
  };
}

function withoutKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g1s, pendingPk: _p, ...rest } = item;
  return rest as T;
}

/**
 * The only code that knows the table's keys. One item collection per case, per referral, per open
 * person (HMAC key → case id, so one person has one open case) and per idempotency key.
 */
export class CaseRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Stores a referral and its case in one transaction: a new case, or the person's open case.
   * Two referrals for one person racing each other end in one case: the loser's transaction fails
   * on the person item and it retries as a join.
   */
  async acceptReferral(input: AcceptInput): Promise<AcceptOutcome> {
    const { referral, personKey, idempotency } = input;
    const now = referral.submittedAt;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const lock = await this.get<{ caseId: string }>(keys.person(personKey));
      const open = lock ? await this.getCase(lock.caseId) : undefined;
      const joining = open !== undefined && open.status !== 'CLOSED';
      const caseId = joining ? open.caseId : input.newCaseId();
      const answer: AcceptedReferral = {
        referralId: referral.referralId,
        caseId,
        attachedToExistingCase: joining,
      };
      const received = { at: now, event: 'received' as const, referralId: referral.referralId };
      const screeningFacts = {
        referralId: referral.referralId,
        agency: referral.agency,
        submittedAt: referral.submittedAt,
        situation: referral.situation,
        consent: { recipients: referral.consent.recipients, validUntil: referral.consent.validUntil },
      };

      const items: TransactItem[] = [];
      if (idempotency) {
        items.push({
          Put: {
            TableName: this.tableName,
            Item: {
              ...keys.idempotency(referral.agency, idempotency.keyHash),
              requestHash: idempotency.requestHash,
              response: answer,
              [TABLE.timeToLiveAttribute]: Math.floor(Date.parse(now) / 1000) + IDEMPOTENCY_SECONDS,
            },
            // TTL deletes lazily: an expired record counts as absent.
            ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :nowSeconds',
            ExpressionAttributeNames: { '#ttl': TABLE.timeToLiveAttribute },
            ExpressionAttributeValues: { ':nowSeconds': Math.floor(Date.parse(now) / 1000) },
          },
        });
      }
      if (joining) {
        const updated: CaseRecord = {
          ...open,
          person: referral.person,
          referrals: [...open.referrals, screeningFacts],
          history: [...open.history, received],
          updatedAt: now,
          version: open.version + 1,
        };
        items.push(
          {
            ConditionCheck: {
              TableName: this.tableName,
              Key: keys.person(personKey),
              ConditionExpression: 'caseId = :caseId',
              ExpressionAttributeValues: { ':caseId': caseId },
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: caseItem(updated),
              ConditionExpression: 'version = :version',
              ExpressionAttributeValues: { ':version': open.version },
            },
          },
        );
      } else {
        const created: CaseRecord = {
          caseId,
          status: 'RECEIVED',
          personKey,
          person: referral.person,
          referrals: [screeningFacts],
          screening: null,
          screenedReferrals: 0,
          routedTeams: [],
          outbox: [],
          history: [received],
          createdAt: now,
          updatedAt: now,
          version: 1,
        };
        items.push(
          {
            Put: {
              TableName: this.tableName,
              Item: { ...keys.person(personKey), caseId },
              // A lock left on a closed case may be taken over; a lock on an open case may not.
              ConditionExpression: lock ? 'caseId = :staleCaseId' : 'attribute_not_exists(pk)',
              ...(lock ? { ExpressionAttributeValues: { ':staleCaseId': lock.caseId } } : {}),
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: caseItem(created),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        );
      }
      items.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.referral(referral.referralId),
            gsi1pk: keys.agency(referral.agency),
            gsi1sk: `${referral.submittedAt}#${referral.referralId}`,
            ...referral,
            caseId,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });

      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        return { ...answer, replayed: false };
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (idempotency && reasons[0]?.Code === 'ConditionalCheckFailed') {
          return this.replay(referral.agency, idempotency);
        }
        await sleep(jitter(attempt));
      }
    }
    throw new ConflictError('The person was being updated by several referrals at once. Please try again.');
  }

  private async replay(agency: string, idempotency: { keyHash: string; requestHash: string }) {
    const first = await this.get<{ requestHash: string; response: AcceptedReferral }>(
      keys.idempotency(agency, idempotency.keyHash),
    );
    if (!first)
      throw new ConflictError('The Idempotency-Key is in use by another request. Please try again.');
    if (first.requestHash !== idempotency.requestHash) {
      throw new ConflictError('The Idempotency-Key was already used with a different body.');
    }
    return { ...first.response, replayed: true };
  }

  private async get<T>(key: Record<string, string>): Promise<T | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return Item ? withoutKeys<T>(Item) : undefined;
  }

  async getCase(caseId: string): Promise<CaseRecord | undefined> {
    return this.get<CaseRecord>(keys.case(caseId));
  }

  async getReferral(referralId: string): Promise<ReferralRecord | undefined> {
    return this.get<ReferralRecord>(keys.referral(referralId));
  }

  /** Saves a whole case if nobody changed it since `expected.version` was read. */
  async saveCase(record: CaseRecord, expectedVersion: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: caseItem(record),
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': expectedVersion },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new VersionConflictError(record.caseId);
      throw error;
    }
  }

  /** A referring agency's referrals, newest first. */
  async listReferrals(agency: string, limit: number, cursor?: string): Promise<Page<ReferralRecord>> {
    const partition = keys.agency(agency);
    const { Items = [], LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byAgency',
        KeyConditionExpression: 'gsi1pk = :agency',
        ExpressionAttributeValues: { ':agency': partition },
        ScanIndexForward: false,
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, partition) } : {}),
      }),
    );
    return {
      items: Items.map((item) => withoutKeys<ReferralRecord>(item)),
      nextCursor: LastEvaluatedKey ? encodeCursor(LastEvaluatedKey) : null,
    };
  }

  /** Cases by id, for list views; missing ones are left out. */
  async getCases(caseIds: readonly string[]): Promise<Map<string, CaseRecord>> {
    const found = new Map<string, CaseRecord>();
    const unique = [...new Set(caseIds)];
    for (let start = 0; start < unique.length; start += 100) {
      let request: Record<string, { Keys: Record<string, string>[] }> | undefined = {
        [this.tableName]: { Keys: unique.slice(start, start + 100).map(keys.case) },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0 && attempt < MAX_ATTEMPTS; attempt++) {
        const { Responses, UnprocessedKeys } = await this.db.send(
          new BatchGetCommand({ RequestItems: request }),
        );
        for (const item of Responses?.[this.tableName] ?? []) {
          const record = withoutKeys<CaseRecord>(item);
          found.set(record.caseId, record);
        }
        request = UnprocessedKeys as typeof request;
        if (request && Object.keys(request).length > 0) await sleep(jitter(attempt));
      }
    }
    return found;
  }

  /** Ids of cases that have waited for screening or delivery since before `cutoff` (ISO time). */
  async findPendingCaseIds(cutoff: string): Promise<string[]> {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'pending',
          KeyConditionExpression: 'pendingPk = :pending AND pendingSince < :cutoff',
          ExpressionAttributeValues: { ':pending': PENDING, ':cutoff': cutoff },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) ids.push(String(item.pk).slice('CASE#'.length));
      start = page.LastEvaluatedKey;
    } while (start);
    return ids;
  }
}

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** A cursor is only ever one this API gave out for the same list; anything else is a 400, not a 500. */
function decodeCursor(cursor: string, partition: string): Record<string, string> {
  const invalid = () =>
    new ValidationError('The cursor is not valid.', [{ path: 'cursor', message: 'is not valid' }]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const shape = key as Record<string, unknown> | null;
  const names = ['pk', 'sk', 'gsi1pk', 'gsi1sk'];
  if (
    typeof shape !== 'object' ||
    shape === null ||
    Object.keys(shape).length !== names.length ||
    !names.every((name) => typeof shape[name] === 'string') ||
    shape.gsi1pk !== partition
  ) {
    throw invalid();
  }
  return shape as Record<string, string>;
}
