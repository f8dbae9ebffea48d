import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/ports.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { CaseRepository } from '../../shared/cases/repository.js';
import {
  PRISM_VIOLATIONS,
  type Prism,
  startPrismProxy,
  type Violation,
  violationsOf,
} from '../helpers/prism.js';
import { referralBody } from '../helpers/referrals.js';

/**
 * Integrators build on docs/openapi.json, so every answer the API gives must match it. The real local
 * runtime (as `npm start` runs it) sits behind Prism's validating proxy, and a representative set of
 * requests is replayed through it: every operation, its successes and its errors.
 *
 * - `strict` is `prism proxy --errors`: for requests the document calls valid. A response that breaks
 *   the document would come back as Prism's own 500; any violation at all (an undocumented status is
 *   only a warning) is in the `sl-violations` header, which must be absent.
 * - `lenient` is the same proxy without `--errors`, for requests the document itself refuses (no token,
 *   a body against the schema, not JSON, too large): with `--errors` Prism would answer those itself
 *   and never ask the API. Here the request must be named as a violation (the document describes the
 *   rule) and the API's answer must match the document all the same.
 */

const DOCUMENT = fileURLToPath(new URL('../../docs/openapi.json', import.meta.url));
const openapi = JSON.parse(readFileSync(DOCUMENT, 'utf8')) as {
  paths: Record<string, Record<string, { operationId?: string }>>;
};
const OPERATIONS = Object.entries(openapi.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({
    path,
    method: method.toUpperCase(),
    operationId: operation.operationId ?? `${method.toUpperCase()} ${path}`,
  })),
);

type Via = 'strict' | 'lenient';
type Exchange = { via: Via; operationId: string; status: number; violations: Violation[] };
type Call = {
  token?: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
};

const exchanges: Exchange[] = [];
let stack: LocalStack;
let strict: Prism;
let lenient: Prism;

function operationOf(method: string, path: string): string {
  const segments = path.split('?')[0]!.split('/');
  const found = OPERATIONS.find((operation) => {
    const template = operation.path.split('/');
    return (
      operation.method === method &&
      template.length === segments.length &&
      template.every((part, index) => part.startsWith('{') || part === segments[index])
    );
  });
  if (!found) throw new Error(`${method} ${path} is no operation of the document`);
  return found.operationId;
}

async function send(prism: Prism, method: string, path: string, call: Call) {
  const headers = new Headers(call.headers);
  if (call.token) headers.set('Authorization', `Bearer ${call.token}`);
  let body = call.body;
  if (call.json !== undefined) {
    body = JSON.stringify(call.json);
    if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  }
  const response = await fetch(`${prism.url}${path}`, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  const parsed = /json/.test(response.headers.get('content-type') ?? '') && text ? JSON.parse(text) : text;
  return { response, body: parsed };
}

/**
 * One exchange through one of the proxies: the answer must have the expected status, come from the
 * API (its request id header, not an answer Prism made up) and match the document.
 */
async function exchange(via: Via, status: number, method: string, path: string, call: Call = {}) {
  const operationId = operationOf(method, path);
  const { response, body } = await send(via === 'strict' ? strict : lenient, method, path, call);
  const violations = violationsOf(response);
  exchanges.push({ via, operationId, status: response.status, violations });
  const what = `${method} ${path} via ${via}: ${response.status} ${JSON.stringify(body).slice(0, 400)}\nviolations: ${JSON.stringify(violations, null, 1)}`;
  expect(response.status, what).toBe(status);
  expect(response.headers.get('x-amzn-requestid'), `the API answered ${what}`).toBeTruthy();
  if (via === 'strict') {
    expect(violations, what).toEqual([]);
  } else {
    expect(
      violations.filter((violation) => violation.location[0] === 'response'),
      what,
    ).toEqual([]);
    expect(
      violations.filter((violation) => violation.location[0] === 'request').length,
      `the document should refuse the request too: ${what}`,
    ).toBeGreaterThan(0);
  }
  if (status >= 400) {
    expect(response.headers.get('content-type'), what).toBe('application/problem+json');
    expect((body as { type?: string }).type, what).not.toMatch(/stoplight\.io/);
  }
  return { response, body: body as any };
}

/** A request the document calls valid, through `prism proxy --errors`. */
const replay = (status: number, method: string, path: string, call?: Call) =>
  exchange('strict', status, method, path, call);
/** A request the document itself refuses, through the proxy without `--errors`. */
const replayInvalid = (status: number, method: string, path: string, call?: Call) =>
  exchange('lenient', status, method, path, call);

/** Moves a case's intervention start back by months in the table, as if that time had passed. */
async function backdateIntervention(caseId: string, months: number) {
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.dynamoEndpoint,
      region: 'eu-north-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const repository = new CaseRepository(dynamo, stack.tableName);
  const record = (await repository.getCase(caseId))!;
  const at = new Date();
  at.setUTCMonth(at.getUTCMonth() - months);
  const assignments = Object.fromEntries(
    Object.entries(record.assignments).map(([team, assignment]) => [
      team,
      assignment.interventionStartedAt
        ? { ...assignment, interventionStartedAt: at.toISOString() }
        : assignment,
    ]),
  );
  await repository.saveCase({ ...record, assignments, version: record.version + 1 }, record);
}

async function login(user: string): Promise<string> {
  const response = await fetch(`${stack.url}/local/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

/** Polls through the proxy (every poll is an exchange too) until the referral's case is ROUTED. */
async function routed(referralId: string, token: string) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { body } = await replay(200, 'GET', `/referrals/${referralId}`, { token });
    if (body.status === 'ROUTED' || Date.now() > deadline) return body;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The demo users whose tokens (from POST /local/login) the replay sends. */
const USERS = [
  'employment-officer',
  'municipality-officer',
  'employment-service-team',
  'social-insurance-team',
  'partner-team',
  'front-desk-coordinator',
  'labour-market-team',
  'steering-group-member',
  'admin',
] as const;

describe('the API behind a validating proxy (Prism) answers as docs/openapi.json says', () => {
  const tokens = {} as Record<(typeof USERS)[number], string>;
  const first = { referralId: '', caseId: '' };
  const second = { referralId: '', caseId: '' };

  beforeAll(async () => {
    const port = await freePort();
    const upstream = `http://127.0.0.1:${port}`;
    const started = await Promise.allSettled([
      startLocalStack({ port, dynamoPort: 0, sqsPort: 0, quiet: true, web: false }),
      startPrismProxy({ document: DOCUMENT, upstream, errors: true }),
      startPrismProxy({ document: DOCUMENT, upstream, errors: false }),
    ]);
    const [stackStarted, strictStarted, lenientStarted] = started;
    if (stackStarted.status === 'fulfilled') stack = stackStarted.value;
    if (strictStarted.status === 'fulfilled') strict = strictStarted.value;
    if (lenientStarted.status === 'fulfilled') lenient = lenientStarted.value;
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    for (const user of USERS) tokens[user] = await login(user);
  }, 45_000);

  afterAll(async () => {
    await Promise.all([strict?.stop(), lenient?.stop()]);
    await stack?.stop();
  });

  it('serves the two public documents', async () => {
    await replay(200, 'GET', '/health');
    const { body } = await replay(200, 'GET', '/openapi.json');
    expect(body.openapi).toBe('3.1.0');
  });

  it('accepts a referral with 202, answers the same again for its Idempotency-Key, 409 for another body', async () => {
    const token = tokens['employment-officer'];
    const body = referralBody('employment-service', { situation: { workCapacityHoursPerWeek: 20 } });
    const headers = { 'Idempotency-Key': `proxy-${randomUUID()}` };

    const accepted = await replay(202, 'POST', '/referrals', { token, json: body, headers });
    const again = await replay(202, 'POST', '/referrals', { token, json: body, headers });
    await replay(409, 'POST', '/referrals', { token, json: referralBody('employment-service'), headers });

    expect(again.body).toEqual(accepted.body);
    expect(accepted.response.headers.get('location')).toBe(`/referrals/${accepted.body.referralId}`);
    Object.assign(first, { referralId: accepted.body.referralId, caseId: accepted.body.caseId });
    const other = await replay(202, 'POST', '/referrals', {
      token,
      json: referralBody('employment-service'),
    });
    Object.assign(second, { referralId: other.body.referralId, caseId: other.body.caseId });
  });

  it('refuses what only the API can tell is wrong: 400, 401 for a bad token, 403 for a team', async () => {
    const token = tokens['employment-officer'];
    const nextYear = `${new Date().getUTCFullYear() + 1}-01-01`;
    await replay(400, 'POST', '/referrals', {
      token,
      json: referralBody('employment-service', { consent: { recordedAt: nextYear } }),
    });
    await replay(400, 'POST', '/referrals', {
      token,
      json: referralBody('employment-service', { person: { personalIdentityNumber: '19901211-9947' } }),
    });
    // The employment service must say how long the person has been unemployed.
    await replay(400, 'POST', '/referrals', { token, json: referralBody('municipality') });
    await replay(401, 'POST', '/referrals', { token: 'not-a-jwt', json: referralBody() });
    await replay(401, 'GET', '/referrals', { token: `${token.slice(0, -4)}AAAA` });
    await replay(403, 'POST', '/referrals', {
      token: tokens['employment-service-team'],
      json: referralBody(),
    });
  });

  it('refuses what the document refuses too: 401 without a token, 400, 415, 413', async () => {
    const token = tokens['employment-officer'];
    await replayInvalid(401, 'GET', '/referrals');
    await replayInvalid(401, 'POST', '/referrals', { json: referralBody() });
    await replayInvalid(400, 'POST', '/referrals', {
      token,
      json: { person: { personalIdentityNumber: '19901211-9948' }, surprise: true },
    });
    await replayInvalid(415, 'POST', '/referrals', {
      token,
      body: 'person=Anna',
      headers: { 'Content-Type': 'text/plain' },
    });
    await replayInvalid(413, 'POST', '/referrals', {
      token,
      json: { ...referralBody(), reason: 'x'.repeat(70 * 1024) },
    });
    await replayInvalid(400, 'GET', '/referrals?limit=0', { token });
    await replayInvalid(400, 'GET', '/cases?status=LOST', { token: tokens['employment-service-team'] });
  });

  it("lists the agency's referrals a page at a time; 400 for a bad cursor, 403 for another agency", async () => {
    const token = tokens['employment-officer'];
    const page = await replay(200, 'GET', '/referrals?limit=1', { token });
    expect(page.body.items).toHaveLength(1);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const cursor = encodeURIComponent(page.body.nextCursor);
    const next = await replay(200, 'GET', `/referrals?limit=1&cursor=${cursor}`, { token });
    expect(next.body.items).toHaveLength(1);
    await replay(200, 'GET', '/referrals?agency=employment-service', { token: tokens.admin });
    await replay(400, 'GET', '/referrals?cursor=not-a-cursor', { token });
    await replay(403, 'GET', '/referrals?agency=municipality', { token });
    await replay(403, 'GET', '/referrals', { token: tokens['employment-service-team'] });
  });

  it('follows a referral to ROUTED (closed loop); 404 for an unknown one or another agency’s', async () => {
    const token = tokens['employment-officer'];
    expect(await routed(first.referralId, token)).toMatchObject({ status: 'ROUTED' });
    expect(await routed(second.referralId, token)).toMatchObject({ status: 'ROUTED' });
    await replay(404, 'GET', `/referrals/${randomUUID()}`, { token });
    await replay(404, 'GET', '/referrals/not-an-id', { token });
    await replay(404, 'GET', `/referrals/${first.referralId}`, { token: tokens['municipality-officer'] });
  });

  it("lists a team's work a page at a time; 403 for another team's or an agency", async () => {
    const token = tokens['employment-service-team'];
    const page = await replay(200, 'GET', '/cases?team=employment-service&status=ROUTED&limit=1', { token });
    expect(page.body.items).toHaveLength(1);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const cursor = encodeURIComponent(page.body.nextCursor);
    await replay(200, 'GET', `/cases?team=employment-service&limit=1&cursor=${cursor}`, { token });
    await replay(200, 'GET', '/cases', { token });
    await replay(200, 'GET', '/cases?team=partner-programmes', { token: tokens['partner-team'] });
    await replay(200, 'GET', '/cases?team=employment-service', { token: tokens['front-desk-coordinator'] });
    await replay(400, 'GET', '/cases?cursor=not-a-cursor', { token });
    await replay(403, 'GET', '/cases?team=social-insurance', { token });
    await replay(403, 'GET', '/cases', { token: tokens['employment-officer'] });
  });

  it('shows a case to its teams (the partner the minimum), the front desk and admins; 403, 404 to others', async () => {
    const path = `/cases/${first.caseId}`;
    const full = await replay(200, 'GET', path, { token: tokens['employment-service-team'] });
    expect(full.body.person.personalIdentityNumber).toEqual(expect.any(String));
    const minimum = await replay(200, 'GET', path, { token: tokens['partner-team'] });
    expect(minimum.body.person.personalIdentityNumber).toBeUndefined();
    await replay(200, 'GET', path, { token: tokens['front-desk-coordinator'] });
    await replay(200, 'GET', path, { token: tokens.admin });
    await replay(404, 'GET', path, { token: tokens['social-insurance-team'] });
    await replay(404, 'GET', `/cases/${randomUUID()}`, { token: tokens.admin });
    await replay(403, 'GET', path, { token: tokens['employment-officer'] });
  });

  it('records a team’s steps: 200, the same again for its Idempotency-Key, 409, 400, 403, 404, 413, 415', async () => {
    const token = tokens['employment-service-team'];
    const path = `/cases/${first.caseId}/events`;
    const headers = { 'Idempotency-Key': `proxy-${randomUUID()}` };
    const accepted = { type: 'accepted', team: 'employment-service' };

    const first200 = await replay(200, 'POST', path, { token, json: accepted, headers });
    const again = await replay(200, 'POST', path, { token, json: accepted, headers });
    expect(again.body).toEqual(first200.body);
    await replay(409, 'POST', path, { token, json: accepted });
    await replay(409, 'POST', path, {
      token,
      json: { ...accepted, type: 'intervention-started', expectedVersion: 1 },
    });
    await replay(400, 'POST', path, { token, json: { type: 'declined', team: 'employment-service' } });
    await replay(200, 'POST', path, {
      token,
      json: { type: 'intervention-started', team: 'employment-service' },
    });
    await replay(200, 'POST', path, {
      token,
      json: { type: 'closed', team: 'employment-service', outcome: 'employment', note: 'Anställd.' },
    });
    await replay(200, 'POST', `/cases/${second.caseId}/events`, {
      token,
      json: { type: 'declined', team: 'employment-service', reason: 'Ingen plats.' },
    });
    await replay(403, 'POST', path, { token, json: { type: 'accepted', team: 'social-insurance' } });
    await replay(403, 'POST', path, { token: tokens['employment-officer'], json: accepted });
    await replay(404, 'POST', `/cases/${randomUUID()}/events`, { token, json: accepted });

    await replayInvalid(400, 'POST', path, {
      token,
      json: { type: 'finished', team: 'employment-service' },
    });
    await replayInvalid(415, 'POST', path, {
      token,
      body: 'accepted',
      headers: { 'Content-Type': 'text/plain' },
    });
    await replayInvalid(413, 'POST', path, { token, json: { ...accepted, note: 'x'.repeat(70 * 1024) } });
  });

  it('keeps a team’s notes and assigns its caseworker: 201, 200, 400, 403, 404', async () => {
    const token = tokens['front-desk-coordinator'];
    const path = `/cases/${first.caseId}/notes`;
    const note = { team: 'front-desk', text: 'Ringde klienten.' };
    const added = await replay(201, 'POST', path, { token, json: note });
    expect(added.body).toMatchObject({ team: 'front-desk', text: note.text });
    await replayInvalid(400, 'POST', path, { token, json: { team: 'front-desk', text: '' } });
    await replay(403, 'POST', path, { token, json: { team: 'labour-market-unit', text: 'x' } });
    await replay(404, 'POST', `/cases/${randomUUID()}/notes`, { token, json: note });
    await replay(200, 'POST', `/cases/${first.caseId}/events`, {
      token,
      json: { type: 'assigned', team: 'front-desk', assignee: 'me' },
    });
    const mine = await replay(200, 'GET', '/cases?team=front-desk&assignee=me', { token });
    expect(mine.body.items.map((item: { caseId: string }) => item.caseId)).toContain(first.caseId);
  });

  it('reads statistics as JSON and CSV, the catalogue and the equity view; 400, 403', async () => {
    const token = tokens['steering-group-member'];
    const grouped = await replay(200, 'GET', '/stats?indicator=referrals-received&groupBy=gender', { token });
    expect(grouped.body.cells.map((cell: { gender: string }) => cell.gender)).toEqual(['women', 'men']);
    const csv = await replay(
      200,
      'GET',
      '/stats?indicator=lead-time&step=accepted&interval=total&format=csv&dialect=excel-sv',
      { token },
    );
    expect(csv.response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    // fetch's text() drops a BOM; statistics.test.ts reads the handler's raw body for that.
    expect(csv.body).toMatch(/^period;value;n;suppressed\r\n/);
    await replay(200, 'GET', '/stats?indicator=participants-active&team=employment-service', {
      token: tokens['employment-service-team'],
    });
    await replay(200, 'GET', '/stats/indicators', { token });
    await replay(200, 'GET', '/stats/equity', { token: tokens.admin });
    await replay(400, 'GET', '/stats?indicator=participants-new&groupBy=gender,ageBand,team', { token });
    await replay(400, 'GET', '/stats?indicator=participants-new&from=2026-12&to=2026-01', { token });
    await replay(403, 'GET', '/stats?indicator=participants-new&team=partner-programmes', {
      token: tokens['employment-service-team'],
    });
    await replay(403, 'GET', '/stats?indicator=participants-new', { token: tokens['employment-officer'] });
    await replay(403, 'GET', '/stats/indicators', { token: tokens['municipality-officer'] });
    await replay(403, 'GET', '/stats/equity', { token: tokens['employment-officer'] });
    await replayInvalid(400, 'GET', '/stats', { token });
  });

  it('records a TG4 follow-up once its milestone has come: 201, 200, 409, 400, 403, 404', async () => {
    const officer = tokens['municipality-officer'];
    const token = tokens['labour-market-team'];
    const accepted = await replay(202, 'POST', '/referrals', {
      token: officer,
      json: referralBody('municipality'),
    });
    const { caseId } = await routed(accepted.body.referralId, officer);
    const path = `/cases/${caseId}/follow-ups`;
    const answer = { milestone: '6m', selfSufficient: true };
    await replay(200, 'POST', `/cases/${caseId}/events`, {
      token,
      json: { type: 'accepted', team: 'labour-market-unit' },
    });
    await replay(200, 'POST', `/cases/${caseId}/events`, {
      token,
      json: { type: 'intervention-started', team: 'labour-market-unit' },
    });
    await replay(409, 'POST', path, { token, json: answer });
    // Seven months on: the intervention's start moved back in the stored case, as time would have.
    await backdateIntervention(caseId, 7);
    const recorded = await replay(201, 'POST', path, { token, json: answer });
    expect(recorded.body).toMatchObject({ caseId, ...answer, team: 'labour-market-unit' });
    await replay(200, 'POST', path, { token, json: answer });
    await replay(409, 'POST', path, { token, json: { ...answer, selfSufficient: false } });
    await replayInvalid(400, 'POST', path, { token, json: { milestone: '3m', selfSufficient: true } });
    await replay(403, 'POST', path, { token: officer, json: answer });
    await replay(404, 'POST', `/cases/${randomUUID()}/follow-ups`, { token, json: answer });
  });

  it('shows the audit trail to admins a page at a time; 403, 404 to others', async () => {
    const path = `/cases/${first.caseId}/audit`;
    const page = await replay(200, 'GET', `${path}?limit=1`, { token: tokens.admin });
    expect(page.body.items).toHaveLength(1);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const cursor = encodeURIComponent(page.body.nextCursor);
    await replay(200, 'GET', `${path}?limit=1&cursor=${cursor}`, { token: tokens.admin });
    await replay(400, 'GET', `${path}?cursor=not-a-cursor`, { token: tokens.admin });
    await replay(403, 'GET', path, { token: tokens['front-desk-coordinator'] });
    await replay(404, 'GET', `/cases/${randomUUID()}/audit`, { token: tokens.admin });
  });

  it('replayed every operation of the document, with successes and errors of every kind', () => {
    for (const { operationId, path } of OPERATIONS) {
      const statuses = exchanges.filter((e) => e.operationId === operationId).map((e) => e.status);
      expect(
        statuses.some((status) => status < 300),
        `${operationId}: ${statuses}`,
      ).toBe(true);
      if (path === '/health' || path === '/openapi.json') continue;
      expect(
        statuses.some((status) => status >= 400),
        `${operationId}: ${statuses}`,
      ).toBe(true);
    }
    const statuses = new Set(exchanges.map((e) => e.status));
    for (const status of [200, 202, 400, 401, 403, 404, 409, 413, 415]) expect(statuses).toContain(status);
  });
});

describe('the validating proxy itself', () => {
  let upstream: Server;
  let prism: Prism;

  beforeAll(async () => {
    // A stand-in for the API that answers every request with what the test asks for, right or wrong.
    upstream = createServer((request, response) => {
      const status = Number(request.headers['x-answer-status'] ?? 200);
      const type = String(request.headers['x-answer-type'] ?? 'application/json');
      request.resume();
      request.on('end', () => {
        response.writeHead(status, { 'Content-Type': type });
        response.end(String(request.headers['x-answer-body'] ?? '{"unexpected":true}'));
      });
    });
    const port = await freePort();
    await new Promise<void>((resolve) => upstream.listen(port, '127.0.0.1', resolve));
    prism = await startPrismProxy({ document: DOCUMENT, upstream: `http://127.0.0.1:${port}`, errors: true });
  }, 30_000);

  afterAll(async () => {
    await prism?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  /** A request the document calls valid, for each operation (ids need only be strings). */
  const valid: Record<string, { method: string; path: string; json?: unknown; status: number }> = {};
  for (const operation of OPERATIONS) {
    const path = operation.path.replace(/\{[^}]+\}/g, randomUUID());
    const json =
      operation.path === '/referrals' && operation.method === 'POST'
        ? referralBody()
        : operation.path.endsWith('/events')
          ? { type: 'accepted', team: 'employment-service' }
          : operation.path.endsWith('/notes')
            ? { team: 'employment-service', text: 'x' }
            : operation.path.endsWith('/follow-ups')
              ? { milestone: '6m', selfSufficient: true }
              : undefined;
    valid[operation.operationId] = {
      method: operation.method,
      path: operation.path === '/stats' ? `${path}?indicator=participants-new` : path,
      json,
      status:
        operation.method === 'POST' && operation.path === '/referrals'
          ? 202
          : operation.path.endsWith('/notes') || operation.path.endsWith('/follow-ups')
            ? 201
            : 200,
    };
  }

  it.each(OPERATIONS.map((operation) => operation.operationId))(
    'turns a success answer of %s that breaks the document into its own 500',
    async (operationId) => {
      const request = valid[operationId]!;
      const { response, body } = await send(prism, request.method, request.path, {
        token: 'a.b.c',
        ...(request.json === undefined ? {} : { json: request.json }),
        headers: { 'x-answer-status': String(request.status) },
      });

      expect(response.status).toBe(500);
      expect(body.type).toBe(PRISM_VIOLATIONS);
      expect(violationsOf(response).some((v) => v.location[0] === 'response')).toBe(true);
    },
  );

  it('names an error answer that breaks the Problem schema, and a status the document does not list', async () => {
    const broken = await send(prism, 'GET', '/referrals', {
      token: 'a.b.c',
      headers: {
        'x-answer-status': '403',
        'x-answer-type': 'application/problem+json',
        'x-answer-body': '{"title":"Forbidden"}',
      },
    });
    expect(broken.response.status).toBe(500);
    expect(broken.body.type).toBe(PRISM_VIOLATIONS);

    const undocumented = await send(prism, 'GET', '/referrals', {
      token: 'a.b.c',
      headers: {
        'x-answer-status': '418',
        'x-answer-type': 'application/problem+json',
        'x-answer-body': '{"type":"about:blank","title":"Teapot","status":418,"detail":"No."}',
      },
    });
    expect(undocumented.response.status).toBe(418);
    expect(violationsOf(undocumented.response)).toEqual([
      expect.objectContaining({ location: ['response'], severity: 'Warning' }),
    ]);
  });
});
