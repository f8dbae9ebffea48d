import { randomUUID } from 'node:crypto';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { FRONT_DESK } from '../config/deployment.js';
import { TABLE } from '../config/resources.js';
import { ConflictError } from '../errors.js';
import type { IdempotencyRequest } from '../idempotency.js';
import { teamStatus } from './assignments.js';
import { IdempotencyReplay, VersionConflictError } from './conflicts.js';
import { caseConsent, consentWakeAt } from './consent.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { joinCase, openCase } from './intake.js';
import { type Assignment, type CaseRecord, isPending, type ReferralRecord } from './model.js';
import { anonymousFacts, isExpired, retainUntil } from './retention.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The first answer to a request with an `Idempotency-Key`, kept for a day (then DynamoDB TTL removes it). */
export type AcceptedReferral = { referralId: string; caseId: string; attachedToExistingCase: boolean };

export type AcceptInput = {
  referral: Omit<ReferralRecord, 'caseId'>;
  personKey: string;
  idempotency?: IdempotencyRequest;
  newCaseId: () => string;
  /** Who submitted it, for the case's audit trail (written in the same transaction). */
  audit?: Omit<AuditEntry, 'at' | 'action'>;
};

export type AcceptOutcome = AcceptedReferral & { replayed: boolean };

export type Page<T> = { items: T[]; nextCursor: string | null };

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
  assignment: (caseId: string, team: string) => ({ pk: `CASE#${caseId}`, sk: `TEAM#${team}` }),
  audit: (caseId: string, at: string, id: string) => ({ pk: `CASE#${caseId}`, sk: `AUDIT#${at}#${id}` }),
  teamList: (team: string, closed: boolean) => `TEAM#${team}#${closed ? 'CLOSED' : 'OPEN'}`,
  statistics: (caseId: string) => ({ pk: `STATS#${caseId}`, sk: 'STATS' }),
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const jitter = (attempt: number) => Math.random() * 20 * 2 ** attempt;

type CancellationReason = { Code?: string };
const cancellationReasons = (error: unknown): CancellationReason[] | undefined =>
  error instanceof Error && error.name === 'TransactionCanceledException'
    ? ((error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [])
    : undefined;

const notExpired = (item: Record<string, unknown>) => !isExpired(item[TABLE.timeToLiveAttribute]);

const isConditionFailure = (error: unknown) =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/**
 * Sparse index: only cases the re-drive must look at carry `pendingPk`: those waiting for screening
 * or delivery (since `waitingSince`), and those whose consent runs out while a team holds them (at
 * the first instant it has). The index's sort key is the earlier of the two: when to look.
 */
function caseItem(record: CaseRecord) {
  const { pendingSince, ...rest } = record;
  const waitingSince = isPending(record) ? (pendingSince ?? record.updatedAt) : undefined;
  const wakeAt = [waitingSince, consentWakeAt(record, FRONT_DESK)].filter((at) => at !== undefined).sort()[0];
  return {
    ...keys.case(record.caseId),
    ...rest,
    ...(waitingSince ? { waitingSince } : {}),
    ...(wakeAt ? { pendingPk: PENDING, pendingSince: wakeAt } : {}),
  };
}

/** A case as stored: when it started waiting is `waitingSince`; `pendingSince` is only the index's wake-up time. */
function caseFromItem(item: Record<string, unknown>): CaseRecord {
  const { waitingSince, pendingSince: _wakeAt, ...rest } = item;
  const record = withoutKeys<CaseRecord>(rest);
  return typeof waitingSince === 'string' ? { ...record, pendingSince: waitingSince } : record;
}

/** A team's work-list entry for one case: what the list shows, never an identity number. */
export type WorkItem = {
  caseId: string;
  team: string;
  state: Assignment['state'];
  caseStatus: CaseRecord['status'];
  priority: 'high' | 'normal';
  targetGroups: string[];
  jointAssessment: boolean;
  routedAt: string;
  updatedAt: string;
  closedAt?: string;
  givenName: string;
  familyName: string;
  /** The last day the case's consent covers the team: the list leaves the case out after it. */
  consentValidUntil?: string;
};

/** The projection of a case into one team's work list (the byTeam index); teams that left it have none. */
function workItem(record: CaseRecord, assignment: Assignment) {
  const consentValidUntil = assignment.team === FRONT_DESK ? undefined : caseConsent(record)?.validUntil;
  const item: WorkItem = {
    caseId: record.caseId,
    team: assignment.team,
    state: assignment.state,
    caseStatus: record.status,
    priority: record.screening?.priority ?? 'normal',
    targetGroups: record.screening?.targetGroups ?? [],
    jointAssessment: record.screening?.jointAssessment ?? false,
    routedAt: assignment.routedAt,
    updatedAt: record.updatedAt,
    ...(assignment.closedAt ? { closedAt: assignment.closedAt } : {}),
    givenName: record.person.givenName,
    familyName: record.person.familyName,
    ...(consentValidUntil ? { consentValidUntil } : {}),
  };
  const status = teamStatus(assignment.state);
  const listed =
    status === 'DECLINED' || status === 'WITHDRAWN'
      ? {}
      : status === 'CLOSED'
        ? { listPk: keys.teamList(assignment.team, true), listSk: `${assignment.closedAt}#${record.caseId}` }
        : {
            listPk: keys.teamList(assignment.team, false),
            // Highest priority first, then oldest first.
            listSk: `${item.priority === 'high' ? 0 : 1}#${assignment.routedAt}#${record.caseId}`,
          };
  const ttl = record.expiresAt ? { [TABLE.timeToLiveAttribute]: record.expiresAt } : {};
  return { ...keys.assignment(record.caseId, assignment.team), ...item, ...listed, ...ttl };
}

/**
 * The items the repository writes for a case: the case itself and one work-list entry per team.
 * For bulk loading (the benchmark seeds thousands of cases) with exactly the shapes the API writes.
 */
export const itemsForCase = (record: CaseRecord) => [
  caseItem(record),
  ...Object.values(record.assignments).map((assignment) => workItem(record, assignment)),
];

/** Puts of the work-list entries a change of the case changed (all of them for a new case). */
function workItemWrites(tableName: string, next: CaseRecord, previous?: CaseRecord): TransactItem[] {
  return Object.values(next.assignments).flatMap((assignment) => {
    const before = previous?.assignments[assignment.team];
    const item = workItem(next, assignment);
    const unchanged =
      previous && before && JSON.stringify(workItem(previous, before)) === JSON.stringify(item);
    return unchanged ? [] : [{ Put: { TableName: tableName, Item: item } }];
  });
}

/** Who read or changed a case, when, in which role: the case's append-only audit trail. */
export type AuditEntry = {
  at: string;
  action: string;
  subject: string;
  groups: string[];
  team?: string;
};

/** Extra writes that must succeed or fail with a case save. */
export type SaveOptions = {
  audit?: AuditEntry;
  idempotency?: IdempotencyRequest & { response: unknown };
};

function withoutKeys<T>(item: Record<string, unknown>): T {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _g1,
    gsi1sk: _g1s,
    pendingPk: _p,
    listPk: _l,
    listSk: _ls,
    ...rest
  } = item;
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
    /** How long a closed case's personal data is kept (RETENTION_MONTHS). */
    private readonly retentionMonths = 24,
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

      const items: TransactItem[] = [];
      if (idempotency) items.push(this.idempotencyPut(idempotency, answer, now));
      if (joining) {
        const updated = joinCase(open, referral);
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
          // A consent that no longer covers a team takes the case off its work list at once.
          ...workItemWrites(this.tableName, updated, open),
        );
      } else {
        const created = openCase(caseId, personKey, referral);
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
      if (input.audit) {
        const entry = { ...input.audit, at: now, action: 'referral-submitted' };
        items.push({ Put: { TableName: this.tableName, Item: this.auditItem(caseId, entry) } });
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
          const first = await this.firstAnswer<AcceptedReferral>(idempotency);
          if (!first)
            throw new ConflictError('The Idempotency-Key is in use by another request. Please try again.');
          return { ...first, replayed: true };
        }
        await sleep(jitter(attempt));
      }
    }
    throw new ConflictError('The person was being updated by several referrals at once. Please try again.');
  }

  /**
   * The first answer stored under an idempotency key: undefined when there is none, a 409 when the
   * key came with another body.
   */
  async firstAnswer<T>(request: IdempotencyRequest): Promise<T | undefined> {
    const first = await this.get<{ requestHash: string; response: T }>(
      keys.idempotency(request.scope, request.keyHash),
    );
    if (!first) return undefined;
    if (first.requestHash !== request.requestHash) {
      throw new ConflictError('The Idempotency-Key was already used with a different body.');
    }
    return first.response;
  }

  /** The record of a first answer, written with what it answers; an expired one (TTL is lazy) counts as absent. */
  private idempotencyPut(request: IdempotencyRequest, response: unknown, at: string): TransactItem {
    const nowSeconds = Math.floor(Date.parse(at) / 1000);
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.idempotency(request.scope, request.keyHash),
          requestHash: request.requestHash,
          response,
          [TABLE.timeToLiveAttribute]: nowSeconds + IDEMPOTENCY_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :nowSeconds',
        ExpressionAttributeNames: { '#ttl': TABLE.timeToLiveAttribute },
        ExpressionAttributeValues: { ':nowSeconds': nowSeconds },
      },
    };
  }

  private async get<T>(key: Record<string, string>): Promise<T | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    // TTL deletes within days of expiry; until then an expired item reads as gone.
    return Item && !isExpired(Item[TABLE.timeToLiveAttribute]) ? withoutKeys<T>(Item) : undefined;
  }

  async getCase(caseId: string): Promise<CaseRecord | undefined> {
    const item = await this.get<Record<string, unknown>>(keys.case(caseId));
    return item && caseFromItem(item);
  }

  async getReferral(referralId: string): Promise<ReferralRecord | undefined> {
    return this.get<ReferralRecord>(keys.referral(referralId));
  }

  /**
   * Saves a whole case if nobody changed it since `previous` was read, together with the work-list
   * entries that changed, the release of the person when the case closes, and any audit or
   * idempotency record: all in one transaction, or nothing.
   */
  async saveCase(next: CaseRecord, previous: CaseRecord, options: SaveOptions = {}): Promise<void> {
    const closing = next.status === 'CLOSED' && previous.status !== 'CLOSED';
    if (closing) next = { ...next, expiresAt: retainUntil(next.updatedAt, this.retentionMonths) };
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: caseItem(next),
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': previous.version },
        },
      },
    ];
    items.push(...workItemWrites(this.tableName, next, previous));
    if (closing) {
      // Personal data goes when the retention period is over; the anonymous facts stay for statistics.
      for (const { referralId } of next.referrals) {
        items.push({
          Update: {
            TableName: this.tableName,
            Key: keys.referral(referralId),
            UpdateExpression: 'SET #ttl = :expiresAt',
            ExpressionAttributeNames: { '#ttl': TABLE.timeToLiveAttribute },
            ExpressionAttributeValues: { ':expiresAt': next.expiresAt },
          },
        });
      }
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { ...keys.statistics(next.caseId), ...anonymousFacts(next) },
        },
      });
      // The person may be referred again: the next referral opens a new case.
      items.push({
        Delete: {
          TableName: this.tableName,
          Key: keys.person(next.personKey),
          ConditionExpression: 'attribute_not_exists(pk) OR caseId = :caseId',
          ExpressionAttributeValues: { ':caseId': next.caseId },
        },
      });
    }
    if (options.audit)
      items.push({ Put: { TableName: this.tableName, Item: this.auditItem(next.caseId, options.audit) } });
    if (options.idempotency) {
      const { response, ...request } = options.idempotency;
      items.push(this.idempotencyPut(request, response, next.updatedAt));
    }
    try {
      if (items.length === 1) await this.db.send(new PutCommand(items[0]!.Put!));
      else await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (options.idempotency && reasons?.at(-1)?.Code === 'ConditionalCheckFailed') {
        throw new IdempotencyReplay();
      }
      if (isConditionFailure(error) || reasons) throw new VersionConflictError(next.caseId);
      throw error;
    }
  }

  private auditItem(caseId: string, entry: AuditEntry) {
    return { ...keys.audit(caseId, entry.at, randomUUID()), caseId, ...entry };
  }

  /** Appends one entry to a case's audit trail. */
  async appendAudit(caseId: string, entry: AuditEntry): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: this.auditItem(caseId, entry) }));
  }

  /** A case's audit trail, oldest first. */
  async listAudit(caseId: string, limit: number, cursor?: string): Promise<Page<AuditEntry>> {
    const { Items = [], LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': keys.case(caseId).pk, ':audit': 'AUDIT#' },
        Limit: limit,
        ...(cursor
          ? { ExclusiveStartKey: decodeCursor(cursor, { pk: keys.case(caseId).pk, skPrefix: 'AUDIT#' }) }
          : {}),
      }),
    );
    return {
      items: Items.map((item) => {
        const { caseId: _caseId, ...entry } = withoutKeys<AuditEntry & { caseId: string }>(item);
        return entry;
      }),
      nextCursor: LastEvaluatedKey ? encodeCursor(LastEvaluatedKey) : null,
    };
  }

  /**
   * A team's work list: open work by priority then age, or closed work newest first. One
   * partition per team and state, so its cost does not grow with the table.
   */
  async listTeamWork(
    team: string,
    options: { closed: boolean; state?: Assignment['state'][]; limit: number; cursor?: string },
  ): Promise<Page<WorkItem>> {
    const partition = keys.teamList(team, options.closed);
    const states = options.state ?? [];
    const { Items = [], LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byTeam',
        KeyConditionExpression: 'listPk = :list',
        ...(states.length > 0
          ? {
              FilterExpression: `#state IN (${states.map((_, index) => `:s${index}`).join(', ')})`,
              ExpressionAttributeNames: { '#state': 'state' },
            }
          : {}),
        ExpressionAttributeValues: {
          ':list': partition,
          ...Object.fromEntries(states.map((state, index) => [`:s${index}`, state])),
        },
        ScanIndexForward: !options.closed,
        Limit: options.limit,
        ...(options.cursor ? { ExclusiveStartKey: decodeCursor(options.cursor, { listPk: partition }) } : {}),
      }),
    );
    return {
      items: Items.filter(notExpired).map((item) => withoutKeys<WorkItem>(item)),
      nextCursor: LastEvaluatedKey ? encodeCursor(LastEvaluatedKey) : null,
    };
  }

  /** Referrals by id, in the order asked for; missing ones are left out. */
  async getReferrals(referralIds: readonly string[]): Promise<ReferralRecord[]> {
    const found = await this.batchGet(referralIds.map(keys.referral));
    const byId = new Map(found.map((item) => [item.referralId as string, item as unknown as ReferralRecord]));
    return referralIds.flatMap((id) => byId.get(id) ?? []);
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
        ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, { gsi1pk: partition }) } : {}),
      }),
    );
    return {
      items: Items.filter(notExpired).map((item) => withoutKeys<ReferralRecord>(item)),
      nextCursor: LastEvaluatedKey ? encodeCursor(LastEvaluatedKey) : null,
    };
  }

  /** Cases by id, for list views; missing ones are left out. */
  async getCases(caseIds: readonly string[]): Promise<Map<string, CaseRecord>> {
    const found = await this.batchGet([...new Set(caseIds)].map(keys.case));
    return new Map(found.map((item) => [item.caseId as string, caseFromItem(item)]));
  }

  private async batchGet(allKeys: Record<string, string>[]): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    for (let start = 0; start < allKeys.length; start += 100) {
      let request: Record<string, { Keys: Record<string, string>[] }> | undefined = {
        [this.tableName]: { Keys: allKeys.slice(start, start + 100) },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0 && attempt < MAX_ATTEMPTS; attempt++) {
        const { Responses, UnprocessedKeys } = await this.db.send(
          new BatchGetCommand({ RequestItems: request }),
        );
        for (const item of (Responses?.[this.tableName] ?? []).filter(notExpired))
          found.push(withoutKeys(item));
        request = UnprocessedKeys as typeof request;
        if (request && Object.keys(request).length > 0) await sleep(jitter(attempt));
      }
      if (request && Object.keys(request).length > 0) throw new Error('DynamoDB left keys unprocessed');
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
