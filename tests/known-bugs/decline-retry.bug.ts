import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamo } from '../../shared/clients.js';
import { referralBody } from '../helpers/referrals.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

/**
 * Found by tests/integration/fault-injection.test.ts. A team declines a case with an Idempotency-Key;
 * the transaction commits but its answer is lost (a timeout after the write): the client gets a 500
 * and retries with the same key and body. The retry should answer the first answer (200). It gets
 * 404 "No such case": postCaseEvent (shared/cases/case-service.ts) checks that the caller may read
 * the case before it looks up the stored answer, and a team that has declined no longer reads it.
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ visibilityTimeoutSeconds: 1 });
  stack.startConsumer();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await stack?.stop();
});

describe('a decline whose answer was lost', () => {
  it('answers the stored answer to a retry with the same Idempotency-Key, not 404', async () => {
    const accepted = await stack.submit(referralBody('employment-service'), ['agency-employment-service']);
    const routed = await stack.waitForStatus(accepted.body.referralId, 'ROUTED');
    expect(routed.body.status).toBe('ROUTED');
    const caseId = accepted.body.caseId as string;
    const team = 'employment-service';
    const body = { type: 'declined', team, reason: 'Not for us' };
    const headers = { 'Idempotency-Key': 'decline-once' };

    const original = dynamo.send.bind(dynamo);
    let lost = false;
    vi.spyOn(dynamo, 'send').mockImplementation((async (command: any, ...rest: unknown[]) => {
      const result = await (original as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
      if (!lost && command.constructor.name === 'TransactWriteCommand') {
        lost = true;
        throw Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' });
      }
      return result;
    }) as never);
    const first = await stack.postEvent(caseId, body, [`team-${team}`], headers);
    vi.restoreAllMocks();
    expect(lost).toBe(true);
    expect(first.status).toBe(500);

    const retry = await stack.postEvent(caseId, body, [`team-${team}`], headers);

    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ caseId, team, assignment: 'declined' });
  });
});
