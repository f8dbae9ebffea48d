import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemSchema } from '../../shared/referrals/views.js';
import type { ApiResponse } from '../helpers/events.js';
import { referralBody } from '../helpers/referrals.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

let stack: TestStack;
const EMPLOYMENT = ['agency-employment-service'];

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const referralCount = async () =>
  (await stack.items()).filter((item) => item.pk?.S?.startsWith('REFERRAL#')).length;

function expectProblem(response: ApiResponse, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(problemSchema.parse(response.body).status).toBe(status);
}

const post = (body: unknown, headers: Record<string, string> = {}) =>
  stack.call('submit-referral', {
    method: 'POST',
    resource: '/referrals',
    body,
    groups: EMPLOYMENT,
    headers,
  });

describe('POST /referrals with bad input', () => {
  it('answers 415 for a body that is not JSON, before reading it', async () => {
    expectProblem(await post('person=Anna', { 'Content-Type': 'application/x-www-form-urlencoded' }), 415);
    expectProblem(await post('{}', { 'Content-Type': 'text/plain' }), 415);
  });

  it('answers 413 for a body over 64 KiB', async () => {
    const body = referralBody('employment-service', { reason: 'x'.repeat(70 * 1024) });
    expectProblem(await post(body), 413);
  });

  it('answers 400 naming the body for malformed or empty JSON', async () => {
    for (const raw of ['{"person":', '', 'null', '[]', '"text"']) {
      const response = await post(raw);
      expectProblem(response, 400);
      expect(response.body.errors[0].path).toBe('(body)');
    }
  });

  it('accepts JSON with a charset and a base64-encoded body, as API Gateway may send it', async () => {
    const body = JSON.stringify(referralBody('employment-service'));
    const withCharset = await post(body, { 'Content-Type': 'application/json; charset=utf-8' });
    expect(withCharset.status).toBe(202);
    const encoded = await stack.call('submit-referral', {
      method: 'POST',
      resource: '/referrals',
      body: JSON.stringify(referralBody('employment-service')),
      base64: true,
      groups: EMPLOYMENT,
    });
    expect(encoded.status).toBe(202);
  });

  it('refuses a missing consent and a future consent date, naming the field, and stores nothing', async () => {
    const before = await referralCount();
    const { consent: _consent, ...noConsent } = referralBody();
    const missing = await post(noConsent);
    expectProblem(missing, 400);
    expect(missing.body.errors).toEqual([{ path: 'consent', message: expect.any(String) }]);
    const future = await post(referralBody('employment-service', { consent: { recordedAt: '2999-01-01' } }));
    expect(future.body.errors).toEqual([
      { path: 'consent.recordedAt', message: 'must not be in the future' },
    ]);
    expect(await referralCount()).toBe(before);
  });

  it('never answers 5xx, always names a field, and stores nothing for random bodies', async () => {
    const before = await referralCount();
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (body) => {
        const response = await post(JSON.stringify(body) ?? 'null');
        expect(response.status).toBe(400);
        expect(response.body.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
    expect(await referralCount()).toBe(before);
  });

  it('never answers 5xx for mutations of a valid body, and stores only what it accepts', async () => {
    const paths = [
      ['person', 'personalIdentityNumber'],
      ['person', 'givenName'],
      ['person', 'email'],
      ['person', 'municipalityCode'],
      ['person', 'preferredLanguage'],
      ['consent', 'given'],
      ['consent', 'recordedAt'],
      ['consent', 'recipients'],
      ['consent', 'validUntil'],
      ['situation', 'unemployedMonths'],
      ['situation', 'jobAndDevelopmentGuarantee'],
      ['situation', 'compensation'],
      ['situation', 'workCapacityHoursPerWeek'],
      ['reason'],
      ['person'],
      ['situation'],
      ['unexpected'],
    ];
    const mutation = fc.record({
      path: fc.constantFrom(...paths),
      value: fc.oneof(
        fc.anything(),
        fc.string(),
        fc.string({ unit: 'binary' }),
        fc.integer(),
        fc.double(),
        fc.constant(undefined),
        fc.stringMatching(/^\d{6,8}[-+]?\d{4}$/),
      ),
    });
    const before = await referralCount();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const body = referralBody('employment-service') as unknown as Record<string, any>;
        for (const { path, value } of mutations) {
          const parent = path.length === 1 ? body : body[path[0]!];
          // An earlier mutation may have replaced the parent object itself; then it stays replaced.
          if (parent !== null && typeof parent === 'object') parent[path.at(-1)!] = value;
        }
        const response = await post(JSON.stringify(body));
        expect([202, 400]).toContain(response.status);
        if (response.status === 202) accepted += 1;
        else
          expect(response.body.errors.every((error: { path: string }) => error.path.length > 0)).toBe(true);
      }),
      { numRuns: 150 },
    );
    expect(await referralCount()).toBe(before + accepted);
  });
});
