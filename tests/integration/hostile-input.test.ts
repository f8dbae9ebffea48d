import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { problemSchema } from '../../shared/referrals/views.js';
import type { ApiRequest, ApiResponse } from '../helpers/events.js';
import { testIdentityNumber } from '../helpers/identity-numbers.js';
import { referralBody } from '../helpers/referrals.js';
import { startTestStack, type TestStack } from '../helpers/test-stack.js';

/**
 * Input made to break the server rather than to use it: path ids no UUID looks like, forged paging
 * cursors and bodies nested deeper than any recursion survives. Every one of them is the client's
 * doing, so every answer is a 4xx problem+json, never a 5xx (CONTRACT.md).
 */
let stack: TestStack;
const MUNICIPALITY = ['agency-municipality'];
const LABOUR = ['team-labour-market-unit'];
const ADMIN = ['admins'];
const TEAM = 'labour-market-unit';
const caseIds: string[] = [];

const logged: string[] = [];
const LOG_SETTINGS = { POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_LOGGER_LOG_EVENT: 'true' };
const settingsBefore = Object.keys(LOG_SETTINGS).map((name) => [name, process.env[name]] as const);

beforeAll(async () => {
  // Every log line the functions write, the whole event included, is kept for the checks below.
  Object.assign(process.env, LOG_SETTINGS);
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown) => {
      logged.push(String(chunk));
      return true;
    }) as typeof stream.write);
  }
  stack = await startTestStack();
  stack.startConsumer();
  // Two cases routed to the labour-market unit (TG4), each with its referral: every list has a second page.
  for (let index = 0; index < 2; index++) {
    const accepted = await stack.submit(referralBody('municipality'), MUNICIPALITY);
    expect(accepted.status).toBe(202);
    await stack.waitForStatus(accepted.body.referralId, 'ROUTED', MUNICIPALITY);
    caseIds.push(accepted.body.caseId);
  }
});
afterAll(async () => {
  vi.restoreAllMocks();
  for (const [name, value] of settingsBefore) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await stack?.stop();
});

function expectProblem(response: ApiResponse, status: number) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(problemSchema.parse(response.body).status).toBe(status);
}

const PROBE_NUMBER = testIdentityNumber('1977-07-07', { serial: 991 });

describe('a path id that is not a UUID', () => {
  const ids = {
    'five thousand characters': 'x'.repeat(5000),
    'an identity number': PROBE_NUMBER,
    'a UUID with more after it': '00000000-0000-4000-8000-000000000000#TEAM#front-desk',
    'a key of another item': 'CASE',
  };
  const routes: Array<{
    name: string;
    request: (id: string) => ApiRequest;
    fn: Parameters<TestStack['call']>[0];
  }> = [
    {
      name: 'GET /cases/{caseId}',
      fn: 'get-case',
      request: (caseId) => ({ resource: '/cases/{caseId}', pathParameters: { caseId }, groups: LABOUR }),
    },
    {
      name: 'GET /referrals/{referralId}',
      fn: 'get-referral',
      request: (referralId) => ({
        resource: '/referrals/{referralId}',
        pathParameters: { referralId },
        groups: MUNICIPALITY,
      }),
    },
    {
      name: 'POST /cases/{caseId}/events',
      fn: 'post-case-event',
      request: (caseId) => ({
        method: 'POST',
        resource: '/cases/{caseId}/events',
        pathParameters: { caseId },
        body: { type: 'accepted', team: TEAM },
        groups: LABOUR,
      }),
    },
    {
      name: 'GET /cases/{caseId}/audit',
      fn: 'get-case-audit',
      request: (caseId) => ({ resource: '/cases/{caseId}/audit', pathParameters: { caseId }, groups: ADMIN }),
    },
  ];

  describe.each(routes)('on $name', (route) => {
    it.each(Object.keys(ids))('answers 404 "No such …" to %s, without echoing it', async (kind) => {
      const id = ids[kind as keyof typeof ids];
      const response = await stack.call(route.fn, route.request(id));
      expectProblem(response, 404);
      expect(response.body.detail).toMatch(/^No such (case|referral)\.$/);
      expect(JSON.stringify(response.body)).not.toContain(id.slice(0, 12));
    });

    it('still answers 401 without a token and 403 to a role that may not call it, before the id', async () => {
      const request = route.request('x'.repeat(5000));
      expectProblem(await stack.call(route.fn, { ...request, groups: null }), 401);
      expectProblem(await stack.call(route.fn, { ...request, groups: ['visitors'] }), 403);
    });
  });
});

const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
const encode = (key: unknown) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

/** Keys this API never gave out, each made from a real one: DynamoDB refuses every one of them. */
function forgeries(real: Record<string, string>, partition: string, sortKey: string) {
  const long = 'x'.repeat(5000);
  const { [sortKey]: _sort, ...withoutSort } = real;
  return {
    'an extra attribute': { ...real, extra: 'x' },
    'a missing sort key': withoutSort,
    'a missing table key': { ...real, sk: undefined },
    'an over-long sort key': { ...real, [sortKey]: `${real[sortKey]}${long}` },
    'an over-long table key': { ...real, pk: `${real.pk}${long}` },
    'an empty sort key': { ...real, [sortKey]: '' },
    'a number': { ...real, [sortKey]: 1 },
    'a nested map': { ...real, sk: { S: real.sk } },
    'another partition': { ...real, [partition]: `${real[partition]}X` },
    'a table key of another item': { ...real, pk: 'PERSON#abc', sk: 'OPEN_CASE' },
    'not a key at all': ['pk', 'sk'],
  };
}

describe('a forged cursor', () => {
  const lists: Array<{
    name: string;
    partition: string;
    sortKey: string;
    call: (cursor?: string) => Promise<ApiResponse>;
    extra?: (real: Record<string, string>) => Record<string, unknown>;
  }> = [
    {
      name: 'GET /cases?team=',
      partition: 'listPk',
      sortKey: 'listSk',
      call: (cursor) => stack.listCases(LABOUR, { team: TEAM, limit: '1', ...(cursor ? { cursor } : {}) }),
      extra: (real) => ({
        "another team's item": { ...real, sk: 'TEAM#front-desk' },
        'a referral as the item': { ...real, pk: 'REFERRAL#00000000-0000-4000-8000-000000000000' },
      }),
    },
    {
      name: 'GET /referrals',
      partition: 'gsi1pk',
      sortKey: 'gsi1sk',
      call: (cursor) =>
        stack.call('list-referrals', {
          resource: '/referrals',
          groups: MUNICIPALITY,
          query: { limit: '1', ...(cursor ? { cursor } : {}) },
        }),
      extra: (real) => ({
        'a case as the item': { ...real, pk: `CASE#${caseIds[0]}`, sk: 'CASE' },
      }),
    },
    {
      name: 'GET /cases/{caseId}/audit',
      partition: 'pk',
      sortKey: 'sk',
      call: (cursor) =>
        stack.call('get-case-audit', {
          resource: '/cases/{caseId}/audit',
          pathParameters: { caseId: caseIds[0]! },
          groups: ADMIN,
          query: { limit: '1', ...(cursor ? { cursor } : {}) },
        }),
      extra: (real) => ({
        'a sort key outside the audit trail': { ...real, sk: 'CASE' },
        "an assignment's sort key": { ...real, sk: `TEAM#${TEAM}` },
        'a sort key just before the audit trail': { ...real, sk: 'AUDIT' },
      }),
    },
  ];

  describe.each(lists)('on $name', (list) => {
    let real: Record<string, string>;
    beforeAll(async () => {
      // A read is audited: the audit trail has a second entry by now.
      await stack.getCase(caseIds[0]!, LABOUR);
      const first = await list.call();
      expect(first.status).toBe(200);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      real = decode(first.body.nextCursor);
    });

    it('takes back the cursor it gave out', async () => {
      const second = await list.call(encode(real));
      expect(second.status).toBe(200);
      expect(second.body.items).toHaveLength(1);
    });

    it('answers 400 naming `cursor` to every key it never gave out', async () => {
      const forged = { ...forgeries(real, list.partition, list.sortKey), ...list.extra?.(real) };
      for (const [kind, key] of Object.entries(forged)) {
        const response = await list.call(encode(key));
        expect(response.status, `${kind}: ${JSON.stringify(response.body)}`).toBe(400);
        expect(response.body.errors, kind).toEqual([{ path: 'cursor', message: expect.any(String) }]);
      }
    });
  });
});

/** `depth` arrays inside each other, as JSON text: no recursive walk survives 10,000. */
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/** `depth` objects inside each other. */
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const withField = (body: unknown, field: string, json: string) =>
  JSON.stringify(body).replace(/^\{/, `{${JSON.stringify(field)}:${json},`);

describe('a body nested 10,000 levels deep, sent with an Idempotency-Key', () => {
  const headers = { 'Idempotency-Key': 'deep-1' };

  it('answers POST /referrals with 400 naming the field', async () => {
    const from = logged.length;
    const { reason: _reason, ...body } = referralBody('municipality');
    for (const [field, json] of [
      ['reason', nested(10_000)],
      ['reason', nestedObjects(10_000)],
      ['extra', nested(10_000)],
    ] as const) {
      const response = await stack.submit(withField(body, field, json), MUNICIPALITY, headers);
      expectProblem(response, 400);
      expect(response.body.errors).toEqual([{ path: field, message: expect.any(String) }]);
    }
    const whole = await stack.submit(nested(10_000), MUNICIPALITY, headers);
    expectProblem(whole, 400);
    expect(whole.body.errors).toEqual([{ path: '(body)', message: expect.any(String) }]);
    // The function logged the event and the refusal at DEBUG, and nothing failed on the way.
    const lines = logged.slice(from).join('\n');
    expect(lines).toContain('"message":"Lambda invocation event"');
    expect(lines).toContain('"message":"Request refused"');
    expect(lines).not.toContain('Request failed');
    expect(lines).not.toContain('Maximum call stack');
  });

  it('answers POST /cases/{caseId}/events with 400 naming the field', async () => {
    const response = await stack.postEvent(
      caseIds[0]!,
      withField({ type: 'accepted', team: TEAM }, 'note', nested(10_000)),
      LABOUR,
      headers,
    );
    expectProblem(response, 400);
    expect(response.body.errors).toEqual([{ path: 'note', message: expect.any(String) }]);
  });
});

describe('a team id shaped like an identity number', () => {
  it('is refused without being echoed', async () => {
    const team = 'x19770707-9872';
    const response = await stack.postEvent(caseIds[0]!, { type: 'accepted', team }, LABOUR);
    expect(response.status).toBe(403);
    expect(JSON.stringify(response.body)).not.toContain('19770707');
  });
});
