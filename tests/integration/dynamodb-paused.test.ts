import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { freePort } from '../../local/ports.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { referralBody } from '../helpers/referrals.js';

/**
 * "Never lost, proven" (issue 11), the engine half: DynamoDB Local stops answering for 10 s (SIGSTOP)
 * while referrals with an Idempotency-Key come in. Requests in flight then fail with a 5xx although
 * some of their writes are done when the engine wakes up (SIGCONT); a retry with the same key must
 * answer the stored referral, not store a second one, and every referral that got a 2xx is routed.
 *
 * This file runs its own DynamoDB Local: the suite's shared one (tests/helpers/global-setup.ts) serves
 * the other test files in parallel and must never be paused.
 */
const PAUSE_MS = 10_000;
const AGENCY = 'employment-service';

let dynamoDb: DynamoDbLocal | undefined;
let stack: LocalStack | undefined;
let paused = false;

const resume = () => {
  if (paused && dynamoDb?.pid) {
    process.kill(dynamoDb.pid, 'SIGCONT');
    paused = false;
  }
};

beforeAll(async () => {
  dynamoDb = await startDynamoDbLocal({ port: await freePort(), region: 'eu-north-1' });
  stack = await startLocalStack({
    port: 0,
    sqsPort: 0,
    dynamoEndpoint: dynamoDb.endpoint,
    visibilityTimeoutSeconds: 1,
    redriveEverySeconds: 2,
    redriveOlderThanSeconds: 1,
    web: false,
    quiet: true,
  });
});

afterAll(async () => {
  // Whatever failed: the engine is woken before it is stopped, so SIGTERM reaches a running process.
  resume();
  await stack?.stop();
  await dynamoDb?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Sent = { key: string; tag: string; body: unknown; statuses: number[]; answer?: any; at: number };

describe('DynamoDB Local paused for 10 s under load', () => {
  it('answers a retry of a failed referral with the stored one, and routes every accepted referral', async () => {
    const { url } = stack!;
    const token = await stack!.issueToken('employment-officer');
    const post = async (sent: Sent) => {
      const response = await fetch(`${url}/referrals`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': sent.key,
        },
        body: JSON.stringify(sent.body),
        signal: AbortSignal.timeout(30_000),
      });
      sent.statuses.push(response.status);
      if (response.status < 300) sent.answer = await response.json();
      else await response.arrayBuffer();
      return response.status;
    };
    const referral = (): Sent => {
      const tag = `paused ${randomUUID()}`;
      return {
        key: `paused-${randomUUID()}`,
        tag,
        body: referralBody(AGENCY, { reason: tag }),
        statuses: [],
        at: Date.now(),
      };
    };

    // A steady stream of referrals: a few before the pause, one every 400 ms across it, a few after.
    const sent: Sent[] = [];
    const inFlight: Promise<number>[] = [];
    const fire = () => {
      const next = referral();
      sent.push(next);
      inFlight.push(post(next).catch(() => 599));
    };
    for (let i = 0; i < 4; i++) {
      fire();
      await sleep(150);
    }
    const pausedAt = Date.now();
    process.kill(dynamoDb!.pid!, 'SIGSTOP');
    paused = true;
    let resumedAt = 0;
    try {
      while (Date.now() - pausedAt < PAUSE_MS) {
        fire();
        await sleep(400);
      }
    } finally {
      resume();
      resumedAt = Date.now();
    }
    for (let i = 0; i < 4; i++) {
      fire();
      await sleep(150);
    }
    await Promise.all(inFlight);

    // Clients retry what failed, with the same key and body, until they get an answer.
    const failed = sent.filter((s) => s.statuses[0]! >= 500);
    const deadline = Date.now() + 40_000;
    for (const s of failed) {
      while (!s.answer && Date.now() < deadline) {
        if ((await post(s).catch(() => 599)) >= 300) await sleep(500);
      }
    }
    expect(sent.filter((s) => s.statuses.some((status) => status >= 400 && status < 500))).toEqual([]);
    expect(sent.every((s) => s.answer)).toBe(true);

    // Each request is stored exactly once, and the answer names it — also when the failed first
    // attempt is what stored it (its submittedAt is before the engine woke up).
    const table = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: dynamoDb!.endpoint,
        region: stack!.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    const items: Record<string, any>[] = [];
    let start: Record<string, any> | undefined;
    do {
      const page = await table.send(
        new ScanCommand({ TableName: stack!.tableName, ConsistentRead: true, ExclusiveStartKey: start }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    table.destroy();
    let storedByFailedAttempt = 0;
    for (const s of sent) {
      const stored = items.filter((item) => item.sk === 'REFERRAL' && item.reason === s.tag);
      expect(
        stored.map((item) => item.referralId),
        s.key,
      ).toEqual([s.answer.referralId]);
      expect(stored[0]?.caseId).toBe(s.answer.caseId);
      if (s.statuses[0]! >= 500 && Date.parse(stored[0]!.submittedAt) < resumedAt) storedByFailedAttempt += 1;
    }

    // Every referral that got a 2xx is routed.
    const routedBy = Date.now() + 40_000;
    const statusOf = async (s: Sent) => {
      const response = await fetch(`${url}/referrals/${s.answer.referralId}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      return response.ok ? ((await response.json()) as { status: string }).status : String(response.status);
    };
    let waiting = [...sent];
    while (waiting.length > 0 && Date.now() < routedBy) {
      const statuses = await Promise.all(waiting.map(statusOf));
      waiting = waiting.filter((_, index) => statuses[index] !== 'ROUTED');
      if (waiting.length > 0) await sleep(500);
    }
    expect(waiting.map((s) => s.answer.referralId)).toEqual([]);

    console.info(
      `DynamoDB Local paused ${resumedAt - pausedAt} ms: ${sent.length} referrals, ${failed.length} got a 5xx first ` +
        `(${storedByFailedAttempt} of them stored by that failed attempt), all answered by a retry with the same key and routed`,
    );
    expect(failed.length).toBeGreaterThan(0);
  }, 120_000);
});
