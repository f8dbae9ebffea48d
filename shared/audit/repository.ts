import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../cases/cursor.js';
import { keys, type Page, TableAccess, withoutKeys } from '../data/table.js';

/** Who read or changed a case, when, in which role: the case's append-only audit trail. */
export type AuditEntry = {
  at: string;
  action: string;
  subject: string;
  groups: string[];
  team?: string;
};

/** One audit entry as an item of the case's collection, to write alone or in a transaction. */
export const auditItem = (caseId: string, entry: AuditEntry) => ({
  ...keys.audit(caseId, entry.at, randomUUID()),
  caseId,
  ...entry,
});

/** The audit trail of each case: appended to, listed by admins, never changed. */
export class AuditRepository extends TableAccess {
  /** Appends one entry to a case's audit trail. */
  async appendAudit(caseId: string, entry: AuditEntry): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: auditItem(caseId, entry) }));
  }

  /** A case's audit trail, oldest first. */
  async listAudit(caseId: string, limit: number, cursor?: string): Promise<Page<AuditEntry>> {
    const { pk } = keys.case(caseId);
    const { Items = [], LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': pk, ':audit': 'AUDIT#' },
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, { pk, skPrefix: 'AUDIT#' }) } : {}),
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
}
