import type { Agency } from '../../shared/config/deployment.js';
import type { ReferralInput } from '../../shared/referrals/schema.js';
import { swedishDateOf } from '../../shared/time.js';
import { uniqueIdentityNumber } from './identity-numbers.js';

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
