import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEPLOYMENT } from '../../shared/config/deployment.js';
import { RULESETS, reasonText } from '../../shared/screening/reason-text.js';
import { screenCase } from '../../shared/screening/screen-case.js';
import { testIdentityNumber } from '../helpers/identity-numbers.js';

/**
 * A decision stores its reasons as codes; the words are rendered when it is read, from the ruleset
 * version that decided it, in English and Swedish (issue #13: a lean case item).
 */
/** Every code a decision of the default ruleset can carry, as screenCase writes them. */
const RULE_CODES = [
  'not-resident',
  'age-out-of-range',
  'no-target-group',
  'joint-assessment',
  'high-priority',
  'work-capacity',
  'consent-not-covering',
  'consent-expired',
  'not-eligible',
];

describe('reason texts', () => {
  for (const [version, ruleset] of RULESETS) {
    const codes = [...ruleset.targetGroups.map((group) => group.code), ...RULE_CODES];

    it(`${version}: every code reads as words in both languages, never as the code`, () => {
      for (const code of codes) {
        const { text, textSv } = reasonText({ code }, version);
        expect(text, code).not.toBe(code);
        expect(textSv, code).not.toBe(code);
        expect(text.length, code).toBeGreaterThan(10);
        expect(textSv, code).not.toBe(text);
      }
      expect(Object.keys(ruleset.texts).sort()).toEqual([...RULE_CODES].sort());
    });

    it(`${version}: a target group reads as the ruleset's own description of it`, () => {
      for (const group of ruleset.targetGroups)
        expect(reasonText({ code: group.code }, version)).toEqual({
          text: group.text.en,
          textSv: group.text.sv,
        });
    });

    it(`${version}: a reason about a team names the team in both languages`, () => {
      const { text, textSv } = reasonText(
        { code: 'consent-not-covering', team: 'partner-programmes' },
        version,
      );
      expect(text).toBe(`${ruleset.texts['consent-not-covering']!.en} (partner-programmes)`);
      expect(textSv).toBe(`${ruleset.texts['consent-not-covering']!.sv} (partner-programmes)`);
    });

    it(`${version}: every reason screening gives, for any situation, has words`, () => {
      const codes = new Set(Object.keys(ruleset.texts));
      for (const group of ruleset.targetGroups) codes.add(group.code);
      fc.assert(
        fc.property(
          fc.record({
            unemployedMonths: fc.integer({ min: 0, max: 60 }),
            unemploymentInsuranceExhausted: fc.boolean(),
            jobAndDevelopmentGuarantee: fc.boolean(),
            financialAssistanceMonths: fc.integer({ min: 0, max: 40 }),
            sickLeaveMonths: fc.integer({ min: 0, max: 40 }),
            disability: fc.boolean(),
            workCapacityHoursPerWeek: fc.integer({ min: 0, max: 40 }),
          }),
          fc.constantFrom('1960-01-01', '1990-06-15', '2012-03-01'),
          fc.constantFrom('2262', '2281'),
          (situation, birth, municipalityCode) => {
            const decision = screenCase(
              {
                personalIdentityNumber: testIdentityNumber(birth).replace('-', ''),
                municipalityCode,
                referrals: [
                  {
                    agency: 'municipality',
                    submittedAt: '2026-11-20T09:00:00Z',
                    situation,
                    consent: { recipients: ['labour-market-unit'], validUntil: '2027-11-20' },
                  },
                ],
              },
              ruleset,
              DEFAULT_DEPLOYMENT,
              new Date('2026-11-20T10:00:00Z'),
            );
            for (const reason of decision.reasons) {
              expect(codes.has(reason.code), reason.code).toBe(true);
              expect(Object.keys(reason).every((key) => key === 'code' || key === 'team')).toBe(true);
            }
          },
        ),
        { numRuns: 200 },
      );
    });
  }

  it('reads a code no version knows as the code itself, and an unknown version with the newest words', () => {
    expect(reasonText({ code: 'made-up' }, 'timra-2026.1')).toEqual({ text: 'made-up', textSv: 'made-up' });
    expect(reasonText({ code: 'TG1' }, 'some-old-version').text).toContain('12 months');
  });
});
