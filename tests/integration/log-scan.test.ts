import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiGateway } from '../../local/api-gateway.js';
import { findDemoUser } from '../../local/demo-users.js';
import { type LambdaHandler, loadFunction } from '../../local/lambda.js';
import { createLocalIssuer } from '../../local/local-issuer.js';
import { ROUTES } from '../../shared/api/routes.js';
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
  // Every function logs its whole event too (path, path parameters, query): redaction must hold there.
  process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';
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
  delete process.env.POWERTOOLS_LOGGER_LOG_EVENT;
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

/** Text as a reader of the log would take it: every percent escape decoded, however often applied. */
const decodedForReading = (text: string) => {
  let current = text;
  for (let round = 0; round < 3; round++) {
    current = current.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
  }
  return current;
};

describe('the canary in a request path, percent-encoded', () => {
  let server: Server;
  let url: string;
  const requestLog: string[] = [];
  const issuer = createLocalIssuer('http://localhost/local');

  beforeAll(async () => {
    // The local runtime's API Gateway in front of this file's real functions, its request log kept.
    const functionsDir = fileURLToPath(new URL('../../functions/', import.meta.url));
    const handlers = new Map<string, LambdaHandler>();
    for (const fn of new Set(ROUTES.map((route) => route.fn))) {
      handlers.set(fn, (await loadFunction(functionsDir, fn))!);
    }
    const api = createApiGateway({
      functionNamePrefix: 'frontdesk',
      region: 'eu-north-1',
      issuer: await issuer,
      handlers,
      log: (line) => requestLog.push(line),
      logError: (line, error) => requestLog.push(`${line} ${String(error)}`),
    });
    server = createServer(api);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('never appears in the request log, the function logs or an error text', async () => {
    const token = async (user: string) => (await issuer).issueToken(findDemoUser(user)!);
    const [century, rest] = [CANARY_DIGITS.slice(0, 2), CANARY_NUMBER.slice(2)];
    const [date, serial] = rest.split('-') as [string, string];
    const encoded = [
      `${century}${date}%2D${serial}`,
      `${century}${date}%2d${serial}`,
      `${century}${date}%2B${serial}`,
      `${date}%2B${serial}`,
      `${century}${date}%252D${serial}`,
      [...CANARY_NUMBER].map((character) => `%${character.charCodeAt(0).toString(16)}`).join(''),
      CANARY.email.replace('@', '%40'),
    ];
    const probes: Array<{ method: string; path: (value: string) => string; user?: string }> = [
      { method: 'GET', path: (value) => `/cases/${value}`, user: 'front-desk-coordinator' },
      { method: 'GET', path: (value) => `/cases/${value}/audit`, user: 'admin' },
      { method: 'POST', path: (value) => `/cases/${value}/events`, user: 'front-desk-coordinator' },
      { method: 'GET', path: (value) => `/referrals/${value}`, user: 'municipality-officer' },
      { method: 'GET', path: (value) => `/cases/${value}` },
      { method: 'GET', path: (value) => `/no-such-resource/${value}` },
      { method: 'DELETE', path: (value) => `/referrals/${value}` },
    ];
    const from = logged.length;
    const answers: string[] = [];
    for (const value of encoded) {
      for (const probe of probes) {
        const response = await fetch(`${url}${probe.path(value)}`, {
          method: probe.method,
          headers: {
            ...(probe.user ? { Authorization: `Bearer ${await token(probe.user)}` } : {}),
            ...(probe.method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
          },
          ...(probe.method === 'POST' ? { body: '{"type":"accepted","team":"front-desk"}' } : {}),
        });
        expect(response.status, `${probe.method} ${probe.path(value)}`).toBeGreaterThanOrEqual(400);
        expect(response.status, `${probe.method} ${probe.path(value)}`).toBeLessThan(500);
        answers.push(await response.text());
      }
    }

    expect(requestLog).toHaveLength(encoded.length * probes.length);
    expect(requestLog.join('\n')).toContain('[redacted]');
    notLeaking('the request log', decodedForReading(requestLog.join('\n')));
    const functionLogs = logged.slice(from).join('\n');
    expect(functionLogs).toContain('"message":"Lambda invocation event"');
    notLeaking('the function logs', decodedForReading(functionLogs));
    notLeaking('the answers', decodedForReading(answers.join('\n')));
    expect(answers.join('\n')).not.toContain('/no-such-resource');
  });
});
