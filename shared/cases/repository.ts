import { PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditEntry, auditItem } from '../audit/repository.js';
import { TABLE } from '../config/resources.js';
import { IdempotencyRecords, idempotencyPut, requireSameRequest } from '../data/idempotency-records.js';
import {
  cancellationReasons,
  everyPage,
  isConditionFailure,
  jitter,
  keys,
  MAX_ATTEMPTS,
  notExpired,
  type Page,
  sleep,
  type TransactItem,
  withoutKeys,
} from '../data/table.js';
import { ConflictError } from '../errors.js';
import type { IdempotencyRequest } from '../idempotency.js';
import { referralItem } from '../referrals/repository.js';
import { contributionDiff } from '../stats/contributions.js';
import { statFacts } from '../stats/facts.js';
import { aggregateWrites } from '../stats/repository.js';
import { swedishDateOf } from '../time.js';
import { caseFromItem, caseItem, TIMER, type WorkItem, workItemWrites } from './case-items.js';
import { IdempotencyReplay, VersionConflictError } from './conflicts.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { joinCase, openCase } from './intake.js';
import type { Assignment, CaseRecord, ReferralRecord } from './model.js';
import { NoteRepository } from './notes.js';
import { formatReference } from './reference.js';
import { anonymousFacts, retainUntil } from './retention.js';

export type { Page, WorkItem };

/** Which of a team's work-list entries to read: open or closed (and declined) work, and filters. */
export type WorkFilter = {
  closed: boolean;
  state?: Assignment['state'][];
  assigneeId?: string;
  targetGroup?: string;
  /** Only entries due before this instant (with state `routed`: overdue). */
  dueBefore?: string;
  /** Only TG4 cases whose next follow-up falls due on or before this Swedish date. */
  followUpDueBy?: string;
};

/** The answer to a referral, given again to a retry with the same `Idempotency-Key`. */
export type AcceptedReferral = { referralId: string; caseId: string; attachedToExistingCase: boolean };

/** What a keyed referral's item keeps of its request, to answer a retry as it answered the first. */
type Intake = { requestHash: string; attachedToExistingCase: boolean };

export type AcceptInput = {
  referral: Omit<ReferralRecord, 'caseId'>;
  personKey: string;
  /** With an `Idempotency-Key`, the referral's id is `idFromKey(idempotency)`. */
  idempotency?: IdempotencyRequest;
  newCaseId: () => string;
  /** Who submitted it, for the case's audit trail (written in the same transaction). */
  audit?: Omit<AuditEntry, 'at' | 'action'>;
};

export type AcceptOutcome = AcceptedReferral & { replayed: boolean };

const PENDING = 'PENDING';

/** How many referrals and notes a closing transaction sets the TTL of; the rest follow it. */
const RETAINED_IN_TRANSACTION = 60;

/** Extra writes that must succeed or fail with a case save. */
export type SaveOptions = {
  audit?: AuditEntry;
  idempotency?: IdempotencyRequest & { response: unknown };
};

/**
 * Cases: one item collection per case (the case, its work-list entries, its audit trail) and one per
 * open person (HMAC key → case id, so one person has one open case). A referral is stored with its
 * case, and a case's change with its audit and idempotency records, each in one transaction.
 */
export class CaseRepository extends IdempotencyRecords {
  constructor(
    db: ConstructorParameters<typeof IdempotencyRecords>[0],
    tableName: string,
    /** How long a closed case's personal data is kept (RETENTION_MONTHS). */
    private readonly retentionMonths = 24,
  ) {
    super(db, tableName);
  }

  /**
   * Stores a referral and its case in one transaction: a new case, or the person's open case.
   * Two referrals for one person racing each other end in one case: the loser's transaction fails
   * on the person item and it retries as a join.
   */
  async acceptReferral(input: AcceptInput): Promise<AcceptOutcome> {
    const { referral, personKey, idempotency } = input;
    const now = referral.submittedAt;
    const readLock = () => this.get<{ caseId: string }>(keys.person(personKey));
    // A retry of a stored request answers at once, before it takes a case reference it would waste;
    // the person's lock is read at the same time (one round trip, not two).
    const [first, firstLock] = await Promise.all([
      idempotency && this.referralAnswer(referral.referralId, idempotency),
      readLock(),
    ]);
    if (first) return { ...first, replayed: true };
    let reference: string | undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const lock = attempt === 0 ? firstLock : await readLock();
      const open = lock ? await this.getCase(lock.caseId) : undefined;
      const joining = open !== undefined && open.status !== 'CLOSED';
      const caseId = joining ? open.caseId : input.newCaseId();
      const answer: AcceptedReferral = {
        referralId: referral.referralId,
        caseId,
        attachedToExistingCase: joining,
      };

      const items: TransactItem[] = [];
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
          ...this.statistics(updated, open),
        );
      } else {
        // Taken once: an attempt that loses a race to open the person's case keeps it for the next one.
        reference ??= await this.nextReference(now);
        const created = openCase(caseId, personKey, referral, reference);
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
          ...this.statistics(created),
        );
      }
      if (input.audit) {
        const entry = { ...input.audit, at: now, action: 'referral-submitted' };
        items.push({ Put: { TableName: this.tableName, Item: auditItem(caseId, entry) } });
      }
      // Keyed, the referral's id came from the key: its item is the record of the first answer.
      const intake: Intake | undefined = idempotency && {
        requestHash: idempotency.requestHash,
        attachedToExistingCase: joining,
      };
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { ...referralItem({ ...referral, caseId }), ...(intake ? { intake } : {}) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });

      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        return { ...answer, replayed: false };
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (idempotency && reasons.at(-1)?.Code === 'ConditionalCheckFailed') {
          const first = await this.referralAnswer(referral.referralId, idempotency);
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
   * The first answer to a keyed referral, from the referral itself: undefined when there is none,
   * a 409 when the key came with another body.
   */
  private async referralAnswer(
    referralId: string,
    request: IdempotencyRequest,
  ): Promise<AcceptedReferral | undefined> {
    const stored = await this.get<{ caseId: string; intake?: Intake }>(keys.referral(referralId));
    if (!stored) return undefined;
    requireSameRequest(stored.intake?.requestHash, request);
    return {
      referralId,
      caseId: stored.caseId,
      attachedToExistingCase: stored.intake?.attachedToExistingCase ?? false,
    };
  }

  /** The aggregates' share of a change of the case (shared/stats/), for the same transaction. */
  private statistics(next: CaseRecord, previous?: CaseRecord): TransactItem[] {
    const diff = contributionDiff(statFacts(next), previous && statFacts(previous));
    return aggregateWrites(this.tableName, diff);
  }

  /** Sets when an item of a closed case's personal data goes (DynamoDB TTL). */
  private retain(key: Record<string, string>, expiresAt: number): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET #ttl = :expiresAt',
        ExpressionAttributeNames: { '#ttl': TABLE.timeToLiveAttribute },
        ExpressionAttributeValues: { ':expiresAt': expiresAt },
      },
    };
  }

  /**
   * The next case reference of the year the case opens (Swedish time): FD-2026-00042. An atomic
   * counter, so cases opened at the same moment get distinct numbers that count up; a number taken
   * by an attempt that then joins an open case instead is not reused (a gap, never a duplicate).
   */
  async nextReference(at: string): Promise<string> {
    const year = swedishDateOf(new Date(at)).slice(0, 4);
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.counter('REFERENCE', year),
        UpdateExpression: 'ADD #value :one',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return formatReference(year, Number(Attributes?.value));
  }

  async getCase(caseId: string): Promise<CaseRecord | undefined> {
    const item = await this.get<Record<string, unknown>>(keys.case(caseId));
    return item && caseFromItem(item);
  }

  /**
   * Saves a whole case if nobody changed it since `previous` was read, together with the work-list
   * entries that changed, the release of the person when the case closes, and any audit or
   * idempotency record: all in one transaction, or nothing.
   */
  async saveCase(next: CaseRecord, previous: CaseRecord, options: SaveOptions = {}): Promise<void> {
    const afterwards: TransactItem[] = [];
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
    items.push(...workItemWrites(this.tableName, next, previous), ...this.statistics(next, previous));
    if (next.status === 'CLOSED') {
      // What statistics need outlives the personal data; a follow-up after closing updates it.
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { ...keys.statistics(next.caseId), ...anonymousFacts(next) },
        },
      });
    }
    if (closing) {
      // Personal data goes when the retention period is over; the anonymous facts stay for statistics.
      const notes = await new NoteRepository(this.db, this.tableName).listNotes(next.caseId);
      const retained = [
        ...next.referrals.map(({ referralId }) => keys.referral(referralId)),
        ...notes.map((note) => note.key),
      ];
      // A transaction holds 100 items: a long journal's remaining notes get their TTL right after it.
      for (const key of retained.slice(0, RETAINED_IN_TRANSACTION))
        items.push(this.retain(key, next.expiresAt!));
      afterwards.push(
        ...retained.slice(RETAINED_IN_TRANSACTION).map((key) => this.retain(key, next.expiresAt!)),
      );
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
      items.push({ Put: { TableName: this.tableName, Item: auditItem(next.caseId, options.audit) } });
    if (options.idempotency) {
      const { response, ...request } = options.idempotency;
      items.push(idempotencyPut(this.tableName, request, response, next.updatedAt));
    }
    for (let attempt = 0; ; attempt++) {
      try {
        if (items.length === 1) await this.db.send(new PutCommand(items[0]!.Put!));
        else await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        break;
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (options.idempotency && reasons?.at(-1)?.Code === 'ConditionalCheckFailed') {
          throw new IdempotencyReplay();
        }
        // Another transaction held a shared item (a statistics counter) at that moment: nothing was
        // wrong with this one, so it is tried again as it is, not answered with a conflict.
        const contended =
          reasons?.some((reason) => reason.Code === 'TransactionConflict') &&
          !reasons.some((reason) => reason.Code === 'ConditionalCheckFailed');
        if (contended && attempt < MAX_ATTEMPTS) {
          await sleep(jitter(attempt));
          continue;
        }
        if (isConditionFailure(error) || reasons) throw new VersionConflictError(next.caseId);
        throw error;
      }
    }
    for (const item of afterwards) await this.db.send(new UpdateCommand(item.Update!));
  }

  /**
   * A team's work list: open work by priority then age, or closed work newest first. One
   * partition per team and state, so its cost does not grow with the table.
   */
  async listTeamWork(
    team: string,
    options: WorkFilter & { limit: number; cursor?: string },
  ): Promise<Page<WorkItem>> {
    const partition = keys.teamList(team, options.closed);
    const states = options.state ?? [];
    const filters = [
      ...(states.length > 0 ? [`#state IN (${states.map((_, index) => `:s${index}`).join(', ')})`] : []),
      ...(options.assigneeId ? ['#assignee.#id = :assignee'] : []),
      ...(options.targetGroup ? ['contains(targetGroups, :group)'] : []),
      ...(options.dueBefore ? ['dueAt <= :due'] : []),
      ...(options.followUpDueBy ? ['followUp.dueOn <= :followUpDue'] : []),
    ];
    const { Items = [], LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byTeam',
        KeyConditionExpression: 'listPk = :list',
        ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
        // DynamoDB refuses an empty map of names: only the names a filter uses.
        ...(states.length > 0 || options.assigneeId
          ? {
              ExpressionAttributeNames: {
                ...(states.length > 0 ? { '#state': 'state' } : {}),
                ...(options.assigneeId ? { '#assignee': 'assignee', '#id': 'id' } : {}),
              },
            }
          : {}),
        ExpressionAttributeValues: {
          ':list': partition,
          ...Object.fromEntries(states.map((state, index) => [`:s${index}`, state])),
          ...(options.assigneeId ? { ':assignee': options.assigneeId } : {}),
          ...(options.targetGroup ? { ':group': options.targetGroup } : {}),
          ...(options.dueBefore ? { ':due': options.dueBefore } : {}),
          ...(options.followUpDueBy ? { ':followUpDue': options.followUpDueBy } : {}),
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

  /** Cases by id, for list views; missing ones are left out. */
  async getCases(caseIds: readonly string[]): Promise<Map<string, CaseRecord>> {
    const found = await this.batchGet([...new Set(caseIds)].map(keys.case));
    return new Map(found.map((item) => [item.caseId as string, caseFromItem(item)]));
  }

  /** The id of the case with this reference, if there is one. */
  async findCaseIdByReference(reference: string): Promise<string | undefined> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byReference',
        KeyConditionExpression: 'referenceKey = :reference',
        ExpressionAttributeValues: { ':reference': reference },
        Limit: 1,
      }),
    );
    const pk = Items[0]?.pk;
    return typeof pk === 'string' ? pk.slice('CASE#'.length) : undefined;
  }

  /** Ids of a person's cases (by the HMAC of the identity number), newest first. */
  async findCaseIdsByPerson(personKey: string, limit = 20): Promise<string[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byPerson',
        KeyConditionExpression: 'personKey = :person',
        ExpressionAttributeValues: { ':person': personKey },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.flatMap((item) => (typeof item.pk === 'string' ? [item.pk.slice('CASE#'.length)] : []));
  }

  /** Ids of cases that have waited for screening or delivery since before `cutoff` (ISO time). */
  async findPendingCaseIds(cutoff: string): Promise<string[]> {
    return this.wakeUps(PENDING, cutoff);
  }

  /** Ids of open cases whose timer (consent expiry, a team's service level) is at or before `now`. */
  async findTimedOutCaseIds(now: string): Promise<string[]> {
    return this.wakeUps(TIMER, `${now}~`);
  }

  private async wakeUps(partition: string, before: string): Promise<string[]> {
    const items = await everyPage((start) =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'pending',
          KeyConditionExpression: 'pendingPk = :pending AND pendingSince < :cutoff',
          ExpressionAttributeValues: { ':pending': partition, ':cutoff': before },
          ExclusiveStartKey: start,
        }),
      ),
    );
    return items.map((item) => String(item.pk).slice('CASE#'.length));
  }
}
