import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseViewSchema, workListSchema } from '../../shared/cases/schemas.js';
import { referralBody } from '../helpers/referrals.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

/** CONTRACT.md v1.1, "Case reference and search": a caseworker takes a case and keeps a journal of it. */
let stack: TestStack;
const MUNICIPALITY = ['agency-municipality'];
const LABOUR = ['team-labour-market-unit'];
const EMPLOYMENT_TEAM = ['team-employment-service'];
const FRONT_DESK = ['team-front-desk'];
const PARTNER = ['team-partner-programmes'];
const ADMIN = ['admins'];

beforeAll(async () => {
  stack = await startTestStack();
  stack.startConsumer();
});
afterAll(async () => {
  await stack?.stop();
});

/** A case routed to the labour-market unit (TG4) and the front desk, with the partner (work capacity). */
async function labourCase() {
  const accepted = await stack.submit(
    referralBody('municipality', {
      situation: { financialAssistanceMonths: 10, workCapacityHoursPerWeek: 20 },
    }),
    MUNICIPALITY,
  );
  const view = await stack.waitForStatus(accepted.body.referralId, 'ROUTED', MUNICIPALITY);
  return { caseId: view.body.caseId as string, referralId: accepted.body.referralId as string };
}

const assign = (caseId: string, body: Record<string, unknown>, groups: string[], subject: string) =>
  stack.call('post-case-event', {
    method: 'POST',
    resource: '/cases/{caseId}/events',
    pathParameters: { caseId },
    body: { type: 'assigned', ...body },
    groups,
    subject,
  });

const myList = async (subject: string, assignee = 'me') => {
  const response = await stack.call('list-cases', {
    resource: '/cases',
    groups: LABOUR,
    subject,
    query: { team: 'labour-market-unit', assignee, limit: '100' },
  });
  expect(response.status).toBe(200);
  return workListSchema.parse(response.body).items;
};

describe('assignment', () => {
  it("names the team's caseworker, shows it on the case and in the caller's own list", async () => {
    const { caseId } = await labourCase();
    const taken = await assign(
      caseId,
      { team: 'labour-market-unit', assignee: 'me' },
      LABOUR,
      'handlaggare-1',
    );
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ assignment: 'routed' });

    const whole = caseViewSchema.parse((await stack.getCase(caseId, FRONT_DESK)).body);
    expect(whole.assignments.find((a) => a.team === 'labour-market-unit')?.assignee).toEqual({
      id: 'handlaggare-1',
      name: expect.any(String),
    });
    const mine = await myList('handlaggare-1');
    expect(mine.map((item) => item.caseId)).toContain(caseId);
    expect(mine.find((item) => item.caseId === caseId)?.assignee?.id).toBe('handlaggare-1');
    expect((await myList('handlaggare-2')).map((item) => item.caseId)).not.toContain(caseId);

    // Given to a colleague: the colleague's list, not the first caseworker's.
    const given = await assign(
      caseId,
      { team: 'labour-market-unit', assignee: 'kollega.k' },
      LABOUR,
      'handlaggare-1',
    );
    expect(given.status).toBe(200);
    expect((await myList('kollega.k')).map((item) => item.caseId)).toContain(caseId);
    expect((await myList('handlaggare-1')).map((item) => item.caseId)).not.toContain(caseId);
  });

  it('is refused for another team, without an assignee, and once the team has closed', async () => {
    const { caseId } = await labourCase();
    expect(
      (await assign(caseId, { team: 'labour-market-unit', assignee: 'me' }, EMPLOYMENT_TEAM, 'x')).status,
    ).toBe(403);
    const missing = await assign(caseId, { team: 'labour-market-unit' }, LABOUR, 'x');
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ path: 'assignee' })]);
    for (const type of ['accepted', 'closed'])
      expect(
        (
          await stack.postEvent(
            caseId,
            { type, team: 'labour-market-unit', outcome: type === 'closed' ? 'employment' : undefined },
            LABOUR,
          )
        ).status,
      ).toBe(200);
    expect((await assign(caseId, { team: 'labour-market-unit', assignee: 'me' }, LABOUR, 'x')).status).toBe(
      409,
    );
  });
});

describe('notes', () => {
  it("keeps a team's dated journal, seen by the team, the front desk and admins, never by the referrer", async () => {
    const { caseId, referralId } = await labourCase();
    const text = 'Ringde klienten, möte bokat på tisdag.';
    const added = await stack.postNote(caseId, { team: 'labour-market-unit', text }, LABOUR, 'handlaggare-1');
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ team: 'labour-market-unit', text, author: { id: 'handlaggare-1' } });
    expect(added.body.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    for (const groups of [LABOUR, FRONT_DESK, ADMIN]) {
      const view = caseViewSchema.parse((await stack.getCase(caseId, groups)).body);
      expect(
        view.notes.map((note) => note.text),
        groups[0],
      ).toEqual([text]);
    }
    const partner = caseViewSchema.parse((await stack.getCase(caseId, PARTNER)).body);
    expect(partner.notes).toEqual([]);
    const referral = await stack.getReferral(referralId, MUNICIPALITY);
    expect(JSON.stringify(referral.body)).not.toContain('möte bokat');
  });

  it('is refused for a team that does not hold the case, a non-member, and empty or long text', async () => {
    const { caseId } = await labourCase();
    expect(
      (await stack.postNote(caseId, { team: 'employment-service', text: 'x' }, EMPLOYMENT_TEAM)).status,
    ).toBe(404);
    expect(
      (await stack.postNote(caseId, { team: 'labour-market-unit', text: 'x' }, EMPLOYMENT_TEAM)).status,
    ).toBe(403);
    for (const text of ['', 'x'.repeat(4001)]) {
      const refused = await stack.postNote(caseId, { team: 'labour-market-unit', text }, LABOUR);
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'text' })]);
    }
  });

  it("goes with the case's personal data when the case closes (the retention TTL)", async () => {
    const { caseId } = await labourCase();
    await stack.postNote(caseId, { team: 'labour-market-unit', text: 'Anteckning.' }, LABOUR);
    for (const [team, groups] of [
      ['labour-market-unit', LABOUR],
      ['partner-programmes', PARTNER],
    ] as const) {
      await stack.postEvent(caseId, { type: 'accepted', team }, [...groups]);
      await stack.postEvent(caseId, { type: 'closed', team, outcome: 'employment' }, [...groups]);
    }
    const items = await stack.items();
    const note = items.find((item) => item.pk?.S === `CASE#${caseId}` && item.sk?.S?.startsWith('NOTE#'));
    expect(Number(note?.expiresAt?.N)).toBeGreaterThan(Date.now() / 1000);
  });
});
