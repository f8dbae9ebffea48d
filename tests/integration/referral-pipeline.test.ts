import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referralAcceptedSchema, referralViewSchema } from '../../shared/referrals/views.js';
import { CONTRACT_EXAMPLE_NUMBER, uniqueIdentityNumber } from '../helpers/identity-numbers.js';
import { referralBody } from '../helpers/referrals.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  stack.startConsumer();
});
afterAll(async () => {
  await stack?.stop();
});

const EMPLOYMENT = ['agency-employment-service'];
const MUNICIPALITY = ['agency-municipality'];
const INSURANCE = ['agency-social-insurance'];

/** Waits until the team queue has received `count` messages for the case, and returns them. */
async function messagesFor(team: string, caseId: string, count = 1, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  const found: any[] = [];
  while (Date.now() < deadline) {
    found.push(...(await stack.drain(stack.teamQueue(team))));
    const mine = found.filter((message) => message.caseId === caseId);
    if (mine.length >= count) return mine;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return found.filter((message) => message.caseId === caseId);
}

describe('a referral from submission to the team queue', () => {
  it('is accepted with 202 and a Location, screened, routed and announced to the team without personal data', async () => {
    const body = referralBody('employment-service', {
      person: {
        personalIdentityNumber: CONTRACT_EXAMPLE_NUMBER,
        givenName: 'Kanarie',
        familyName: 'Fågelsson',
      },
      situation: {
        unemployedMonths: 14,
        unemploymentInsuranceExhausted: true,
        jobAndDevelopmentGuarantee: false,
      },
      reason: 'Behöver stöd att komma tillbaka till arbete.',
    });

    const accepted = await stack.submit(body, EMPLOYMENT);

    expect(accepted.status).toBe(202);
    expect(referralAcceptedSchema.parse(accepted.body)).toMatchObject({
      status: 'RECEIVED',
      attachedToExistingCase: false,
    });
    expect(accepted.headers.location).toBe(`/referrals/${accepted.body.referralId}`);

    const view = await stack.waitForStatus(accepted.body.referralId, 'ROUTED', EMPLOYMENT);
    expect(view.status).toBe(200);
    const referral = referralViewSchema.parse(view.body);
    expect(referral).toMatchObject({
      referralId: accepted.body.referralId,
      caseId: accepted.body.caseId,
      agency: 'employment-service',
      status: 'ROUTED',
      screening: {
        eligible: true,
        targetGroups: ['TG1'],
        priority: 'normal',
        jointAssessment: false,
        routes: ['employment-service'],
        rulesetVersion: 'timra-2026.1',
      },
    });
    expect(referral.history.map((step) => [step.event, step.team])).toEqual([
      ['received', undefined],
      ['routed', 'employment-service'],
    ]);

    const [message] = await messagesFor('employment-service', accepted.body.caseId);
    expect(message).toEqual({
      type: 'case.routed',
      messageId: expect.any(String),
      caseId: accepted.body.caseId,
      reference: view.body.reference,
      team: 'employment-service',
      priority: 'normal',
      targetGroups: ['TG1'],
      jointAssessment: false,
      routedAt: expect.any(String),
      rulesetVersion: 'timra-2026.1',
    });
    const raw = JSON.stringify(message);
    for (const secret of ['19901211', '9948', 'Kanarie', 'Fågelsson', 'Behöver'])
      expect(raw).not.toContain(secret);
  });

  it('joins the open case of a person referred again, and messages only the newly routed teams', async () => {
    const personalIdentityNumber = uniqueIdentityNumber();
    const first = await stack.submit(
      referralBody('employment-service', {
        person: { personalIdentityNumber },
        situation: { unemployedMonths: 3, jobAndDevelopmentGuarantee: true },
      }),
      EMPLOYMENT,
    );
    await stack.waitForStatus(first.body.referralId, 'ROUTED', EMPLOYMENT);
    expect(await messagesFor('employment-service', first.body.caseId)).toHaveLength(1);

    // The municipality refers the same person, writing the number in its ten-digit form.
    await stack.stopConsumer();
    const second = await stack.submit(
      referralBody('municipality', {
        person: { personalIdentityNumber: personalIdentityNumber.slice(2) },
        situation: { financialAssistanceMonths: 10 },
      }),
      MUNICIPALITY,
    );
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ caseId: first.body.caseId, attachedToExistingCase: true });
    // Until the case is screened again with it, the new referral is received, not yet screened.
    const beforeScreening = await stack.getReferral(second.body.referralId, MUNICIPALITY);
    expect(beforeScreening.body).toMatchObject({ status: 'RECEIVED', screening: null });
    expect((await stack.getReferral(first.body.referralId, EMPLOYMENT)).body.status).toBe('ROUTED');
    stack.startConsumer();

    const labour = await messagesFor('labour-market-unit', first.body.caseId);
    const frontDesk = await messagesFor('front-desk', first.body.caseId);
    expect(labour).toHaveLength(1);
    expect(frontDesk).toHaveLength(1);
    expect(labour[0]).toMatchObject({
      priority: 'high',
      jointAssessment: true,
      targetGroups: ['TG2', 'TG4'],
    });

    const view = await stack.waitForStatus(second.body.referralId, 'ROUTED', MUNICIPALITY);
    expect(view.body.screening).toMatchObject({
      targetGroups: ['TG2', 'TG4'],
      priority: 'high',
      jointAssessment: true,
      // The municipality follows the front desk and the team its own referral routes to, not the
      // employment service's part of the case.
      routes: ['labour-market-unit', 'front-desk'],
    });
    // The employment service was routed already: it gets no second message.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await stack.drain(stack.teamQueue('employment-service'))).not.toContainEqual(
      expect.objectContaining({ caseId: first.body.caseId }),
    );
    // Each agency sees its own referral's receipt, not the other's.
    expect(view.body.history.filter((step: { event: string }) => step.event === 'received')).toHaveLength(1);
  });

  it('keeps one case per person when three agencies refer at the same moment', async () => {
    const personalIdentityNumber = uniqueIdentityNumber();
    const bodies = [
      [referralBody('employment-service', { person: { personalIdentityNumber } }), EMPLOYMENT],
      [referralBody('municipality', { person: { personalIdentityNumber } }), MUNICIPALITY],
      [referralBody('social-insurance', { person: { personalIdentityNumber } }), INSURANCE],
      [referralBody('employment-service', { person: { personalIdentityNumber } }), EMPLOYMENT],
      [referralBody('municipality', { person: { personalIdentityNumber } }), MUNICIPALITY],
    ] as const;

    const responses = await Promise.all(bodies.map(([body, groups]) => stack.submit(body, [...groups])));

    expect(responses.map((response) => response.status)).toEqual([202, 202, 202, 202, 202]);
    const caseIds = new Set(responses.map((response) => response.body.caseId));
    expect(caseIds.size).toBe(1);
    expect(responses.filter((response) => !response.body.attachedToExistingCase)).toHaveLength(1);

    // The case is screened again as referrals join; wait for the screening that has seen them all.
    const everyGroup = ['TG1', 'TG2', 'TG4', 'TG5'];
    const caseId = [...caseIds][0]!;
    const deadline = Date.now() + 15_000;
    let whole = await stack.getCase(caseId, ['team-front-desk']);
    while (whole.body.screening?.targetGroups.length !== everyGroup.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      whole = await stack.getCase(caseId, ['team-front-desk']);
    }
    expect(whole.body.screening.targetGroups).toEqual(everyGroup);
    // The employment service does not learn of the sick leave the social insurance agency reported.
    const view = await stack.getReferral(responses[0]!.body.referralId, EMPLOYMENT);
    expect(view.body.screening.targetGroups).toEqual(['TG1', 'TG2', 'TG4']);
    for (const team of ['employment-service', 'labour-market-unit', 'social-insurance', 'front-desk']) {
      const deadline = Date.now() + 10_000;
      let messages: any[] = [];
      while (messages.length === 0 && Date.now() < deadline)
        messages = await messagesFor(team, [...caseIds][0]!, 1, 2000);
      // Delivery is at least once: a repeat carries the same messageId, for teams to de-duplicate on.
      expect(new Set(messages.map((message) => message.messageId)).size, team).toBe(1);
    }
  });

  it('sends a non-resident person to the front desk with the reason', async () => {
    const accepted = await stack.submit(
      referralBody('municipality', {
        person: { municipalityCode: '0180' },
        situation: { financialAssistanceMonths: 12 },
      }),
      MUNICIPALITY,
    );
    const view = await stack.waitForStatus(accepted.body.referralId, 'ROUTED', MUNICIPALITY);
    expect(view.body.screening).toMatchObject({ eligible: false, routes: ['front-desk'] });
    expect(view.body.screening.reasons.map((reason: { code: string }) => reason.code)).toContain(
      'not-resident',
    );
    expect(await messagesFor('front-desk', accepted.body.caseId)).toHaveLength(1);
  });
});

describe('Idempotency-Key', () => {
  it('returns the first answer again for the same key and body, and creates nothing', async () => {
    const body = referralBody('employment-service');
    const headers = { 'Idempotency-Key': 'agency-system-request-0001' };
    const first = await stack.submit(body, EMPLOYMENT, headers);
    // Referrals and cases: what a replay must not create (routing adds work-list items on its own time).
    const stored = async () =>
      (await stack.items()).filter((item) => item.pk?.S?.startsWith('REFERRAL#') || item.sk?.S === 'CASE')
        .length;
    const storedAfterFirst = await stored();

    const again = await stack.submit(JSON.parse(JSON.stringify(body)), EMPLOYMENT, headers);

    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(await stored()).toBe(storedAfterFirst);
  });

  it('answers 409 when the same key comes with another body', async () => {
    const headers = { 'Idempotency-Key': 'agency-system-request-0002' };
    await stack.submit(referralBody('employment-service'), EMPLOYMENT, headers);

    const changed = await stack.submit(referralBody('employment-service'), EMPLOYMENT, headers);

    expect(changed.status).toBe(409);
    expect(changed.headers['content-type']).toBe('application/problem+json');
  });

  it('keeps keys apart per agency', async () => {
    const headers = { 'Idempotency-Key': 'shared-key' };
    const fromEmployment = await stack.submit(referralBody('employment-service'), EMPLOYMENT, headers);
    const fromMunicipality = await stack.submit(referralBody('municipality'), MUNICIPALITY, headers);
    expect(fromMunicipality.status).toBe(202);
    expect(fromMunicipality.body.referralId).not.toBe(fromEmployment.body.referralId);
  });

  it('answers one referral to a burst of retries with the same key', async () => {
    const body = referralBody('social-insurance');
    const headers = { 'Idempotency-Key': 'burst-0001' };
    const responses = await Promise.all([1, 2, 3, 4].map(() => stack.submit(body, INSURANCE, headers)));
    expect(responses.map((response) => response.status)).toEqual([202, 202, 202, 202]);
    expect(new Set(responses.map((response) => response.body.referralId)).size).toBe(1);
  });

  it('refuses a key that is not 1–128 printable characters', async () => {
    const response = await stack.submit(referralBody(), EMPLOYMENT, { 'Idempotency-Key': 'x'.repeat(129) });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ path: 'Idempotency-Key' })]);
  });
});

describe('reading referrals', () => {
  it('lists the agency’s own referrals newest first, a page at a time', async () => {
    const own = await stack.call('list-referrals', {
      resource: '/referrals',
      groups: INSURANCE,
      query: { limit: '2' },
    });
    expect(own.status).toBe(200);
    expect(own.body.items).toHaveLength(2);
    expect(own.body.items.every((item: { agency: string }) => item.agency === 'social-insurance')).toBe(true);
    const [newer, older] = own.body.items as { submittedAt: string }[];
    expect(newer!.submittedAt >= older!.submittedAt).toBe(true);

    const next = await stack.call('list-referrals', {
      resource: '/referrals',
      groups: INSURANCE,
      query: { limit: '2', cursor: own.body.nextCursor },
    });
    expect(next.status).toBe(200);
    const firstIds = own.body.items.map((item: { referralId: string }) => item.referralId);
    for (const item of next.body.items) expect(firstIds).not.toContain(item.referralId);
  });

  it('answers 404 for another agency’s referral, as for one that does not exist', async () => {
    const accepted = await stack.submit(referralBody('employment-service'), EMPLOYMENT);
    const foreign = await stack.getReferral(accepted.body.referralId, MUNICIPALITY);
    const missing = await stack.getReferral('00000000-0000-4000-8000-000000000000', MUNICIPALITY);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
  });

  it('refuses a cursor it did not give out, and a cursor of another agency', async () => {
    const employment = await stack.call('list-referrals', {
      resource: '/referrals',
      groups: EMPLOYMENT,
      query: { limit: '1' },
    });
    for (const cursor of ['not-a-cursor', employment.body.nextCursor]) {
      const response = await stack.call('list-referrals', {
        resource: '/referrals',
        groups: MUNICIPALITY,
        query: { cursor },
      });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ path: 'cursor' })]);
    }
  });

  it('refuses roles that do not refer: 403 for a team, 401 without a token', async () => {
    const team = await stack.call('list-referrals', {
      resource: '/referrals',
      groups: ['team-employment-service'],
    });
    const anonymous = await stack.call('list-referrals', { resource: '/referrals', groups: null });
    const submitByTeam = await stack.submit(referralBody(), ['team-front-desk']);
    expect([team.status, anonymous.status, submitByTeam.status]).toEqual([403, 401, 403]);
  });
});
