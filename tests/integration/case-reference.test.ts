import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseViewSchema, teamMessageSchema, workListSchema } from '../../shared/cases/schemas.js';
import { referralListSchema, referralViewSchema } from '../../shared/referrals/views.js';
import { swedishDateOf } from '../../shared/time.js';
import { referralBody } from '../helpers/referrals.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

/** CONTRACT.md v1.1, "Case reference and search": a reference people can read out on the phone. */
let stack: TestStack;
const MUNICIPALITY = ['agency-municipality'];
const LABOUR = ['team-labour-market-unit'];
const REFERENCE = /^FD-(\d{4})-(\d{5})$/;

beforeAll(async () => {
  stack = await startTestStack();
  stack.startConsumer();
});
afterAll(async () => {
  await stack?.stop();
});

describe('the case reference', () => {
  it('gives 50 cases opened at once 50 distinct numbers that count up without a gap', async () => {
    const accepted = await Promise.all(
      Array.from({ length: 50 }, () => stack.submit(referralBody('municipality'), MUNICIPALITY)),
    );
    expect(accepted.map((response) => response.status)).toEqual(Array(50).fill(202));
    const references = await Promise.all(
      accepted.map(
        async (response) => (await stack.getReferral(response.body.referralId, MUNICIPALITY)).body.reference,
      ),
    );
    const year = swedishDateOf(new Date()).slice(0, 4);
    const numbers = references.map((reference: string) => {
      const match = REFERENCE.exec(reference);
      expect(match?.[1]).toBe(year);
      return Number(match?.[2]);
    });
    expect(new Set(numbers).size).toBe(50);
    const sorted = [...numbers].sort((a, b) => a - b);
    expect(sorted.at(-1)! - sorted[0]!).toBe(49);
  });

  it('stands in every view, list item and queue message of the case', async () => {
    const accepted = await stack.submit(referralBody('municipality'), MUNICIPALITY);
    const view = referralViewSchema.parse(
      (await stack.waitForStatus(accepted.body.referralId, 'ROUTED', MUNICIPALITY)).body,
    );
    expect(view.reference).toMatch(REFERENCE);

    const whole = caseViewSchema.parse((await stack.getCase(view.caseId, LABOUR)).body);
    expect(whole.reference).toBe(view.reference);
    const list = workListSchema.parse(
      (await stack.listCases(LABOUR, { team: 'labour-market-unit', limit: '100' })).body,
    );
    expect(list.items.find((item) => item.caseId === view.caseId)?.reference).toBe(view.reference);
    const referrals = referralListSchema.parse(
      (
        await stack.call('list-referrals', {
          resource: '/referrals',
          groups: MUNICIPALITY,
          query: { limit: '5' },
        })
      ).body,
    );
    expect(referrals.items.find((item) => item.caseId === view.caseId)).toMatchObject({
      reference: view.reference,
      person: { givenName: 'Anna', familyName: 'Exempel' },
    });
    const [message] = await stack.messagesFor('labour-market-unit', view.caseId);
    expect(teamMessageSchema.parse(message).reference).toBe(view.reference);
  });
});
