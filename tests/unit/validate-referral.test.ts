import { describe, expect, it } from 'vitest';
import { DEFAULT_DEPLOYMENT } from '../../shared/config/deployment.js';
import { ValidationError } from '../../shared/errors.js';
import { canonicalJson } from '../../shared/idempotency.js';
import { validateReferral } from '../../shared/referrals/submit-referral.js';
import { swedishDateOf } from '../../shared/time.js';
import { CONTRACT_EXAMPLE, referralBody } from '../helpers/referrals.js';

const teams = DEFAULT_DEPLOYMENT.teams;

/** The field paths a body is refused for, or [] when it is valid. */
function refusedPaths(body: unknown, agency: Parameters<typeof validateReferral>[1] = 'employment-service') {
  try {
    validateReferral(body, agency, teams);
    return [];
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return error.errors.map((e) => e.path);
  }
}

const tomorrow = () => swedishDateOf(new Date(Date.now() + 36 * 3600 * 1000));

describe('validateReferral', () => {
  it('accepts the contract example body', () => {
    expect(refusedPaths(CONTRACT_EXAMPLE)).toEqual([]);
  });

  it('names the identity number when its check digit is wrong', () => {
    const body = referralBody('employment-service', { person: { personalIdentityNumber: '19901211-9947' } });
    expect(refusedPaths(body)).toEqual(['person.personalIdentityNumber']);
  });

  it('refuses unknown fields at every level, naming each', () => {
    const body = { ...referralBody(), caseId: 'x', person: { ...referralBody().person, nickname: 'A' } };
    expect(refusedPaths(body).sort()).toEqual(['caseId', 'person.nickname']);
  });

  it('refuses server-owned fields sent by a client', () => {
    for (const field of ['caseId', 'status', 'screening', 'agency', 'history']) {
      expect(refusedPaths({ ...referralBody(), [field]: 'x' })).toEqual([field]);
    }
  });

  it('requires consent given, recorded not in the future, and valid until after it was recorded', () => {
    const { consent: _consent, ...withoutConsent } = referralBody();
    expect(refusedPaths(withoutConsent)).toEqual(['consent']);
    expect(refusedPaths(referralBody('employment-service', { consent: { given: false as true } }))).toEqual([
      'consent.given',
    ]);
    expect(refusedPaths(referralBody('employment-service', { consent: { recordedAt: tomorrow() } }))).toEqual(
      ['consent.recordedAt'],
    );
    expect(
      refusedPaths(
        referralBody('employment-service', {
          consent: { recordedAt: '2026-01-10', validUntil: '2026-01-10' },
        }),
      ),
    ).toEqual(['consent.validUntil']);
    expect(
      refusedPaths(referralBody('employment-service', { consent: { recordedAt: '2026-02-30' } })),
    ).toEqual(['consent.recordedAt']);
  });

  it('refuses consent recipients that are not teams of the deployment', () => {
    const body = referralBody('employment-service', {
      consent: { recipients: ['employment-service', 'police'] },
    });
    expect(refusedPaths(body)).toEqual(['consent.recipients.1']);
  });

  it('requires the situation fields each agency knows', () => {
    expect(refusedPaths({ ...referralBody('municipality'), situation: {} }, 'municipality')).toEqual([
      'situation.financialAssistanceMonths',
    ]);
    expect(
      refusedPaths({ ...referralBody('employment-service'), situation: {} }, 'employment-service'),
    ).toEqual(['situation.unemployedMonths', 'situation.jobAndDevelopmentGuarantee']);
    expect(refusedPaths({ ...referralBody('social-insurance'), situation: {} }, 'social-insurance')).toEqual([
      'situation.sickLeaveMonths',
      'situation.compensation',
    ]);
  });

  it('enforces the text limits and value ranges of the contract', () => {
    const cases: [Parameters<typeof referralBody>[1], string][] = [
      [{ person: { givenName: '' } }, 'person.givenName'],
      [{ person: { familyName: 'x'.repeat(101) } }, 'person.familyName'],
      [{ person: { phone: '0'.repeat(31) } }, 'person.phone'],
      [{ person: { email: 'not-an-address' } }, 'person.email'],
      [{ person: { municipalityCode: '226' } }, 'person.municipalityCode'],
      [{ person: { preferredLanguage: 'not a tag' } }, 'person.preferredLanguage'],
      [{ person: { accessibilityNeeds: 'x'.repeat(501) } }, 'person.accessibilityNeeds'],
      [{ reason: 'x'.repeat(2001) }, 'reason'],
      [{ reason: 'Lone surrogate \ud800' }, 'reason'],
      [{ person: { givenName: 'Anna\u0000' } }, 'person.givenName'],
      [{ person: { familyName: 'Two\nlines' } }, 'person.familyName'],
      [{ person: { givenName: '   ' } }, 'person.givenName'],
      [{ situation: { unemployedMonths: 601 } }, 'situation.unemployedMonths'],
      [{ situation: { unemployedMonths: 1.5 } }, 'situation.unemployedMonths'],
      [{ situation: { workCapacityHoursPerWeek: 41 } }, 'situation.workCapacityHoursPerWeek'],
      [{ situation: { workCapacityHoursPerWeek: 5e-324 } }, 'situation.workCapacityHoursPerWeek'],
      [{ situation: { workCapacityHoursPerWeek: 12.125 } }, 'situation.workCapacityHoursPerWeek'],
      [{ situation: { compensation: 'pension' as 'none' } }, 'situation.compensation'],
      [{ consent: { method: 'telepathy' as 'written' } }, 'consent.method'],
    ];
    for (const [override, path] of cases) {
      expect(refusedPaths(referralBody('employment-service', override)), path).toEqual([path]);
    }
    expect(refusedPaths(referralBody('employment-service', { reason: 'x'.repeat(2000) }))).toEqual([]);
    expect(
      refusedPaths(referralBody('employment-service', { situation: { workCapacityHoursPerWeek: 37.5 } })),
    ).toEqual([]);
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, 42, 'text', []]) expect(refusedPaths(body)).toEqual(['(body)']);
  });
});

describe('canonicalJson', () => {
  it('is the same for the same body whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { e: 3, f: 2 }] }, b: 1 }),
    );
  });
});
