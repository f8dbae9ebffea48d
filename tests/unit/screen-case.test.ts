import { describe, expect, it } from 'vitest';
import { DEFAULT_DEPLOYMENT } from '../../shared/config/deployment.js';
import { DEFAULT_RULESET } from '../../shared/screening/default-ruleset.js';
import { reasonText } from '../../shared/screening/reason-text.js';
import { rulesetSchema, rulesetTeams } from '../../shared/screening/ruleset.js';
import { mergeSituations, type ScreeningReferral, screenCase } from '../../shared/screening/screen-case.js';
import { testIdentityNumber } from '../helpers/identity-numbers.js';

const NOW = new Date('2026-11-23T10:00:00Z');
/** 40 years old on NOW. */
const ADULT = testIdentityNumber('1986-05-01').replace('-', '');
const ageBornOn = (birth: string) => testIdentityNumber(birth).replace('-', '');

type Options = { pin?: string; municipalityCode?: string; referrals?: ScreeningReferral[] };
const referral = (
  situation: ScreeningReferral['situation'],
  extra: Partial<ScreeningReferral> = {},
): ScreeningReferral => ({
  agency: 'employment-service',
  submittedAt: '2026-11-20T09:00:00.000Z',
  situation,
  consent: {},
  ...extra,
});
const screen = (situation: ScreeningReferral['situation'], options: Options = {}) =>
  screenCase(
    {
      personalIdentityNumber: options.pin ?? ADULT,
      municipalityCode: options.municipalityCode ?? '2262',
      referrals: options.referrals ?? [referral(situation)],
    },
    DEFAULT_RULESET,
    DEFAULT_DEPLOYMENT,
    NOW,
  );
const codes = (decision: ReturnType<typeof screen>) => decision.reasons.map((reason) => reason.code);

describe('target groups', () => {
  it('places TG1 at 12 months unemployed with insurance exhausted, not at 11 or without exhaustion', () => {
    expect(screen({ unemployedMonths: 12, unemploymentInsuranceExhausted: true }).targetGroups).toEqual([
      'TG1',
    ]);
    expect(screen({ unemployedMonths: 11, unemploymentInsuranceExhausted: true }).targetGroups).toEqual([]);
    expect(screen({ unemployedMonths: 30, unemploymentInsuranceExhausted: false }).targetGroups).toEqual([]);
  });

  it('places TG2 in the guarantee unless assigned to a complementary actor', () => {
    expect(screen({ jobAndDevelopmentGuarantee: true }).targetGroups).toEqual(['TG2']);
    expect(
      screen({ jobAndDevelopmentGuarantee: true, assignedToComplementaryActor: true }).targetGroups,
    ).toEqual([]);
  });

  it('places TG3 at one month unemployed with a disability, not at zero', () => {
    expect(screen({ unemployedMonths: 1, disability: true }).targetGroups).toEqual(['TG3']);
    expect(screen({ unemployedMonths: 0, disability: true }).targetGroups).toEqual([]);
  });

  it('places TG4 at more than 8 months of financial assistance, not at exactly 8', () => {
    expect(screen({ financialAssistanceMonths: 9 }).targetGroups).toEqual(['TG4']);
    expect(screen({ financialAssistanceMonths: 8 }).targetGroups).toEqual([]);
  });

  it('places TG5 at more than 12 months of sick leave for ages 16–65', () => {
    expect(screen({ sickLeaveMonths: 13 }).targetGroups).toEqual(['TG5']);
    expect(screen({ sickLeaveMonths: 12 }).targetGroups).toEqual([]);
    expect(screen({ sickLeaveMonths: 13 }, { pin: ageBornOn('1961-11-23') }).targetGroups).toEqual(['TG5']); // 65
    expect(screen({ sickLeaveMonths: 13 }, { pin: ageBornOn('1960-11-23') }).targetGroups).toEqual([]); // 66
    expect(screen({ sickLeaveMonths: 13 }, { pin: ageBornOn('2010-11-23') }).targetGroups).toEqual(['TG5']); // 16
    expect(screen({ sickLeaveMonths: 13 }, { pin: ageBornOn('2010-11-24') }).targetGroups).toEqual([]); // 15
  });

  it('places TG5 with time-limited sickness compensation at ages 30–65 only', () => {
    const compensation = 'time-limited-sickness-compensation' as const;
    expect(screen({ compensation }, { pin: ageBornOn('1996-11-23') }).targetGroups).toEqual(['TG5']); // 30
    expect(screen({ compensation }, { pin: ageBornOn('1996-11-24') }).targetGroups).toEqual([]); // 29
  });

  it('places TG5 with activity compensation at ages 19–29 only', () => {
    const compensation = 'activity-compensation' as const;
    expect(screen({ compensation }, { pin: ageBornOn('2007-11-23') }).targetGroups).toEqual(['TG5']); // 19
    expect(screen({ compensation }, { pin: ageBornOn('2007-11-24') }).targetGroups).toEqual([]); // 18
    expect(screen({ compensation }, { pin: ageBornOn('1996-11-24') }).targetGroups).toEqual(['TG5']); // 29
    expect(screen({ compensation }, { pin: ageBornOn('1996-11-23') }).targetGroups).toEqual([]); // 30
  });

  it('reads the age of a samordningsnummer from its real birth date', () => {
    const pin = testIdentityNumber('2007-11-23', { coordination: true }).replace('-', '');
    expect(screen({ compensation: 'activity-compensation' }, { pin }).targetGroups).toEqual(['TG5']);
  });

  it('gives every target group a reason a person can read, in English and Swedish', () => {
    const decision = screen({
      unemployedMonths: 14,
      unemploymentInsuranceExhausted: true,
      financialAssistanceMonths: 9,
    });
    const groups = decision.reasons.filter((reason) => reason.code.startsWith('TG'));
    // Stored as codes; the words come from the deciding ruleset version when read.
    expect(groups).toEqual([{ code: 'TG1' }, { code: 'TG4' }]);
    expect(groups.map((reason) => reasonText(reason, decision.rulesetVersion))).toEqual([
      { text: expect.stringContaining('12 months'), textSv: expect.stringContaining('12 månader') },
      { text: expect.stringContaining('8 months'), textSv: expect.any(String) },
    ]);
  });
});

describe('eligibility', () => {
  it('is eligible when resident, 16–65 and in a target group', () => {
    const decision = screen({ financialAssistanceMonths: 9 });
    expect(decision.eligible).toBe(true);
    expect(decision.rulesetVersion).toBe(DEFAULT_RULESET.version);
  });

  it('names every failing condition and sends the case to the front desk only', () => {
    const decision = screen({}, { municipalityCode: '0180', pin: ageBornOn('1950-01-01') });
    expect(decision.eligible).toBe(false);
    expect(codes(decision)).toEqual(
      expect.arrayContaining(['not-resident', 'age-out-of-range', 'no-target-group']),
    );
    expect(decision.routes).toEqual(['front-desk']);
  });

  it('is not eligible at 15 or 66 even in a target group', () => {
    expect(screen({ financialAssistanceMonths: 9 }, { pin: ageBornOn('2010-11-24') }).eligible).toBe(false);
    expect(screen({ financialAssistanceMonths: 9 }, { pin: ageBornOn('1960-11-23') }).eligible).toBe(false);
    expect(screen({ financialAssistanceMonths: 9 }, { pin: ageBornOn('1960-11-24') }).eligible).toBe(true);
  });
});

describe('priority and joint assessment', () => {
  it('is normal with one target group, one agency and under 24 months', () => {
    const decision = screen({ financialAssistanceMonths: 23 });
    expect(decision.priority).toBe('normal');
    expect(decision.jointAssessment).toBe(false);
  });

  it('is high at 24 months in any of the three month counts', () => {
    expect(screen({ financialAssistanceMonths: 24 }).priority).toBe('high');
    expect(screen({ unemployedMonths: 24, unemploymentInsuranceExhausted: true }).priority).toBe('high');
    expect(screen({ sickLeaveMonths: 24 }).priority).toBe('high');
  });

  it('is high with a joint assessment for two target groups', () => {
    const decision = screen({ financialAssistanceMonths: 9, sickLeaveMonths: 13 });
    expect(decision).toMatchObject({ priority: 'high', jointAssessment: true });
    expect(decision.routes).toEqual(['labour-market-unit', 'social-insurance', 'front-desk']);
  });

  it('is high with a joint assessment for referrals from two agencies', () => {
    const decision = screen(
      {},
      {
        referrals: [
          referral({ financialAssistanceMonths: 9 }, { agency: 'municipality' }),
          referral({ unemployedMonths: 2 }, { agency: 'employment-service' }),
        ],
      },
    );
    expect(decision).toMatchObject({ targetGroups: ['TG4'], priority: 'high', jointAssessment: true });
    expect(decision.routes).toContain('front-desk');
  });
});

describe('routes', () => {
  it('routes TG1, TG2 and TG3 to the employment service once', () => {
    const decision = screen({
      unemployedMonths: 14,
      unemploymentInsuranceExhausted: true,
      jobAndDevelopmentGuarantee: true,
      disability: true,
    });
    expect(decision.targetGroups).toEqual(['TG1', 'TG2', 'TG3']);
    expect(decision.routes).toEqual(['employment-service', 'front-desk']);
  });

  it('routes TG4 to the labour-market unit and TG5 to the social insurance team', () => {
    expect(screen({ financialAssistanceMonths: 9 }).routes).toEqual(['labour-market-unit']);
    expect(screen({ sickLeaveMonths: 13 }).routes).toEqual(['social-insurance']);
  });

  it('adds partner programmes at 10 hours of work capacity, not at 9.5', () => {
    expect(screen({ financialAssistanceMonths: 9, workCapacityHoursPerWeek: 10 }).routes).toEqual([
      'labour-market-unit',
      'partner-programmes',
    ]);
    expect(screen({ financialAssistanceMonths: 9, workCapacityHoursPerWeek: 9.5 }).routes).toEqual([
      'labour-market-unit',
    ]);
  });

  it('does not send a non-eligible case to partner programmes whatever the work capacity', () => {
    expect(screen({ workCapacityHoursPerWeek: 40 }).routes).toEqual(['front-desk']);
  });
});

describe('consent', () => {
  const withConsent = (consent: ScreeningReferral['consent']) =>
    screen(
      {},
      { referrals: [referral({ financialAssistanceMonths: 9, workCapacityHoursPerWeek: 20 }, { consent })] },
    );

  it('leaves out a team the consent does not cover, naming it', () => {
    const decision = withConsent({ recipients: ['labour-market-unit'] });
    expect(decision.routes).toEqual(['labour-market-unit']);
    expect(decision.reasons).toContainEqual({ code: 'consent-not-covering', team: 'partner-programmes' });
    expect(
      reasonText({ code: 'consent-not-covering', team: 'partner-programmes' }, decision.rulesetVersion).text,
    ).toContain('partner-programmes');
  });

  it('sends the case to the front desk when the consent covers no routed team', () => {
    const decision = withConsent({ recipients: ['employment-service'] });
    expect(decision.routes).toEqual(['front-desk']);
    expect(codes(decision).filter((code) => code === 'consent-not-covering')).toHaveLength(2);
  });

  it('always covers the front desk', () => {
    const decision = screen(
      {},
      {
        referrals: [
          referral({ financialAssistanceMonths: 9, sickLeaveMonths: 13 }, { consent: { recipients: [] } }),
        ],
      },
    );
    expect(decision.routes).toEqual(['front-desk']);
  });

  it('covers only the front desk once the consent has expired', () => {
    const decision = withConsent({ validUntil: '2026-11-22' });
    expect(decision.routes).toEqual(['front-desk']);
    expect(codes(decision)).toContain('consent-expired');
    expect(withConsent({ validUntil: '2026-11-23' }).routes).toEqual([
      'labour-market-unit',
      'partner-programmes',
    ]);
  });

  it('follows the consent of the most recent referral', () => {
    const decision = screen(
      {},
      {
        referrals: [
          referral(
            { financialAssistanceMonths: 9 },
            { submittedAt: '2026-11-21T00:00:00Z', consent: { recipients: ['labour-market-unit'] } },
          ),
          referral({}, { submittedAt: '2026-11-20T00:00:00Z', consent: {} }),
        ],
      },
    );
    expect(decision.routes).toEqual(['labour-market-unit']);
  });
});

describe('mergeSituations', () => {
  it('takes each field from the most recent referral that states it, and booleans true if any says so', () => {
    const merged = mergeSituations([
      referral(
        { unemployedMonths: 20, disability: true, compensation: 'activity-compensation' },
        { submittedAt: '2026-01-01T00:00:00Z' },
      ),
      referral({ unemployedMonths: 3, disability: false }, { submittedAt: '2026-02-01T00:00:00Z' }),
      referral({ financialAssistanceMonths: 9 }, { submittedAt: '2026-03-01T00:00:00Z' }),
    ]);
    expect(merged).toMatchObject({
      unemployedMonths: 3,
      disability: true,
      compensation: 'activity-compensation',
      financialAssistanceMonths: 9,
      sickLeaveMonths: 0,
      jobAndDevelopmentGuarantee: false,
    });
  });
});

describe('the default ruleset', () => {
  it('is valid data and routes only to teams of the default deployment', () => {
    expect(rulesetSchema.safeParse(DEFAULT_RULESET).success).toBe(true);
    for (const team of rulesetTeams(DEFAULT_RULESET)) expect(DEFAULT_DEPLOYMENT.teams).toContain(team);
  });

  it('refuses a ruleset with an unknown field in a condition', () => {
    const broken = structuredClone(DEFAULT_RULESET) as unknown as { targetGroups: { when: unknown }[] };
    broken.targetGroups[0]!.when = { field: 'salary', op: '>', value: 1 };
    expect(rulesetSchema.safeParse(broken).success).toBe(false);
  });
});
