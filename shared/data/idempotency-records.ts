import { TABLE } from '../config/resources.js';
import { ConflictError } from '../errors.js';
import type { IdempotencyRequest } from '../idempotency.js';
import { keys, TableAccess, type TransactItem } from './table.js';

/** How long a first answer is kept (then DynamoDB TTL removes it). */
const IDEMPOTENCY_SECONDS = 24 * 60 * 60;

/** The record of a first answer, written with what it answers; an expired one (TTL is lazy) counts as absent. */
export function idempotencyPut(
  tableName: string,
  request: IdempotencyRequest,
  response: unknown,
  at: string,
): TransactItem {
  const nowSeconds = Math.floor(Date.parse(at) / 1000);
  return {
    Put: {
      TableName: tableName,
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

/** A stored first answer may be given again only to the same body: another body under the key is a 409. */
export function requireSameRequest(storedHash: string | undefined, request: IdempotencyRequest): void {
  if (storedHash !== request.requestHash) {
    throw new ConflictError('The Idempotency-Key was already used with a different body.');
  }
}

/** First answers to requests with an `Idempotency-Key`. */
export class IdempotencyRecords extends TableAccess {
  /**
   * The first answer stored under an idempotency key: undefined when there is none, a 409 when the
   * key came with another body.
   */
  async firstAnswer<T>(request: IdempotencyRequest): Promise<T | undefined> {
    const first = await this.get<{ requestHash: string; response: T }>(
      keys.idempotency(request.scope, request.keyHash),
    );
    if (!first) return undefined;
    requireSameRequest(first.requestHash, request);
    return first.response;
  }
}
