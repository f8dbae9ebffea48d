import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../cases/cursor.js';
import type { ReferralRecord } from '../cases/model.js';
import { keys, notExpired, type Page, TableAccess, withoutKeys } from '../data/table.js';

/** A referral as an item, in its agency's list (the byAgency index), newest first. */
export const referralItem = (referral: ReferralRecord) => ({
  ...keys.referral(referral.referralId),
  gsi1pk: keys.agency(referral.agency),
  gsi1sk: `${referral.submittedAt}#${referral.referralId}`,
  ...referral,
});

/** Referrals exactly as their agencies sent them, and each agency's list of its own. */
export class ReferralRepository extends TableAccess {
  async getReferral(referralId: string): Promise<ReferralRecord | undefined> {
    return this.get<ReferralRecord>(keys.referral(referralId));
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
}
