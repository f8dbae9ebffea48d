import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { ROUTES } from '../../shared/api/routes.js';

/**
 * Every authorized route with every kind of bad token, a person's and a machine client's, over HTTP
 * through the local runtime (which verifies like the Cognito authorizer on methods that name OAuth
 * scopes) and the functions' own claim checks: 401 or 403, never 5xx.
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
  tokens['wrong app client'] = await stack.issueToken('admin', { overrides: { clientId: 'another-app' } });
  // Methods that name OAuth scopes take access tokens only: a person's ID token is refused.
  tokens['ID token'] = await stack.issueToken('admin', { overrides: { token_use: 'id' } });
  tokens['scope-less'] = await stack.issueToken('admin', { overrides: { scope: 'openid email' } });

  // Machine clients (client credentials): the same checks, and their scope.
  const system = 'agency-employment-service-system';
  const machine = await stack.issueClientToken(system);
  const [, machinePayload, machineSignature] = machine.split('.') as [string, string, string];
  const machineClaims = JSON.parse(Buffer.from(machinePayload, 'base64url').toString('utf8'));
  tokens['machine: tampered scope'] =
    `${header}.${base64url({ ...machineClaims, scope: 'frontdesk/admins' })}.${machineSignature}`;
  tokens['machine: wrong scope'] = await stack.issueClientToken(system, {
    overrides: { scope: 'frontdesk/visitors' },
  });
  tokens['machine: another resource server'] = await stack.issueClientToken(system, {
    overrides: { scope: 'elsewhere/agency-employment-service' },
  });
  tokens['machine: another pool'] = await stack.issueClientToken(system, {
    overrides: { iss: 'https://cognito-idp.eu-north-1.amazonaws.com/other' },
  });
  tokens['machine: expired'] = await stack.issueClientToken(system, {
    issuedAt: new Date(Date.now() - 2 * 3600 * 1000),
    lifetimeSeconds: 900,
  });
  // A client the pool does not have (locally: not a demo client), as one an administrator removed.
  tokens['machine: removed client'] = await stack.issueClientToken(system, {
    overrides: { clientId: 'agency-employment-service-old-system' },
  });
  tokens['machine: not an access token'] = await stack.issueClientToken(system, {
    overrides: { token_use: 'id' },
  });
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
    'wrong app client',
    'ID token',
    'scope-less',
    'machine: tampered scope',
    'machine: wrong scope',
    'machine: another resource server',
    'machine: another pool',
    'machine: expired',
    'machine: removed client',
    'machine: not an access token',
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
    ['the staff scope alone', { scope: 'frontdesk/staff' }],
    ['a scope that holds other groups', { scope: 'frontdesk/staff frontdesk/team-x,admins' }],
    ['the scope of a team the deployment does not have', { scope: 'frontdesk/staff frontdesk/team-x' }],
  ])(
    'answers 401 to a machine token with %s: only the staff app speaks for people',
    async (_name, overrides) => {
      const token = await stack.issueClientToken('team-front-desk-system', { overrides });
      const response = await call(route, `Bearer ${token}`);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    },
  );

  it('answers 403 to a valid machine token whose group gives no right here', async () => {
    // The steering group reads statistics and nothing else; an agency reads no statistics.
    const group = route.path.startsWith('/stats') ? 'agency-municipality' : 'steering-group';
    const token = await stack.issueClientToken('team-front-desk-system', {
      overrides: { scope: `frontdesk/${group}` },
    });
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
