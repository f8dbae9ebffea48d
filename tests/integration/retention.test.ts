import { DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referralBody } from '../helpers/referrals.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

/** Retention set to zero months: a closed case's personal data is due the moment it closes. */
let stack: TestStack;
const MUNICIPALITY = ['agency-municipality'];
const LABOUR = ['team-labour-market-unit'];

beforeAll(async () => {
  stack = await startTestStack({ env: { RETENTION_MONTHS: '0' } });
  stack.startConsumer();
});
afterAll(async () => {
  await stack?.stop();
});

describe('retention', () => {
  it('stops returning an expired closed case, marks its personal data for removal, and keeps anonymous facts', async () => {
    const body = referralBody('municipality', {
      person: { givenName: 'Retentia', familyName: 'Gallringsson' },
      situation: { financialAssistanceMonths: 30 },
      reason: 'Gallras efter stängning.',
    });
    const accepted = await stack.submit(body, MUNICIPALITY);
    const { referralId, caseId } = accepted.body;
    await stack.waitForStatus(referralId, 'ROUTED', MUNICIPALITY);
    await stack.postEvent(caseId, { type: 'accepted', team: 'labour-market-unit' }, LABOUR);
    const closed = await stack.postEvent(
      caseId,
      { type: 'closed', team: 'labour-market-unit', outcome: 'studies' },
      LABOUR,
    );
    expect(closed.body.status).toBe('CLOSED');
    const closedAt = Math.floor(Date.now() / 1000);

    expect((await stack.getCase(caseId, LABOUR)).status).toBe(404);
    expect((await stack.getReferral(referralId, MUNICIPALITY)).status).toBe(404);
    const referrals = await stack.call('list-referrals', { resource: '/referrals', groups: MUNICIPALITY });
    expect(referrals.body.items.map((item: { referralId: string }) => item.referralId)).not.toContain(
      referralId,
    );
    const closedWork = await stack.listCases(LABOUR, { team: 'labour-market-unit', status: 'CLOSED' });
    expect(closedWork.body.items.map((item: { caseId: string }) => item.caseId)).not.toContain(caseId);

    // DynamoDB's TTL removes the items themselves: in AWS within days of expiry. DynamoDB Local's TTL
    // does not delete items that sit in a secondary index (measured), so here the test checks that
    // every item holding the person's data is marked to go at closing + retention, and the table's TTL.
    const personal = (await stack.items()).filter((item) => {
      const pk = item.pk?.S ?? '';
      return (
        (pk === `CASE#${caseId}` && !item.sk?.S?.startsWith('AUDIT#')) || pk === `REFERRAL#${referralId}`
      );
    });
    expect(personal.map((item) => item.sk?.S).sort()).toEqual([
      'CASE',
      'REFERRAL',
      'TEAM#labour-market-unit',
    ]);
    for (const item of personal) {
      expect(Number(item.expiresAt?.N), item.sk?.S).toBeLessThanOrEqual(closedAt + 1);
      expect(Number(item.expiresAt?.N), item.sk?.S).toBeGreaterThan(closedAt - 60);
    }
    const { TimeToLiveDescription } = await stack.dynamo.send(
      new DescribeTimeToLiveCommand({ TableName: stack.tableName }),
    );
    expect(TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });

    const facts = (await stack.items()).find((item) => item.pk?.S === `STATS#${caseId}`);
    expect(facts).toBeDefined();
    expect(facts?.expiresAt).toBeUndefined();
    const anonymous = JSON.stringify(facts);
    for (const secret of [
      'Retentia',
      'Gallringsson',
      'Gallras',
      body.person.personalIdentityNumber.replace('-', '').slice(0, 8),
    ]) {
      expect(anonymous).not.toContain(secret);
    }
    expect(facts?.targetGroups?.L?.map((group) => group.S)).toEqual(['TG4']);
    expect(facts?.legalGender?.S).toMatch(/^(male|female)$/);
    expect(facts?.teams?.L?.[0]?.M?.outcome?.S).toBe('studies');
  });
});
