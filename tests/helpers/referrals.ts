import type { Agency } from '../../shared/config/deployment.js';
import type { ReferralInput } from '../../shared/referrals/schema.js';
import { swedishDateOf } from '../../shared/time.js';
import { uniqueIdentityNumber } from './identity-numbers.js';

/** The POST /referrals body exactly as CONTRACT.md shows it (19901211-9948 is a Skatteverket test number). */
export const CONTRACT_EXAMPLE = {
  person: {
    personalIdentityNumber: '19901211-9948',
    givenName: 'Anna',
    familyName: 'Exempel',
    phone: '070-123 45 67',
    email: 'anna@example.se',
    municipalityCode: '2262',
    preferredLanguage: 'sv',
    interpreterNeeded: false,
    accessibilityNeeds: 'Behöver ramp',
  },
  consent: {
    given: true,
    recordedAt: '2026-11-20',
    method: 'written',
    recipients: ['employment-service', 'labour-market-unit', 'partner-programmes'],
    validUntil: '2027-11-20',
  },
  situation: {
    unemployedMonths: 14,
    unemploymentInsuranceExhausted: true,
    jobAndDevelopmentGuarantee: true,
    assignedToComplementaryActor: false,
    financialAssistanceMonths: 0,
    sickLeaveMonths: 0,
    compensation: 'none',
    disability: false,
    workCapacityHoursPerWeek: 20,
  },
  reason: 'Fri text, högst 2000 tecken.',
} as const satisfies ReferralInput;

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

const SITUATION_BY_AGENCY: Record<Agency, ReferralInput['situation']> = {
  municipality: { financialAssistanceMonths: 10 },
  'employment-service': {
    unemployedMonths: 14,
    unemploymentInsuranceExhausted: true,
    jobAndDevelopmentGuarantee: true,
  },
  'social-insurance': { sickLeaveMonths: 13, compensation: 'sickness-benefit' },
};

/** A valid referral body as the given agency would send it; a new person unless one is named. */
export function referralBody(
  agency: Agency = 'employment-service',
  overrides: DeepPartial<ReferralInput> = {},
) {
  const today = swedishDateOf(new Date());
  return {
    ...overrides,
    person: {
      personalIdentityNumber: uniqueIdentityNumber(),
      givenName: 'Anna',
      familyName: 'Exempel',
      municipalityCode: '2262',
      ...overrides.person,
    },
    consent: { given: true, recordedAt: today, method: 'written', ...overrides.consent },
    situation: { ...SITUATION_BY_AGENCY[agency], ...overrides.situation },
  } as ReferralInput;
}
