import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agency } from '../../shared/config/deployment.js';
import type { ReferralInput } from '../../shared/referrals/schema.js';
import { context } from '../helpers/events.js';
import { uniqueIdentityNumber } from '../helpers/identity-numbers.js';
import { referralBody } from '../helpers/referrals.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

/**
 * The privacy invariant of issue 8 as a property over the whole system, on the real engines: for
 * random sequences of referrals of one person (any agency, any consent, any situation), no party
 * ever reads, lists or receives anything that the consent in force and its role do not allow.
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const TEAMS = [
  'front-desk',
  'employment-service',
  'social-insurance',
  'labour-market-unit',
  'partner-programmes',
];
const HEALTH_GROUPS = ['TG3', 'TG5'];
const HEALTH_TEXT = /TG3|TG5|sickLeave|compensation|disability/;

type Step = {
  agency: Agency;
  recipients: string[] | undefined;
  expired: boolean;
  situation: ReferralInput['situation'];
};

const stepArbitrary: fc.Arbitrary<Step> = fc.record({
  agency: fc.constantFrom<Agency>('municipality', 'employment-service', 'social-insurance'),
  recipients: fc.option(fc.subarray(TEAMS.filter((team) => team !== 'front-desk')), { nil: undefined }),
  expired: fc.boolean(),
  situation: fc.record({
    unemployedMonths: fc.constantFrom(0, 3, 14),
    unemploymentInsuranceExhausted: fc.boolean(),
    jobAndDevelopmentGuarantee: fc.boolean(),
    financialAssistanceMonths: fc.constantFrom(0, 10),
    sickLeaveMonths: fc.constantFrom(0, 13),
    compensation: fc.constantFrom('none', 'sickness-benefit', 'time-limited-sickness-compensation'),
    disability: fc.boolean(),
    workCapacityHoursPerWeek: fc.constantFrom(0, 20),
  }),
});

/** Whether a referral's own facts tell of health (and so may place the person in TG3 or TG5). */
const statesHealth = (situation: ReferralInput['situation']) =>
  (situation.sickLeaveMonths ?? 0) > 12 ||
  situation.compensation === 'time-limited-sickness-compensation' ||
  situation.disability === true;

/** The team may hold the case under this consent (the contract's rule, stated independently). */
const covers = (step: Step, team: string) =>
  team === 'front-desk' ||
  (!step.expired && (step.recipients === undefined || step.recipients.includes(team)));

async function screen(caseId: string) {
  await stack.drain(stack.screeningQueue);
  const body = JSON.stringify({ type: 'case.screening-requested', caseId });
  const result = await stack.screenCase(
    { Records: [{ messageId: `m-${caseId}`, body, attributes: {}, messageAttributes: {} }] } as never,
    context('screen-case') as never,
  );
  expect(result).toEqual({ batchItemFailures: [] });
}

describe('the consent and minimum-view invariant', () => {
  it('holds for any sequence of referrals, agencies and consents', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 4 }), async (steps) => {
        const personalIdentityNumber = uniqueIdentityNumber();
        const referrals: { id: string; step: Step }[] = [];
        const routedTo = new Set<string>();
        let caseId = '';

        for (const step of steps) {
          const body = referralBody(step.agency, {
            person: { personalIdentityNumber },
            consent: {
              ...(step.recipients ? { recipients: step.recipients } : {}),
              ...(step.expired ? { recordedAt: '2025-01-10', validUntil: '2025-07-10' } : {}),
            },
            situation: step.situation,
          });
          const accepted = await stack.submit(body, [`agency-${step.agency}`]);
          expect(accepted.status).toBe(202);
          caseId = accepted.body.caseId;
          referrals.push({ id: accepted.body.referralId, step });
          await screen(caseId);

          // Queues: a routed message only to a team the consent in force covers; a restricted
          // team's never names a health group; a team that lost the case is told once each time.
          for (const team of TEAMS) {
            for (const message of await stack.drain(stack.teamQueue(team))) {
              expect(message.caseId).toBe(caseId);
              const text = JSON.stringify(message);
              for (const personal of [
                personalIdentityNumber,
                personalIdentityNumber.replace('-', ''),
                'Anna',
              ])
                expect(text).not.toContain(personal);
              if (message.type === 'case.routed') {
                expect(covers(step, team), `routed to ${team}`).toBe(true);
                if (team === 'partner-programmes') expect(message.targetGroups).not.toContain('TG5');
                routedTo.add(team);
              } else {
                expect(message.type).toBe('case.withdrawn');
                // Told once per time it held the case: a team covered again and withdrawn again is told again.
                expect(routedTo.has(team), `withdrawn from ${team}, which did not hold the case`).toBe(true);
                routedTo.delete(team);
              }
            }
          }
          for (const team of routedTo) expect(covers(step, team), `${team} still holds`).toBe(true);

          // Reads and work lists: only teams the consent in force covers.
          for (const team of TEAMS) {
            const groups = [`team-${team}`];
            const read = await stack.getCase(caseId, groups);
            const list = await stack.listCases(groups, { team });
            const listed = list.body.items.some((item: { caseId: string }) => item.caseId === caseId);
            if (!covers(step, team)) {
              expect(read.status, `${team} reads`).toBe(404);
              expect(listed, `${team} lists`).toBe(false);
            }
            if (team === 'partner-programmes') {
              expect(JSON.stringify(read.body)).not.toMatch(HEALTH_TEXT);
              expect(JSON.stringify(list.body)).not.toMatch(HEALTH_TEXT);
              expect(read.body.screening ?? {}).not.toHaveProperty('eligible');
            }
            if (read.status === 200) expect(read.body.person).toBeDefined();
          }

          // Referrers: no health group or health team's steps unless their own referrals state it.
          for (const { id, step: own } of referrals) {
            const view = await stack.getReferral(id, [`agency-${own.agency}`]);
            expect(view.status).toBe(200);
            const ownHealth = referrals.some(
              (other) => other.step.agency === own.agency && statesHealth(other.step.situation),
            );
            if (!ownHealth) {
              const shown = view.body.screening?.targetGroups ?? [];
              expect(shown.filter((group: string) => HEALTH_GROUPS.includes(group))).toEqual([]);
              expect(JSON.stringify(view.body)).not.toMatch(/TG3|TG5|"team":"social-insurance"/);
            }
          }
        }
      }),
      { numRuns: 25, endOnFailure: true },
    );
  }, 120_000);
});
