import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditListSchema,
  caseEventResultSchema,
  caseViewSchema,
  workListSchema,
} from '../../shared/cases/schemas.js';
import { CONTRACT_EXAMPLE_NUMBER, uniqueIdentityNumber } from '../helpers/identity-numbers.js';
import { referralBody } from '../helpers/referrals.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

let stack: TestStack;

const MUNICIPALITY = ['agency-municipality'];
const INSURANCE = ['agency-social-insurance'];
const LABOUR = ['team-labour-market-unit'];
const PARTNER = ['team-partner-programmes'];
const FRONT_DESK = ['team-front-desk'];
const EMPLOYMENT_TEAM = ['team-employment-service'];
const ADMIN = ['admins'];

beforeAll(async () => {
  stack = await startTestStack();
  stack.startConsumer();
});
afterAll(async () => {
  await stack?.stop();
});

/** Submits a referral and waits until its case is routed. */
async function routedCase(body = referralBody('municipality'), groups = MUNICIPALITY) {
  const accepted = await stack.submit(body, groups);
  expect(accepted.status).toBe(202);
  const view = await stack.waitForStatus(accepted.body.referralId, 'ROUTED', groups);
  expect(view.body.status).toBe('ROUTED');
  return {
    referralId: accepted.body.referralId as string,
    caseId: accepted.body.caseId as string,
    view: view.body,
  };
}

const event = (type: string, team: string, extra: Record<string, unknown> = {}) => ({ type, team, ...extra });

async function waitForMessage(team: string, caseId: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await stack.drain(stack.teamQueue(team))).filter((message) => message.caseId === caseId);
    if (found.length > 0) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return [];
}

describe('the closed loop', () => {
  it('lets teams accept, start and close a case, and the referrer sees every step and the outcome', async () => {
    const { referralId, caseId } = await routedCase(
      referralBody('municipality', {
        person: { personalIdentityNumber: CONTRACT_EXAMPLE_NUMBER },
        situation: { financialAssistanceMonths: 10, workCapacityHoursPerWeek: 20 },
        reason: 'Vill börja arbeta.',
      }),
    );

    const list = await stack.listCases(LABOUR, { team: 'labour-market-unit' });
    expect(list.status).toBe(200);
    workListSchema.parse(list.body);
    expect(list.body.items).toContainEqual(
      expect.objectContaining({ caseId, status: 'ROUTED', team: 'labour-market-unit' }),
    );
    expect(JSON.stringify(list.body)).not.toContain('19901211');

    const read = await stack.getCase(caseId, LABOUR);
    expect(read.status).toBe(200);
    caseViewSchema.parse(read.body);
    expect(read.body.person.personalIdentityNumber).toBe('199012119948');
    expect(read.body.referrals).toEqual([
      expect.objectContaining({ referralId, reason: 'Vill börja arbeta.' }),
    ]);
    expect(read.body.assignments.map((a: { team: string }) => a.team).sort()).toEqual([
      'labour-market-unit',
      'partner-programmes',
    ]);

    const accepted = await stack.postEvent(caseId, event('accepted', 'labour-market-unit'), LABOUR);
    expect(accepted.status).toBe(200);
    expect(caseEventResultSchema.parse(accepted.body)).toMatchObject({
      status: 'IN_PROGRESS',
      assignment: 'accepted',
    });
    expect((await stack.getReferral(referralId, MUNICIPALITY)).body.status).toBe('IN_PROGRESS');

    await stack.postEvent(caseId, event('intervention-started', 'labour-market-unit'), LABOUR);
    await stack.postEvent(
      caseId,
      event('declined', 'partner-programmes', { reason: 'Inget program i dag.' }),
      PARTNER,
    );
    const closed = await stack.postEvent(
      caseId,
      event('closed', 'labour-market-unit', { outcome: 'employment' }),
      LABOUR,
    );
    expect(closed.body).toMatchObject({ status: 'CLOSED', assignment: 'closed' });

    const seen = await stack.getReferral(referralId, MUNICIPALITY);
    expect(seen.body.status).toBe('CLOSED');
    expect(
      seen.body.history.map((step: { event: string; team?: string; outcome?: string }) => [
        step.event,
        step.team,
        step.outcome,
      ]),
    ).toEqual([
      ['received', undefined, undefined],
      ['routed', 'labour-market-unit', undefined],
      ['routed', 'partner-programmes', undefined],
      ['accepted', 'labour-market-unit', undefined],
      ['intervention-started', 'labour-market-unit', undefined],
      ['declined', 'partner-programmes', undefined],
      ['closed', 'labour-market-unit', 'employment'],
    ]);
    // The decline reason is for staff: the referrer does not see it.
    expect(JSON.stringify(seen.body)).not.toContain('Inget program');

    // A closed case releases the person: the next referral opens a new case.
    const again = await stack.submit(
      referralBody('municipality', { person: { personalIdentityNumber: CONTRACT_EXAMPLE_NUMBER } }),
      MUNICIPALITY,
    );
    expect(again.body).toMatchObject({ attachedToExistingCase: false });
    expect(again.body.caseId).not.toBe(caseId);
  });

  it('sends the case to the front desk with a message when the last team declines', async () => {
    const { caseId, referralId } = await routedCase(
      referralBody('municipality', { situation: { financialAssistanceMonths: 12 } }),
    );

    const declined = await stack.postEvent(
      caseId,
      event('declined', 'labour-market-unit', { reason: 'Fel kommun.' }),
      LABOUR,
    );

    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ status: 'ROUTED', assignment: 'declined' });
    expect(await waitForMessage('front-desk', caseId)).toHaveLength(1);
    const frontDeskList = await stack.listCases(FRONT_DESK, { team: 'front-desk', status: 'ROUTED' });
    expect(frontDeskList.body.items.map((item: { caseId: string }) => item.caseId)).toContain(caseId);
    // The team that declined has left: the case is off its list and closed to it.
    const labourList = await stack.listCases(LABOUR, { team: 'labour-market-unit' });
    expect(labourList.body.items.map((item: { caseId: string }) => item.caseId)).not.toContain(caseId);
    expect((await stack.getCase(caseId, LABOUR)).status).toBe(404);
    const history = (await stack.getReferral(referralId, MUNICIPALITY)).body.history;
    expect(history.at(-1)).toMatchObject({ event: 'routed', team: 'front-desk' });
  });
});

describe('the partner view', () => {
  it('shows a non-profit partner no identity number, no health information and only its own part', async () => {
    const personalIdentityNumber = uniqueIdentityNumber();
    const { caseId } = await routedCase(
      referralBody('social-insurance', {
        person: { personalIdentityNumber, accessibilityNeeds: 'Rullstol' },
        situation: {
          sickLeaveMonths: 14,
          compensation: 'sickness-benefit',
          disability: true,
          workCapacityHoursPerWeek: 15,
        },
        reason: 'Utmattningssyndrom.',
      }),
      INSURANCE,
    );

    const partner = await stack.getCase(caseId, PARTNER);

    expect(partner.status).toBe(200);
    caseViewSchema.parse(partner.body);
    const text = JSON.stringify(partner.body);
    for (const hidden of [
      personalIdentityNumber.slice(0, 8),
      'sickLeaveMonths',
      'compensation',
      'disability',
      'TG5',
      'Utmattning',
      'Rullstol',
    ]) {
      expect(text, hidden).not.toContain(hidden);
    }
    expect(partner.body.person).toMatchObject({ givenName: 'Anna', familyName: 'Exempel' });
    expect(partner.body.assignments.map((a: { team: string }) => a.team)).toEqual(['partner-programmes']);
    expect(partner.body.screening.routes).toEqual(['partner-programmes']);

    const full = await stack.getCase(caseId, ['team-social-insurance']);
    expect(full.body.screening.targetGroups).toContain('TG5');
    expect(full.body.referrals[0].situation).toMatchObject({ sickLeaveMonths: 14, disability: true });

    const list = await stack.listCases(PARTNER, { team: 'partner-programmes' });
    const item = list.body.items.find((entry: { caseId: string }) => entry.caseId === caseId);
    expect(item.targetGroups).not.toContain('TG5');
  });
});

describe('the audit trail', () => {
  it('records every read and change of a case: who, role, team and when, for administrators only', async () => {
    const { caseId } = await routedCase();
    await stack.getCase(caseId, LABOUR, 'labour-user-1');
    await stack.getCase(caseId, FRONT_DESK, 'coordinator-1');
    await stack.postEvent(caseId, event('accepted', 'labour-market-unit'), LABOUR);

    const audit = await stack.call('get-case-audit', {
      resource: '/cases/{caseId}/audit',
      pathParameters: { caseId },
      groups: ADMIN,
    });

    expect(audit.status).toBe(200);
    // The referring officer's status reads are there too.
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({ action: 'read-referral', groups: MUNICIPALITY }),
    );
    const trail = auditListSchema.parse(audit.body).items.filter((entry) => entry.action !== 'read-referral');
    expect(trail).toEqual([
      expect.objectContaining({ action: 'referral-submitted', groups: MUNICIPALITY, at: expect.any(String) }),
      expect.objectContaining({
        action: 'read',
        subject: 'labour-user-1',
        groups: LABOUR,
        team: 'labour-market-unit',
        at: expect.any(String),
      }),
      expect.objectContaining({ action: 'read', subject: 'coordinator-1', groups: FRONT_DESK }),
      expect.objectContaining({ action: 'accepted', team: 'labour-market-unit' }),
    ]);
    const byTeam = await stack.call('get-case-audit', {
      resource: '/cases/{caseId}/audit',
      pathParameters: { caseId },
      groups: LABOUR,
    });
    expect(byTeam.status).toBe(403);
  });
});

describe('acting on a case', () => {
  it('lets only one of two simultaneous accepts win', async () => {
    const { caseId } = await routedCase();
    const [first, second] = await Promise.all([
      stack.postEvent(caseId, event('accepted', 'labour-market-unit'), LABOUR),
      stack.postEvent(caseId, event('accepted', 'labour-market-unit'), LABOUR),
    ]);
    expect([first!.status, second!.status].sort()).toEqual([200, 409]);
    const read = await stack.getCase(caseId, LABOUR);
    expect(read.body.history.filter((step: { event: string }) => step.event === 'accepted')).toHaveLength(1);
  });

  it('answers a retried event with the first answer and applies it once', async () => {
    const { caseId } = await routedCase();
    const headers = { 'Idempotency-Key': `accept-${caseId}` };
    const first = await stack.postEvent(caseId, event('accepted', 'labour-market-unit'), LABOUR, headers);
    const retry = await stack.postEvent(caseId, event('accepted', 'labour-market-unit'), LABOUR, headers);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    const changed = await stack.postEvent(
      caseId,
      event('declined', 'labour-market-unit', { reason: 'x' }),
      LABOUR,
      headers,
    );
    expect(changed.status).toBe(409);
    const read = await stack.getCase(caseId, LABOUR);
    expect(read.body.history.filter((step: { event: string }) => step.event === 'accepted')).toHaveLength(1);
  });

  it('refuses bad events with a clear 4xx and writes nothing', async () => {
    const { caseId } = await routedCase();
    const before = (await stack.getCase(caseId, LABOUR)).body.version;
    const cases: [unknown, string[], number][] = [
      [event('closed', 'labour-market-unit', { outcome: 'employment' }), LABOUR, 409], // not accepted yet
      [event('declined', 'labour-market-unit'), LABOUR, 400], // no reason
      [event('closed', 'labour-market-unit'), LABOUR, 400], // no outcome
      [event('reopened', 'labour-market-unit'), LABOUR, 400],
      [{ ...event('accepted', 'labour-market-unit'), status: 'CLOSED' }, LABOUR, 400],
      [event('accepted', 'labour-market-unit', { expectedVersion: before - 1 }), LABOUR, 409],
      [event('accepted', 'front-desk'), FRONT_DESK, 409], // front desk may read, but the case is not routed to it
      [event('accepted', 'labour-market-unit'), FRONT_DESK, 403], // not a member of that team
      [event('accepted', 'labour-market-unit'), MUNICIPALITY, 403],
      [event('accepted', 'employment-service'), EMPLOYMENT_TEAM, 404], // not routed there: not theirs
    ];
    for (const [body, groups, status] of cases) {
      const response = await stack.postEvent(caseId, body, groups);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.headers['content-type']).toBe('application/problem+json');
    }
    expect(
      (
        await stack.postEvent(
          '00000000-0000-4000-8000-000000000000',
          event('accepted', 'labour-market-unit'),
          LABOUR,
        )
      ).status,
    ).toBe(404);
    expect((await stack.getCase(caseId, LABOUR)).body.version).toBe(before);
  });
});

describe('random events', () => {
  it('never answer 5xx, whatever the body', async () => {
    const { caseId } = await routedCase();
    const body = fc.oneof(
      fc.anything(),
      fc.record(
        {
          type: fc.oneof(
            fc.constantFrom('accepted', 'declined', 'intervention-started', 'closed'),
            fc.string(),
          ),
          team: fc.oneof(
            fc.constantFrom('labour-market-unit', '__proto__', 'constructor'),
            fc.string({ unit: 'binary' }),
          ),
          reason: fc.oneof(fc.string({ unit: 'binary' }), fc.anything()),
          outcome: fc.oneof(fc.constantFrom('employment', 'studies'), fc.anything()),
          expectedVersion: fc.oneof(fc.integer(), fc.double(), fc.anything()),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const response = await stack.postEvent(caseId, JSON.stringify(value) ?? 'null', LABOUR);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 120 },
    );
  });
});

describe('the work list', () => {
  it('lists high priority first, then the oldest, a page at a time, filtered by status', async () => {
    const team = 'social-insurance';
    const groups = ['team-social-insurance'];
    const normal1 = await routedCase(
      referralBody('social-insurance', { situation: { sickLeaveMonths: 13 } }),
      INSURANCE,
    );
    const normal2 = await routedCase(
      referralBody('social-insurance', { situation: { sickLeaveMonths: 14 } }),
      INSURANCE,
    );
    const high = await routedCase(
      referralBody('social-insurance', { situation: { sickLeaveMonths: 30 } }),
      INSURANCE,
    );
    await stack.postEvent(normal2.caseId, event('accepted', team), groups);

    const all = await stack.listCases(groups, { team });
    const ids = all.body.items.map((item: { caseId: string }) => item.caseId);
    expect(ids.indexOf(high.caseId)).toBeLessThan(ids.indexOf(normal1.caseId));
    expect(ids.indexOf(normal1.caseId)).toBeLessThan(ids.indexOf(normal2.caseId));
    expect(all.body.items[ids.indexOf(high.caseId)]).toMatchObject({ priority: 'high', status: 'ROUTED' });

    const routedOnly = await stack.listCases(groups, { team, status: 'ROUTED' });
    expect(routedOnly.body.items.map((item: { caseId: string }) => item.caseId)).not.toContain(
      normal2.caseId,
    );
    const received = await stack.listCases(groups, { team, status: 'RECEIVED' });
    expect(received.body).toEqual({ items: [], nextCursor: null });
    const inProgress = await stack.listCases(groups, { team, status: 'IN_PROGRESS' });
    expect(inProgress.body.items.map((item: { caseId: string }) => item.caseId)).toEqual([normal2.caseId]);

    const first = await stack.listCases(groups, { team, limit: '2' });
    const second = await stack.listCases(groups, { team, limit: '2', cursor: first.body.nextCursor });
    expect(first.body.items).toHaveLength(2);
    expect(
      [...first.body.items, ...second.body.items].map((item: { caseId: string }) => item.caseId),
    ).toEqual(ids.slice(0, 4));

    const wrongCursor = await stack.listCases(ADMIN, { team: 'front-desk', cursor: first.body.nextCursor });
    expect(wrongCursor.status).toBe(400);
  });

  it('refuses bad queries with 400 naming the parameter', async () => {
    for (const [query, path] of [
      [{ team: 'social-insurance', status: 'OPEN' }, 'status'],
      [{ team: 'social-insurance', limit: '0' }, 'limit'],
      [{ team: 'social-insurance', extra: '1' }, 'extra'],
    ] as const) {
      const response = await stack.listCases(['team-social-insurance'], query);
      expect(response.status).toBe(400);
      expect(response.body.errors[0].path).toBe(path);
    }
    expect((await stack.listCases(ADMIN, {})).body.errors[0].path).toBe('team');
    expect((await stack.listCases(ADMIN, { team: 'police' })).body.errors[0].path).toBe('team');
  });
});
