import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { ROUTES } from '../../shared/api/routes.js';

/**
 * Every authorized route with every kind of bad token, over HTTP through the local runtime (which
 * verifies like the Cognito authorizer) and the functions' own claim checks: 401 or 403, never 5xx.
 */
let stack: LocalStack;
const tokens: Record<string, string | undefined> = {};

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, dynamoPort: 0, sqsPort: 0, quiet: true });
  const good = await stack.issueToken('admin');
  const [header, payload, signature] = good.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  tokens.missing = undefined;
  tokens.garbage = 'not-a-jwt';
  tokens['alg none'] = `${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`;
  tokens['tampered signature'] =
    `${header}.${base64url({ ...claims, 'cognito:groups': ['admins', 'team-front-desk'] })}.${signature}`;
  tokens.expired = await stack.issueToken('admin', {
    issuedAt: new Date(Date.now() - 9 * 3600 * 1000),
    lifetimeSeconds: 3600,
  });
  tokens['wrong issuer'] = await stack.issueToken('admin', {
    overrides: { iss: 'https://cognito-idp.eu-north-1.amazonaws.com/other' },
  });
  tokens['wrong audience'] = await stack.issueToken('admin', { overrides: { aud: 'another-app' } });
  tokens['access token'] = await stack.issueToken('admin', { overrides: { token_use: 'access' } });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const authorized = ROUTES.filter((route) => route.authorized);
const call = (route: (typeof ROUTES)[number], authorization?: string) =>
  fetch(`${stack.url}${route.path.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000')}`, {
    method: route.method,
    headers: {
      ...(authorization ? { Authorization: authorization } : {}),
      ...(route.method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(route.method === 'POST' ? { body: '{}' } : {}),
  });

describe.each(authorized)('$method $path', (route) => {
  it.each([
    'missing',
    'garbage',
    'alg none',
    'tampered signature',
    'expired',
    'wrong issuer',
    'wrong audience',
    'access token',
  ])('answers 401 problem+json to a %s token', async (kind) => {
    const token = tokens[kind];
    const response = await call(route, token === undefined ? undefined : `Bearer ${token}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers 403 to a valid token whose groups give no role', async () => {
    const token = await stack.issueToken('admin', { overrides: { groups: ['visitors'] } });
    const response = await call(route, `Bearer ${token}`);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it.each([
    ['team-x,admins'],
    ['team-front-desk,admins'],
    ['agency-municipality,team-front-desk,admins'],
    ['[admins]'],
    ['team-no-such-team'],
  ])('answers 403 to a valid token whose one group is named %s', async (group) => {
    const token = await stack.issueToken('admin', { overrides: { groups: [group] } });
    const response = await call(route, `Bearer ${token}`);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('public routes', () => {
  it('answer without a token', async () => {
    for (const route of ROUTES.filter((candidate) => !candidate.authorized)) {
      expect((await call(route)).status, route.path).toBe(200);
    }
  });
});
