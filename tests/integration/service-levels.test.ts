import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseViewSchema, teamMessageSchema, workListSchema } from '../../shared/cases/schemas.js';
import { referralBody } from '../helpers/referrals.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

/**
 * CONTRACT.md v1.1, "Service levels and escalation": with FRONTDESK_ACCEPT_WITHIN=PT1S every team
 * has one second to accept; the sweep (the scheduled re-drive) escalates each late team once.
 */
let stack: TestStack;
const MUNICIPALITY = ['agency-municipality'];
const LABOUR = ['team-labour-market-unit'];
const FRONT_DESK = ['team-front-desk'];

beforeAll(async () => {
  stack = await startTestStack({ env: { FRONTDESK_ACCEPT_WITHIN: 'PT1S' } });
  stack.startConsumer();
});
afterAll(async () => {
  await stack?.stop();
});

async function labourCase() {
  const accepted = await stack.submit(referralBody('municipality'), MUNICIPALITY);
  const view = await stack.waitForStatus(accepted.body.referralId, 'ROUTED', MUNICIPALITY);
  return view.body.caseId as string;
}

const labourItem = async (caseId: string, query: Record<string, string> = {}) => {
  const list = await stack.listCases(LABOUR, { team: 'labour-market-unit', limit: '100', ...query });
  return workListSchema.parse(list.body).items.find((item) => item.caseId === caseId);
};

describe('service levels', () => {
  it('gives each routed team a due time, and marks it overdue once it has passed', async () => {
    const caseId = await labourCase();
    const item = await labourItem(caseId);
    expect(item?.dueAt).toEqual(expect.any(String));
    expect(Date.parse(item!.dueAt!) - Date.parse(item!.routedAt)).toBe(1000);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await labourItem(caseId))?.overdue).toBe(true);
    expect(await labourItem(caseId, { overdue: 'true' })).toBeDefined();
    const whole = caseViewSchema.parse((await stack.getCase(caseId, FRONT_DESK)).body);
    expect(whole.assignments.find((a) => a.team === 'labour-market-unit')?.overdue).toBe(true);

    await stack.postEvent(caseId, { type: 'accepted', team: 'labour-market-unit' }, LABOUR);
    expect((await labourItem(caseId))?.overdue).toBe(false);
    expect(await labourItem(caseId, { overdue: 'true' })).toBeUndefined();
  });

  it('escalates a late team to the front desk exactly once, however many sweeps run at once', async () => {
    const caseId = await labourCase();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await Promise.all([stack.redrive(), stack.redrive(), stack.redrive()]);

    const messages = await stack.messagesFor('front-desk', caseId, 1);
    expect(messages).toHaveLength(1);
    const escalated = teamMessageSchema.parse(messages[0]);
    expect(escalated).toMatchObject({
      type: 'case.escalated',
      caseId,
      reference: expect.stringMatching(/^FD-/),
      team: 'labour-market-unit',
    });

    await Promise.all([stack.redrive(), stack.redrive()]);
    expect(await stack.messagesFor('front-desk', caseId, 1, 2000)).toHaveLength(0);
    const whole = caseViewSchema.parse((await stack.getCase(caseId, FRONT_DESK)).body);
    expect(whole.history.filter((step) => step.event === 'escalated')).toEqual([
      expect.objectContaining({ team: 'labour-market-unit' }),
    ]);
  });
});
