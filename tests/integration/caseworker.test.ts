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
    const { caseId, referralId } = await labourCase();
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
    // The referring officer sees who to call.
    const followed = await stack.getReferral(referralId, MUNICIPALITY);
    expect(followed.body.contacts).toEqual([
      { team: 'labour-market-unit', assignee: { id: 'handlaggare-1', name: expect.any(String) } },
    ]);
    const routedOnly = await stack.call('list-referrals', {
      resource: '/referrals',
      groups: MUNICIPALITY,
      query: { status: 'ROUTED', limit: '100' },
    });
    expect(routedOnly.body.items.every((item: { status: string }) => item.status === 'ROUTED')).toBe(true);
    expect(routedOnly.body.items.map((item: { caseId: string }) => item.caseId)).toContain(caseId);
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

  it("puts a case given to a colleague by sign-in name in the colleague's own list", async () => {
    const { caseId } = await labourCase();
    const given = await stack.call('post-case-event', {
      method: 'POST',
      resource: '/cases/{caseId}/events',
      pathParameters: { caseId },
      body: { type: 'assigned', team: 'labour-market-unit', assignee: 'kollega.k' },
      groups: LABOUR,
      username: 'handlaggare.h',
    });
    expect(given.status).toBe(200);
    // The colleague signs in: `sub` is an opaque id, the sign-in name is what was typed.
    const theirs = await stack.call('list-cases', {
      resource: '/cases',
      groups: LABOUR,
      username: 'kollega.k',
      query: { team: 'labour-market-unit', assignee: 'me', limit: '100' },
    });
    expect(workListSchema.parse(theirs.body).items.map((item) => item.caseId)).toContain(caseId);
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

describe('the work list', () => {
  it('lists declined work apart, filters by target group, and sorts by waiting time or reference', async () => {
    const { caseId } = await labourCase();
    const second = await labourCase();
    const list = async (query: Record<string, string>, groups = LABOUR) => {
      const response = await stack.listCases(groups, {
        team: groups[0]!.slice('team-'.length),
        limit: '100',
        ...query,
      });
      expect(response.status).toBe(200);
      return workListSchema.parse(response.body).items;
    };
    expect((await list({ targetGroup: 'TG4' })).map((item) => item.caseId)).toContain(caseId);
    expect((await list({ targetGroup: 'TG1' })).map((item) => item.caseId)).not.toContain(caseId);

    const waiting = (await list({ sort: 'waiting' })).map((item) => item.waitingSince);
    expect(waiting).toEqual([...waiting].sort());
    const references = (await list({ sort: 'reference' })).map((item) => item.reference);
    expect(references).toEqual([...references].sort());

    const declined = await stack.postEvent(
      second.caseId,
      { type: 'declined', team: 'labour-market-unit', reason: 'Fel målgrupp.' },
      LABOUR,
    );
    expect(declined.status).toBe(200);
    const declinedList = await list({ status: 'DECLINED' });
    expect(declinedList.map((item) => item.caseId)).toEqual([
      second.caseId,
      ...declinedList.slice(1).map((item) => item.caseId),
    ]);
    expect(declinedList[0]).toMatchObject({ status: 'DECLINED', declinedAt: expect.any(String) });
    expect((await list({ status: 'CLOSED' })).map((item) => item.caseId)).not.toContain(second.caseId);
    expect((await list({})).map((item) => item.caseId)).not.toContain(second.caseId);
  });

  it("says why a case is in the front desk's queue, and keeps its waiting time through a decline", async () => {
    const accepted = await stack.submit(
      referralBody('municipality', { situation: { financialAssistanceMonths: 10 } }),
      MUNICIPALITY,
    );
    const view = await stack.waitForStatus(accepted.body.referralId, 'ROUTED', MUNICIPALITY);
    const caseId = view.body.caseId;
    await stack.postEvent(
      caseId,
      { type: 'declined', team: 'labour-market-unit', reason: 'Fel målgrupp.' },
      LABOUR,
    );
    const frontDesk = await stack.listCases(FRONT_DESK, { team: 'front-desk', limit: '100' });
    const item = workListSchema.parse(frontDesk.body).items.find((entry) => entry.caseId === caseId);
    expect(item).toMatchObject({
      frontDeskReason: 'declined-by-every-team',
      waitingSince: view.body.submittedAt,
    });

    const ineligible = await stack.submit(
      referralBody('municipality', { person: { municipalityCode: '0180' } }),
      MUNICIPALITY,
    );
    const routed = await stack.waitForStatus(ineligible.body.referralId, 'ROUTED', MUNICIPALITY);
    const again = workListSchema.parse(
      (await stack.listCases(FRONT_DESK, { team: 'front-desk', limit: '100' })).body,
    );
    expect(again.items.find((entry) => entry.caseId === routed.body.caseId)?.frontDeskReason).toBe(
      'not-eligible',
    );
  });

  it('never lets a restricted team filter on a health-related target group', async () => {
    const response = await stack.listCases(PARTNER, { team: 'partner-programmes', targetGroup: 'TG5' });
    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([]);
  });
});

describe('following a referral', () => {
  it('answers 304 to a poll whose copy is current, and writes no audit entry for it', async () => {
    const { caseId, referralId } = await labourCase();
    const first = await stack.getReferral(referralId, MUNICIPALITY);
    const tag = String(first.headers.etag);
    expect(tag).toMatch(/^W\/"/);
    const audits = async () =>
      (
        await stack.call('get-case-audit', {
          resource: '/cases/{caseId}/audit',
          pathParameters: { caseId },
          groups: ADMIN,
          query: { limit: '100' },
        })
      ).body.items.filter((entry: { action: string }) => entry.action === 'read-referral').length;
    const before = await audits();
    const poll = await stack.call('get-referral', {
      resource: '/referrals/{referralId}',
      pathParameters: { referralId },
      groups: MUNICIPALITY,
      headers: { 'If-None-Match': tag },
    });
    expect(poll.status).toBe(304);
    expect(await audits()).toBe(before);

    await stack.postEvent(caseId, { type: 'accepted', team: 'labour-market-unit' }, LABOUR);
    const changed = await stack.call('get-referral', {
      resource: '/referrals/{referralId}',
      pathParameters: { referralId },
      groups: MUNICIPALITY,
      headers: { 'If-None-Match': tag },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(tag);
    expect(await audits()).toBe(before + 1);
  });
});
