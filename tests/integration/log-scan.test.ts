import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamo } from '../../shared/clients.js';
import { testIdentityNumber } from '../helpers/identity-numbers.js';
import { referralBody } from '../helpers/referrals.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

/**
 * A canary person goes through everything the API does, good and bad, with every log line the
 * functions write captured at DEBUG level: the canary's identity number, names, contact details and
 * free text may appear in the responses meant for those who work the case, and nowhere else.
 */
const CANARY_NUMBER = testIdentityNumber('1977-07-07', { serial: 987 });
const CANARY_DIGITS = CANARY_NUMBER.replace('-', '');
const CANARY = {
  numberForms: [CANARY_DIGITS, CANARY_NUMBER, CANARY_NUMBER.slice(2), CANARY_DIGITS.slice(2)],
  given: 'Kanariefågel',
  family: 'Zzcanarysson',
  email: 'kanarie.canary@example.se',
  reason: 'Canary-fritext-om-hälsa',
  note: 'Canary-anteckning',
};
const secrets = [
  ...CANARY.numberForms,
  CANARY.given,
  CANARY.family,
  CANARY.email,
  CANARY.reason,
  CANARY.note,
];

let stack: TestStack;
const logged: string[] = [];

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  const capture = (stream: NodeJS.WriteStream) => {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      logged.push(String(chunk));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  };
  capture(process.stdout);
  capture(process.stderr);
  stack = await startTestStack();
  stack.startConsumer();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await stack?.stop();
});

const canaryBody = (overrides: Record<string, unknown> = {}) =>
  referralBody('municipality', {
    person: {
      personalIdentityNumber: CANARY_NUMBER,
      givenName: CANARY.given,
      familyName: CANARY.family,
      email: CANARY.email,
      accessibilityNeeds: CANARY.reason,
    },
    situation: { financialAssistanceMonths: 10, workCapacityHoursPerWeek: 20 },
    reason: CANARY.reason,
    ...overrides,
  });

const notLeaking = (where: string, text: string) => {
  for (const secret of secrets) expect(text, `${where} contains ${secret}`).not.toContain(secret);
};

describe('the canary', () => {
  it('never appears in logs, queue messages, URLs or error texts', async () => {
    const MUNICIPALITY = ['agency-municipality'];
    const responses: { where: string; status: number; text: string; headers: Record<string, string> }[] = [];
    const record = (where: string, response: Awaited<ReturnType<TestStack['call']>>) => {
      responses.push({
        where,
        status: response.status,
        text: JSON.stringify(response.body),
        headers: response.headers,
      });
      return response;
    };

    // Refused bodies that carry the canary in every field a validation message could echo.
    record(
      'bad number',
      await stack.submit(
        canaryBody({
          person: {
            personalIdentityNumber: `${CANARY_DIGITS.slice(0, 11)}0`,
            givenName: CANARY.given,
            familyName: CANARY.family,
            municipalityCode: '2262',
          },
        }),
        MUNICIPALITY,
      ),
    );
    record(
      'bad email',
      await stack.submit(
        canaryBody({
          person: {
            personalIdentityNumber: CANARY_NUMBER,
            givenName: CANARY.given,
            familyName: CANARY.family,
            municipalityCode: '2262',
            email: `${CANARY.given} at nowhere`,
          },
        }),
        MUNICIPALITY,
      ),
    );
    record(
      'unknown field',
      await stack.submit(
        { ...canaryBody(), [CANARY_NUMBER]: CANARY.reason, [CANARY.email]: 1 },
        MUNICIPALITY,
      ),
    );
    record('wrong role', await stack.submit(canaryBody(), ['team-front-desk']));

    // The whole loop.
    const accepted = record('submit', await stack.submit(canaryBody(), MUNICIPALITY));
    expect(accepted.status).toBe(202);
    const { referralId, caseId } = accepted.body;
    record('replay', await stack.submit(canaryBody(), MUNICIPALITY, { 'Idempotency-Key': 'canary-1' }));
    record(
      'conflict',
      await stack.submit(canaryBody({ reason: 'other' }), MUNICIPALITY, { 'Idempotency-Key': 'canary-1' }),
    );
    await stack.waitForStatus(referralId, 'ROUTED', MUNICIPALITY);
    record('referral', await stack.getReferral(referralId, MUNICIPALITY));
    record('list', await stack.call('list-referrals', { resource: '/referrals', groups: MUNICIPALITY }));
    record('work list', await stack.listCases(['team-labour-market-unit'], { team: 'labour-market-unit' }));
    const full = await stack.getCase(caseId, ['team-labour-market-unit']);
    expect(JSON.stringify(full.body)).toContain(CANARY.given); // those who work the case see the person
    record('partner view', await stack.getCase(caseId, ['team-partner-programmes']));
    record(
      'decline',
      await stack.postEvent(
        caseId,
        { type: 'declined', team: 'partner-programmes', reason: CANARY.reason, note: CANARY.note },
        ['team-partner-programmes'],
      ),
    );
    record(
      'accept',
      await stack.postEvent(caseId, { type: 'accepted', team: 'labour-market-unit', note: CANARY.note }, [
        'team-labour-market-unit',
      ]),
    );
    record(
      'bad transition',
      await stack.postEvent(caseId, { type: 'accepted', team: 'labour-market-unit', note: CANARY.note }, [
        'team-labour-market-unit',
      ]),
    );
    record('referral again', await stack.getReferral(referralId, MUNICIPALITY));

    // A database failure whose error text echoes the number, as SDK errors can.
    const original = dynamo.send.bind(dynamo);
    const spy = vi.spyOn(dynamo, 'send').mockImplementationOnce((() =>
      Promise.reject(
        Object.assign(
          new Error(`Item {pk: PERSON#x, number: ${CANARY_NUMBER}, email: ${CANARY.email}} failed`),
          {
            name: 'InternalServerError',
            Item: { personalIdentityNumber: CANARY_NUMBER },
          },
        ),
      )) as unknown as typeof dynamo.send);
    record('server error', await stack.submit(canaryBody(), MUNICIPALITY));
    spy.mockImplementation(original as typeof dynamo.send);

    const messages = [];
    for (const team of stack.deployment.teams) messages.push(...(await stack.drain(stack.teamQueue(team))));

    expect(responses.find((response) => response.where === 'server error')?.status).toBe(500);
    expect(logged.length).toBeGreaterThan(10);
    expect(logged.join('\n')).toContain(caseId); // the logs are there, and say which case
    notLeaking('the logs', logged.join('\n'));
    notLeaking('the queue messages', JSON.stringify(messages));
    for (const response of responses) {
      notLeaking(`the Location of ${response.where}`, response.headers.location ?? '');
      if (response.where === 'work list' || response.where === 'list') {
        // The team's list names the person for those who work the case, and the agency's list names the
        // person it referred (CONTRACT.md v1.1), but neither ever shows the identity number.
        for (const form of CANARY.numberForms) expect(response.text).not.toContain(form);
      } else if (response.where !== 'partner view') {
        notLeaking(`the answer to ${response.where} (${response.status})`, response.text);
      }
    }
    const partner = responses.find((response) => response.where === 'partner view')!;
    for (const form of CANARY.numberForms) expect(partner.text).not.toContain(form);
    expect(partner.text).not.toContain(CANARY.reason);
  });
});
