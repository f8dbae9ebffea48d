import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchReferral } from '../../bench/lib/referral-body.js';
import { recordSqsRequests, requestsByKind } from '../../bench/lib/sqs-recorder.js';
import { recordWrites } from '../../bench/lib/write-recorder.js';
import { costPerReferral, sharedWrites, totals, whyOf } from '../../bench/writes.js';
import { dynamo, sqs } from '../../shared/clients.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

/**
 * The bench's write ledger (section 4 of `npm run bench`) as a deterministic test: which items one
 * keyed referral for a new person writes, in which requests, and the write units they cost by
 * AWS's rules, from the POST to the last team's message. Not a test of timing: of what is written.
 * A change that writes another item, or a bigger one, fails here and must say why in the ledger.
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function routedCase(caseId: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const item = (await stack.items()).find(
      (candidate) => candidate.pk?.S === `CASE#${caseId}` && candidate.sk?.S === 'CASE',
    );
    if (item?.status?.S === 'ROUTED' && item.outbox?.L?.length === 0) return item;
    if (Date.now() > deadline) throw new Error(`Case ${caseId} was not routed and delivered in time`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the write ledger of one referral', () => {
  it('writes the referral with its case, then the screening with three work-list entries, then clears the outbox', async () => {
    const writes = recordWrites(dynamo);
    const requests = recordSqsRequests([sqs, stack.sqs]);
    stack.startConsumer();

    const accepted = await stack.submit(benchReferral(1), ['agency-employment-service'], {
      'Idempotency-Key': 'ledger-1',
    });
    expect(accepted.status).toBe(202);
    const { referralId, caseId } = accepted.body;
    await routedCase(caseId);
    await stack.stopConsumer();
    writes.stop();
    requests.stop();

    const costs = costPerReferral(
      writes.writes,
      [{ referralId, caseId, attachedToExistingCase: false }],
      await stack.items(),
    );
    expect(costs).toHaveLength(1);
    const ledger = costs[0]!.writes;
    expect(ledger.map((write) => write.signature)).toEqual([
      'TransactWriteItems: Put PERSON/OPEN_CASE + Put CASE + Put CASE/AUDIT + Put REFERRAL',
      'TransactWriteItems: Put CASE + Put CASE/TEAM + Put CASE/TEAM + Put CASE/TEAM + Update AGG/case',
      'PutItem: Put CASE',
    ]);
    // The case reference is the only write no referral's item names.
    const shared = sharedWrites(writes.writes, costs, 0);
    expect(shared).toEqual([
      { signature: expect.stringMatching(/^UpdateItem: Update COUNTER\/\d{4}$/), perReferral: 1, units: 1 },
    ]);
    // Every write is named with why it is there (the bench prints it beside its units).
    for (const write of [...ledger, ...shared]) {
      expect(whyOf(write.signature), write.signature).not.toBe('–');
    }
    // No separate idempotency record: the referral's id comes from the key, its item keeps the hash.
    expect(ledger.every((write) => !write.signature.includes('IDEMPOTENCY'))).toBe(true);

    const sums = totals(costs);
    const sharedUnits = shared.reduce((total, write) => total + write.units, 0);
    const byAws = sums.unitsReplaceRule.median + sums.indexUnits.median + sharedUnits;
    console.info(
      `write ledger: ${ledger.map((write) => `${write.signature} = ${write.unitsReplaceRule} WCU + index ${JSON.stringify(write.indexUnits)}`).join('; ')}; ` +
        `case reference ${sharedUnits}; ${byAws} WCU in all`,
    );
    // A ceiling, not the aim (10): the ledger may only go down from here.
    expect(byAws).toBeLessThanOrEqual(40);

    // SQS: one message per routed team, and one hand-over to screening (sent, received, deleted once).
    const teamQueues = new Set(stack.deployment.teams.map((team) => stack.teamQueue(team)));
    const kinds = requestsByKind(
      requests.requests.filter((request) => request.command !== 'ReceiveMessage' || request.messages! > 0),
      (queue) => (teamQueues.has(queue) ? 'team' : queue === stack.screeningQueue ? 'screening' : queue),
    );
    expect(Object.fromEntries(kinds)).toEqual({
      'DeleteMessageBatch screening': 1,
      'ReceiveMessage screening': 1,
      'SendMessage screening': 1,
      'SendMessage team': 3,
    });
  });
});
