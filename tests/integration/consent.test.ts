import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { caseViewSchema, teamMessageSchema, workListSchema } from '../../shared/cases/schemas.js';
import { referralViewSchema } from '../../shared/referrals/views.js';
import { swedishDateOf } from '../../shared/time.js';
import { uniqueIdentityNumber } from '../helpers/identity-numbers.js';
import { referralBody } from '../helpers/referrals.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

/**
 * CONTRACT.md v1.1, "Consent over the case's life" and "What each party sees": each test is one
 * finding of issue 8, reproduced from outside through the real handlers on the real engines.
 */
let stack: TestStack;

const EMPLOYMENT = ['agency-employment-service'];
const MUNICIPALITY = ['agency-municipality'];
const INSURANCE = ['agency-social-insurance'];
const FRONT_DESK = ['team-front-desk'];
const EMPLOYMENT_TEAM = ['team-employment-service'];
const INSURANCE_TEAM = ['team-social-insurance'];
const LABOUR = ['team-labour-market-unit'];
const PARTNER = ['team-partner-programmes'];

beforeAll(async () => {
  stack = await startTestStack();
  stack.startConsumer();
});
afterAll(async () => {
  await stack?.stop();
});
afterEach(() => {
  vi.useRealTimers();
});

const DAY = 24 * 60 * 60 * 1000;
const dateIn = (days: number) => swedishDateOf(new Date(Date.now() + days * DAY));

/** The employment service refers a new person in TG1 and TG2 with work capacity: three teams. */
const employmentReferral = (personalIdentityNumber: string, consent: Record<string, unknown> = {}) =>
  referralBody('employment-service', {
    person: { personalIdentityNumber },
    situation: { workCapacityHoursPerWeek: 20 },
    consent,
  });

async function submitAndRoute(body: unknown, groups: string[]) {
  const accepted = await stack.submit(body, groups);
  expect(accepted.status).toBe(202);
  const view = await stack.waitForStatus(accepted.body.referralId, 'ROUTED', groups);
  expect(view.body.status).toBe('ROUTED');
  return { referralId: accepted.body.referralId as string, caseId: accepted.body.caseId as string };
}

const onList = async (groups: string[], team: string, caseId: string) => {
  const list = await stack.listCases(groups, { team });
  expect(list.status).toBe(200);
  return workListSchema.parse(list.body).items.some((item) => item.caseId === caseId);
};

describe('consent over the case life', () => {
  it('takes the case from teams a narrower consent of a later referral no longer covers', async () => {
    const personalIdentityNumber = uniqueIdentityNumber();
    const first = await submitAndRoute(employmentReferral(personalIdentityNumber), EMPLOYMENT);
    const routed = await stack.getCase(first.caseId, FRONT_DESK);
    expect(routed.body.screening.routes).toEqual(['employment-service', 'front-desk', 'partner-programmes']);
    for (const team of ['employment-service', 'partner-programmes', 'front-desk'])
      expect(await stack.messagesFor(team, first.caseId)).toHaveLength(1);

    const second = await stack.submit(
      referralBody('municipality', {
        person: { personalIdentityNumber, givenName: 'Nyanamn' },
        consent: { recipients: ['labour-market-unit'] },
      }),
      MUNICIPALITY,
    );
    expect(second.body).toMatchObject({ caseId: first.caseId, attachedToExistingCase: true });

    // At once, before screening has run again: no read, no event, no place on the work list.
    for (const [team, groups] of [
      ['employment-service', EMPLOYMENT_TEAM],
      ['partner-programmes', PARTNER],
    ] as const) {
      const read = await stack.getCase(first.caseId, [...groups]);
      expect(read.status, team).toBe(404);
      expect(read.body.type).toBe('urn:frontdesk:problem:consent-withdrawn');
      expect(JSON.stringify(read.body)).not.toContain('Nyanamn');
      expect(await onList([...groups], team, first.caseId), team).toBe(false);
      const accept = await stack.postEvent(first.caseId, { type: 'accepted', team }, [...groups]);
      expect(accept.status, team).toBe(404);
    }

    // Each team that lost the case is told once, in the contract's shape, so it can delete what it holds.
    for (const team of ['employment-service', 'partner-programmes']) {
      const [withdrawn, ...more] = await stack.messagesFor(team, first.caseId);
      expect(more).toHaveLength(0);
      expect(teamMessageSchema.parse(withdrawn)).toEqual({
        type: 'case.withdrawn',
        messageId: expect.any(String),
        caseId: first.caseId,
        reference: expect.stringMatching(/^FD-\d{4}-\d{5}$/),
        team,
        reason: 'consent-not-covering',
        withdrawnAt: expect.any(String),
      });
    }
    const labour = await stack.messagesFor('labour-market-unit', first.caseId);
    expect(labour).toMatchObject([{ type: 'case.routed', targetGroups: ['TG1', 'TG2', 'TG4'] }]);
    expect(await onList(LABOUR, 'labour-market-unit', first.caseId)).toBe(true);

    const whole = caseViewSchema.parse((await stack.getCase(first.caseId, FRONT_DESK)).body);
    expect(whole.assignments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ team: 'employment-service', state: 'withdrawn', status: 'WITHDRAWN' }),
        expect.objectContaining({ team: 'partner-programmes', state: 'withdrawn' }),
      ]),
    );
    const withdrawals = whole.history.filter((step) => step.event === 'consent-withdrawn');
    expect(withdrawals).toHaveLength(2);
    expect(withdrawals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ team: 'employment-service', reason: 'consent-not-covering' }),
        expect.objectContaining({ team: 'partner-programmes', reason: 'consent-not-covering' }),
      ]),
    );
    // Screening keeps saying why.
    const codes = whole.screening?.reasons.map((reason) => `${reason.code}:${reason.team ?? ''}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'consent-not-covering:employment-service',
        'consent-not-covering:partner-programmes',
      ]),
    );
  });

  it('takes the case from every team but the front desk once the consent has run out', async () => {
    const validUntil = dateIn(10);
    const first = await submitAndRoute(
      employmentReferral(uniqueIdentityNumber(), { validUntil }),
      EMPLOYMENT,
    );
    for (const team of ['employment-service', 'partner-programmes', 'front-desk'])
      await stack.messagesFor(team, first.caseId);
    expect((await stack.getCase(first.caseId, EMPLOYMENT_TEAM)).status).toBe(200);

    // Eleven days on: the consent ran out yesterday.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(new Date(Date.now() + 11 * DAY));

    // Every read treats it as expired, before any sweep.
    expect((await stack.getCase(first.caseId, EMPLOYMENT_TEAM)).status).toBe(404);
    expect((await stack.getCase(first.caseId, PARTNER)).status).toBe(404);
    expect(await onList(EMPLOYMENT_TEAM, 'employment-service', first.caseId)).toBe(false);
    expect((await stack.getCase(first.caseId, FRONT_DESK)).status).toBe(200);

    // The scheduled sweep (the re-drive) ends the assignments and tells the teams.
    await stack.redrive();
    for (const team of ['employment-service', 'partner-programmes']) {
      const messages = await stack.messagesFor(team, first.caseId);
      expect(messages).toMatchObject([{ type: 'case.withdrawn', reason: 'consent-expired', team }]);
    }
    const whole = caseViewSchema.parse((await stack.getCase(first.caseId, FRONT_DESK)).body);
    expect(whole.history.filter((step) => step.event === 'consent-withdrawn')).toHaveLength(2);
    expect(whole.screening?.reasons.map((reason) => reason.code)).toContain('consent-expired');
    expect(whole.assignments.find((a) => a.team === 'front-desk')?.state).toBe('routed');

    // Swept once: a second sweep sends nothing more.
    await stack.redrive();
    expect(await stack.messagesFor('employment-service', first.caseId, 1, 1500)).toHaveLength(0);
  });
});

describe('what each party sees', () => {
  it('tells a restricted team of no health-related target group, on its queue or in its views', async () => {
    const { caseId } = await submitAndRoute(
      referralBody('social-insurance', {
        situation: { sickLeaveMonths: 13, compensation: 'sickness-benefit', workCapacityHoursPerWeek: 15 },
      }),
      INSURANCE,
    );
    const [message] = await stack.messagesFor('partner-programmes', caseId);
    expect(message).toMatchObject({ type: 'case.routed', targetGroups: [] });
    const [insurance] = await stack.messagesFor('social-insurance', caseId);
    expect(insurance.targetGroups).toEqual(['TG5']);

    const view = await stack.getCase(caseId, PARTNER);
    expect(view.status).toBe(200);
    caseViewSchema.parse(view.body);
    expect(view.body.screening).not.toHaveProperty('eligible');
    const list = await stack.listCases(PARTNER, { team: 'partner-programmes' });
    for (const text of [JSON.stringify(view.body), JSON.stringify(list.body), JSON.stringify(message)]) {
      expect(text).not.toContain('TG5');
      expect(text).not.toMatch(/sickLeave|compensation|disability|social-insurance/);
    }
  });

  it("shows a referring agency no health facts that another agency's referral brought", async () => {
    const personalIdentityNumber = uniqueIdentityNumber();
    const insurance = await submitAndRoute(
      referralBody('social-insurance', {
        person: { personalIdentityNumber },
        situation: { sickLeaveMonths: 30, compensation: 'sickness-benefit' },
      }),
      INSURANCE,
    );
    for (const type of ['accepted', 'declined']) {
      const step = await stack.postEvent(
        insurance.caseId,
        { type, team: 'social-insurance', reason: 'Utanför uppdraget.' },
        INSURANCE_TEAM,
      );
      expect(step.status).toBe(200);
    }

    const municipality = await stack.submit(
      referralBody('municipality', {
        person: { personalIdentityNumber },
        situation: { financialAssistanceMonths: 10 },
      }),
      MUNICIPALITY,
    );
    expect(municipality.body.caseId).toBe(insurance.caseId);
    const view = await stack.waitForStatus(municipality.body.referralId, 'ROUTED', MUNICIPALITY);
    const referral = referralViewSchema.parse(view.body);
    expect(referral.screening?.targetGroups).toEqual(['TG4']);
    expect(JSON.stringify(referral)).not.toMatch(/TG5|social-insurance|[Ss]ick/);
    expect(referral.history.map((step) => step.team ?? null)).not.toContain('social-insurance');
    expect(referral.history.filter((step) => step.event === 'received')).toHaveLength(1);

    // The social insurance agency itself still sees what it brought.
    const own = referralViewSchema.parse((await stack.getReferral(insurance.referralId, INSURANCE)).body);
    expect(own.screening?.targetGroups).toContain('TG5');
  });

  it('keeps what an earlier referral said of the person when a later one leaves it out', async () => {
    const personalIdentityNumber = uniqueIdentityNumber();
    const full = {
      personalIdentityNumber,
      phone: '070-123 45 67',
      email: 'exempel@example.se',
      preferredLanguage: 'ar',
      interpreterNeeded: true,
      accessibilityNeeds: 'Behöver ramp',
    };
    const first = await submitAndRoute(referralBody('employment-service', { person: full }), EMPLOYMENT);
    const second = await stack.submit(
      referralBody('municipality', { person: { personalIdentityNumber, familyName: 'Nytt-Efternamn' } }),
      MUNICIPALITY,
    );
    expect(second.body.caseId).toBe(first.caseId);

    const whole = await stack.getCase(first.caseId, FRONT_DESK);
    expect(whole.body.person).toMatchObject({
      phone: full.phone,
      email: full.email,
      preferredLanguage: 'ar',
      interpreterNeeded: true,
      accessibilityNeeds: 'Behöver ramp',
      familyName: 'Nytt-Efternamn',
    });
    // Each referral keeps the person exactly as its agency sent it.
    const items = await stack.items();
    const stored = items.find((item) => item.pk?.S === `REFERRAL#${second.body.referralId}`);
    expect(stored?.person?.M).not.toHaveProperty('phone');
  });
});
