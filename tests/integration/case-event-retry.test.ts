import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamo } from '../../shared/clients.js';
import { referralBody } from '../helpers/referrals.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

/**
 * Found by tests/integration/fault-injection.test.ts. A team posts a case event with an
 * Idempotency-Key; the transaction commits but its answer is lost (a timeout after the write): the
 * client gets a 500 and retries with the same key and body. The retry answers the first answer
 * (200), not what the first attempt's own write would now make of it:
 * - a decline: 404 "No such case" (a team that has declined no longer reads the case);
 * - any event with `expectedVersion`: 409 "The case has changed" (the first attempt moved the version).
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

/** Lets every call through, but makes the first TransactWrite's answer get lost (a timeout after the write). */
function loseFirstTransactionAnswer() {
  const original = dynamo.send.bind(dynamo);
  const state = { lost: false };
  vi.spyOn(dynamo, 'send').mockImplementation((async (command: any, ...rest: unknown[]) => {
    const result = await (original as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
    if (!state.lost && command.constructor.name === 'TransactWriteCommand') {
      state.lost = true;
      throw Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' });
    }
    return result;
  }) as never);
  return state;
}

/**
 * Posts the event once with its answer lost on the way (the transaction was stored, the caller got
 * a 500), then again with the same Idempotency-Key, and returns the retry's answer.
 */
async function retriedAfterLostAnswer(caseId: string, team: string, body: object, key: string) {
  const headers = { 'Idempotency-Key': key };
  const state = loseFirstTransactionAnswer();
  const first = await stack.postEvent(caseId, body, [`team-${team}`], headers);
  vi.restoreAllMocks();
  expect(state.lost).toBe(true);
  expect(first.status).toBe(500);
  return stack.postEvent(caseId, body, [`team-${team}`], headers);
}

describe('an event with expectedVersion whose answer was lost', () => {
  it('answers the stored answer to a retry with the same Idempotency-Key, not 409', async () => {
    const accepted = await stack.submit(referralBody('employment-service'), ['agency-employment-service']);
    await stack.waitForStatus(accepted.body.referralId, 'ROUTED');
    const caseId = accepted.body.caseId as string;
    const team = 'employment-service';
    const read = await stack.getCase(caseId, [`team-${team}`]);
    const body = { type: 'accepted', team, expectedVersion: read.body.version };

    const retry = await retriedAfterLostAnswer(caseId, team, body, 'accept-once');

    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ caseId, team, assignment: 'accepted' });
  });
});

describe('a decline whose answer was lost', () => {
  it('answers the stored answer to a retry with the same Idempotency-Key, not 404', async () => {
    const accepted = await stack.submit(referralBody('employment-service'), ['agency-employment-service']);
    const routed = await stack.waitForStatus(accepted.body.referralId, 'ROUTED');
    expect(routed.body.status).toBe('ROUTED');
    const caseId = accepted.body.caseId as string;
    const team = 'employment-service';
    const body = { type: 'declined', team, reason: 'Not for us' };

    const retry = await retriedAfterLostAnswer(caseId, team, body, 'decline-once');

    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ caseId, team, assignment: 'declined' });
  });
});
