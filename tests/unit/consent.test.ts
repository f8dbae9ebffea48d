import { describe, expect, it } from 'vitest';
import { caseConsent, consentWakeAt, teamMayRead, teamsToWithdraw } from '../../shared/cases/consent.js';
import { joinCase, mergePerson, openCase } from '../../shared/cases/intake.js';
import type { CaseRecord, ReferralRecord } from '../../shared/cases/model.js';
import { messageTargetGroups } from '../../shared/cases/visibility.js';
import { DEFAULT_DEPLOYMENT } from '../../shared/config/deployment.js';
import { referralView } from '../../shared/referrals/views.js';
import { applyScreening } from '../../shared/routing/route-case.js';
import { DEFAULT_RULESET } from '../../shared/screening/default-ruleset.js';
import { screenCase } from '../../shared/screening/screen-case.js';
import { testIdentityNumber } from '../helpers/identity-numbers.js';

const AT = '2026-11-20T09:00:00.000Z';
const LATER = '2026-11-21T09:00:00.000Z';
const PIN = testIdentityNumber('1985-06-15').replace('-', '');
let ids = 0;
const newId = () => `id-${++ids}`;

type Options = Partial<Omit<ReferralRecord, 'caseId' | 'person'>> & {
  person?: Partial<ReferralRecord['person']>;
};
function referral(options: Options = {}): Omit<ReferralRecord, 'caseId'> {
  const { person, ...rest } = options;
  return {
    referralId: newId(),
    agency: 'employment-service',
    submittedAt: AT,
    submittedBy: 'officer',
    person: {
      personalIdentityNumber: PIN,
      givenName: 'Anna',
      familyName: 'Exempel',
      municipalityCode: '2262',
      ...person,
    },
    consent: { given: true, recordedAt: '2026-11-20' },
    situation: {
      unemployedMonths: 14,
      unemploymentInsuranceExhausted: true,
      jobAndDevelopmentGuarantee: true,
      workCapacityHoursPerWeek: 20,
    },
    ...rest,
  };
}

/** Screens and routes a case as the screening step does. */
function screened(record: CaseRecord, at = AT): CaseRecord {
  const decision = screenCase(
    { personalIdentityNumber: PIN, municipalityCode: '2262', referrals: record.referrals },
    DEFAULT_RULESET,
    DEFAULT_DEPLOYMENT,
    new Date(at),
  );
  return applyScreening(record, decision, 'front-desk', {
    newId,
    policy: { restrictedTeams: ['partner-programmes'], ruleset: DEFAULT_RULESET },
  });
}

const routedCase = (options: Options = {}) =>
  screened(openCase('case-1', 'key', referral(options), 'FD-2026-00001'));

describe('the consent of a case', () => {
  it('is the consent of its most recent referral', () => {
    const record = joinCase(
      routedCase(),
      referral({ submittedAt: LATER, consent: { given: true, recordedAt: '2026-11-21', recipients: [] } }),
    );
    expect(caseConsent(record)).toEqual({ recipients: [], validUntil: undefined });
  });

  it('covers the front desk always, and other teams only while valid and named', () => {
    const record = routedCase({
      consent: {
        given: true,
        recordedAt: '2026-11-20',
        recipients: ['employment-service'],
        validUntil: '2026-11-30',
      },
    });
    const on = (day: string) => new Date(`${day}T12:00:00Z`);
    expect(teamMayRead(record, 'employment-service', on('2026-11-30'), 'front-desk')).toBe(true);
    expect(teamMayRead(record, 'employment-service', on('2026-12-01'), 'front-desk')).toBe(false);
    expect(teamMayRead(record, 'front-desk', on('2027-06-01'), 'front-desk')).toBe(true);
    expect(teamMayRead(record, 'labour-market-unit', on('2026-11-25'), 'front-desk')).toBe(false);
  });

  it('runs out at midnight Swedish time, not UTC', () => {
    const record = routedCase({
      consent: { given: true, recordedAt: '2026-11-20', validUntil: '2026-11-30' },
    });
    // 23:30 UTC on the 30th is already 1 December in Sweden.
    expect(teamMayRead(record, 'employment-service', new Date('2026-11-30T22:30:00Z'), 'front-desk')).toBe(
      true,
    );
    expect(teamMayRead(record, 'employment-service', new Date('2026-11-30T23:30:00Z'), 'front-desk')).toBe(
      false,
    );
  });

  it('wakes the re-drive the day after validUntil while a team other than the front desk holds the case', () => {
    const record = routedCase({
      consent: { given: true, recordedAt: '2026-11-20', validUntil: '2026-11-30' },
    });
    expect(consentWakeAt(record, 'front-desk')).toBe('2026-12-01T00:00:00.000Z');
    expect(consentWakeAt(routedCase(), 'front-desk')).toBeUndefined();
  });
});

describe('withdrawal', () => {
  it('ends the assignments a narrower consent does not cover, with a history step and one message each', () => {
    const routed = { ...routedCase(), outbox: [] };
    expect(Object.keys(routed.assignments).sort()).toEqual([
      'employment-service',
      'front-desk',
      'partner-programmes',
    ]);

    const joined = joinCase(
      routed,
      referral({
        agency: 'municipality',
        submittedAt: LATER,
        consent: { given: true, recordedAt: '2026-11-21', recipients: ['labour-market-unit'] },
        situation: { financialAssistanceMonths: 10 },
      }),
    );

    expect(joined.assignments['employment-service']).toMatchObject({
      state: 'withdrawn',
      withdrawnAt: LATER,
      withdrawnReason: 'consent-not-covering',
    });
    expect(joined.assignments['partner-programmes']?.state).toBe('withdrawn');
    expect(joined.assignments['front-desk']?.state).toBe('routed');
    expect(joined.outbox).toEqual([
      expect.objectContaining({
        type: 'case.withdrawn',
        team: 'employment-service',
        reason: 'consent-not-covering',
      }),
      expect.objectContaining({
        type: 'case.withdrawn',
        team: 'partner-programmes',
        reason: 'consent-not-covering',
      }),
    ]);
    expect(joined.history.filter((step) => step.event === 'consent-withdrawn')).toHaveLength(2);
    expect(teamsToWithdraw(joined, new Date(LATER), 'front-desk')).toEqual([]);

    // Screening the joined case routes the newly covered team and withdraws nothing twice.
    const rescreened = screened(joined, LATER);
    expect(rescreened.outbox.filter((message) => message.type === 'case.withdrawn')).toHaveLength(2);
    expect(rescreened.assignments['labour-market-unit']?.state).toBe('routed');
  });

  it('gives a case no team is left on to the front desk, even one that declined it before', () => {
    const record = routedCase({
      situation: {
        unemployedMonths: 14,
        unemploymentInsuranceExhausted: true,
        jobAndDevelopmentGuarantee: false,
      },
    });
    expect(Object.keys(record.assignments)).toEqual(['employment-service']);
    const declinedBefore: CaseRecord = {
      ...record,
      assignments: {
        ...record.assignments,
        'front-desk': { team: 'front-desk', state: 'declined', routedAt: AT, declinedAt: AT },
      },
    };
    const expired = joinCase(
      declinedBefore,
      referral({
        submittedAt: LATER,
        consent: { given: true, recordedAt: '2025-01-01', validUntil: '2025-06-01' },
      }),
    );
    expect(expired.assignments['employment-service']).toMatchObject({
      state: 'withdrawn',
      withdrawnReason: 'consent-expired',
    });
    expect(expired.assignments['front-desk']?.state).toBe('routed');
    expect(expired.status).toBe('ROUTED');
  });
});

describe('the person of a case', () => {
  it('keeps what an earlier referral gave when a later one leaves it out', () => {
    const known = referral({
      person: {
        phone: '070-123 45 67',
        email: 'a@example.se',
        interpreterNeeded: true,
        accessibilityNeeds: 'Ramp',
      },
    }).person;
    const stated = referral({ person: { familyName: 'Nytt' } }).person;
    expect(mergePerson(known, stated)).toEqual({ ...known, familyName: 'Nytt' });
    expect(mergePerson(known, { ...stated, interpreterNeeded: false }).interpreterNeeded).toBe(false);
  });
});

describe('what each party sees', () => {
  it('names no health-related target group on a restricted team’s queue', () => {
    const policy = { restrictedTeams: ['partner-programmes'], ruleset: DEFAULT_RULESET };
    expect(messageTargetGroups(['TG1', 'TG3', 'TG5'], 'partner-programmes', policy)).toEqual(['TG1']);
    expect(messageTargetGroups(['TG1', 'TG3', 'TG5'], 'social-insurance', policy)).toEqual([
      'TG1',
      'TG3',
      'TG5',
    ]);
  });

  it("shows a referrer neither another agency's health group nor its team's steps", () => {
    const insurance = referral({
      agency: 'social-insurance',
      situation: { sickLeaveMonths: 13, compensation: 'sickness-benefit' },
    });
    const municipality = referral({
      agency: 'municipality',
      submittedAt: LATER,
      situation: { financialAssistanceMonths: 4 },
    });
    const record = screened(
      joinCase(screened(openCase('case-2', 'key', insurance, 'FD-2026-00002')), municipality),
      LATER,
    );
    expect(record.screening?.targetGroups).toEqual(['TG5']);

    const context = { ruleset: DEFAULT_RULESET, deployment: DEFAULT_DEPLOYMENT };
    const view = referralView({ ...municipality, caseId: 'case-2' }, record, context);
    // Eligible beside an emptied list would give TG5 away: the municipality's own facts speak.
    expect(view.screening).toMatchObject({ eligible: false, targetGroups: [] });
    expect(view.screening?.reasons.map((reason) => reason.code)).toContain('no-target-group');
    expect(JSON.stringify(view)).not.toMatch(/TG5|social-insurance/);

    const own = referralView({ ...insurance, caseId: 'case-2' }, record, context);
    expect(own.screening?.targetGroups).toEqual(['TG5']);
    expect(own.history.some((step) => step.team === 'social-insurance')).toBe(true);
  });
});
