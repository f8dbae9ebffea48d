import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../local/demo-users.js';
import { apiGatewayClaims, LOCAL_AUDIENCE } from '../../local/local-issuer.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { referralBody } from '../helpers/referrals.js';

/** Retries `probe` until it returns something, or fails with what it last saw. */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Nothing within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the local runtime', () => {
  let stack: LocalStack;
  let sqs: SQSClient;

  const call = (path: string, init: RequestInit & { token?: string } = {}) => {
    const { token, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    return fetch(`${stack.url}${path}`, { ...rest, headers });
  };

  const login = async (user: string) => {
    const response = await call('/local/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user }),
    });
    return ((await response.json()) as { token: string }).token;
  };

  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      dynamoPort: 0,
      sqsPort: 0,
      visibilityTimeoutSeconds: 1,
      quiet: true,
    });
    sqs = new SQSClient({
      endpoint: stack.sqsEndpoint,
      region: stack.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      useQueueUrlAsEndpoint: false,
    });
  });

  afterAll(async () => {
    sqs?.destroy();
    await stack?.stop();
  });

  it('answers GET /health with 200', async () => {
    const response = await call('/health');

    expect(response.status).toBe(200);
  });

  it('lists the ten demo users on GET /local/users', async () => {
    const response = await call('/local/users');

    expect(response.status).toBe(200);
    const { users } = (await response.json()) as {
      users: Array<{ id: string; name: string; groups: string[] }>;
    };
    expect(users.map((user) => user.id)).toEqual([
      'municipality-officer',
      'employment-officer',
      'insurance-officer',
      'front-desk-coordinator',
      'employment-service-team',
      'social-insurance-team',
      'labour-market-team',
      'partner-team',
      'admin',
      'steering-group-member',
    ]);
    expect(users.find((user) => user.id === 'partner-team')?.groups).toEqual(['team-partner-programmes']);
  });

  it('lists the demo machine clients of the contract on GET /local/users under `clients`', async () => {
    const { clients } = (await (await call('/local/users')).json()) as {
      clients: Array<{ id: string; group: string; scope: string }>;
    };

    expect(clients.map((client) => client.id)).toEqual([
      'agency-municipality-system',
      'agency-employment-service-system',
      'agency-social-insurance-system',
      ...stack.deployment.teams.map((team) => `team-${team}-system`),
    ]);
    expect(clients[0]).toEqual({
      id: 'agency-municipality-system',
      group: 'agency-municipality',
      scope: 'frontdesk/agency-municipality',
    });
  });

  describe('POST /local/oauth2/token (client credentials, as Cognito)', () => {
    const token = (form: Record<string, string>, headers: Record<string, string> = {}) =>
      call('/local/oauth2/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(form).toString(),
      });
    const good = {
      grant_type: 'client_credentials',
      client_id: 'team-labour-market-unit-system',
      client_secret: 'local-secret',
    };

    it('answers an access token that the authorized routes accept', async () => {
      const response = await token(good);

      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 900 });
      const cases = await call('/cases?team=labour-market-unit', { token: String(body.access_token) });
      expect(cases.status).toBe(200);
    });

    it('takes the credentials as HTTP Basic too, and a scope the client was granted', async () => {
      const basic = Buffer.from(`${good.client_id}:${good.client_secret}`).toString('base64');
      const response = await token(
        { grant_type: 'client_credentials', scope: 'frontdesk/team-labour-market-unit' },
        { Authorization: `Basic ${basic}` },
      );

      expect(response.status).toBe(200);
    });

    it.each([
      ['a wrong secret', { ...good, client_secret: 'guess' }, 401, 'invalid_client'],
      ['an unknown client', { ...good, client_id: 'agency-police-system' }, 401, 'invalid_client'],
      ['no credentials', { grant_type: 'client_credentials' }, 401, 'invalid_client'],
      ['another grant', { ...good, grant_type: 'password' }, 400, 'unsupported_grant_type'],
      ['no grant', { client_id: good.client_id, client_secret: good.client_secret }, 400, 'invalid_request'],
      ['a scope not granted', { ...good, scope: 'frontdesk/admins' }, 400, 'invalid_scope'],
    ])('answers %s with the OAuth error', async (_name, form, status, error) => {
      const response = await token(form);

      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error });
    });

    it('answers a body that is not form-encoded with invalid_request', async () => {
      const response = await call('/local/oauth2/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(good),
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: 'invalid_request' });
    });
  });

  it('issues a token on POST /local/login that the authorized routes accept', async () => {
    const token = await login('employment-officer');

    const response = await call('/referrals', { token });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ items: [] });
  });

  it('refuses an unknown demo user with 400 naming `user`', async () => {
    const response = await call('/local/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: 'mallory' }),
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 400, errors: [{ path: 'user' }] });
  });

  describe('refuses a request to an authorized route with 401 problem+json', () => {
    const tokens: Record<string, () => Promise<string | undefined>> = {
      'without a token': async () => undefined,
      'with a token that is not a JWT': async () => 'not-a-jwt',
      'with an expired token': () =>
        stack.issueToken('admin', { issuedAt: new Date(Date.now() - 9 * 60 * 60 * 1000) }),
      'with a token signed by another key': async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return new SignJWT({ 'cognito:groups': ['admins'], token_use: 'id' })
          .setProtectedHeader({ alg: 'ES256' })
          .setIssuer(`${stack.url}/local`)
          .setAudience(LOCAL_AUDIENCE)
          .setSubject('intruder')
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(privateKey);
      },
    };

    it.each(Object.keys(tokens))('%s', async (name) => {
      const token = await tokens[name]?.();

      const response = await call('/referrals', { token });

      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
      });
    });
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const response = await call('/no-such-thing');

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ title: 'Not Found', status: 404 });
  });

  it('answers a known route with a method it does not take with 405 and Allow', async () => {
    const response = await call('/referrals', { method: 'DELETE' });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, GET');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('routes a referral end to end: 202, screened to ROUTED, a case.routed message on the team queue', async () => {
    const token = await login('employment-officer');
    const body = referralBody('employment-service', { person: { personalIdentityNumber: '19901211-9948' } });

    const submitted = await call('/referrals', {
      method: 'POST',
      token,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

    expect(submitted.status).toBe(202);
    const { referralId, caseId } = (await submitted.json()) as { referralId: string; caseId: string };
    expect(submitted.headers.get('location')).toBe(`/referrals/${referralId}`);
    const referral = await eventually(async () => {
      const response = await call(`/referrals/${referralId}`, { token });
      const view = (await response.json()) as { status: string };
      return view.status === 'ROUTED' ? view : undefined;
    });
    expect(referral).toMatchObject({ caseId, status: 'ROUTED' });
    const queueUrl = stack.queueUrls['frontdesk-employment-service'];
    const message = await eventually(async () => {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
      return received.Messages?.map((m) => JSON.parse(m.Body ?? '{}')).find((m) => m.caseId === caseId);
    });
    expect(message).toMatchObject({ type: 'case.routed', caseId, team: 'employment-service' });
  });

  it('moves a message the screening consumer keeps failing to the dead-letter queue', async () => {
    await sqs.send(
      new SendMessageCommand({ QueueUrl: stack.queueUrls['frontdesk-screening'], MessageBody: 'poison' }),
    );

    const deadLetter = await eventually(async () => {
      const received = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: stack.queueUrls['frontdesk-screening-dlq'],
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      return received.Messages?.find((m) => m.Body === 'poison');
    }, 25_000);

    expect(deadLetter.Body).toBe('poison');
  }, 30_000);

  it('starts again on the same ports after stop()', async () => {
    const ports = {
      port: stack.port,
      dynamoPort: Number(new URL(stack.dynamoEndpoint).port),
      sqsPort: Number(new URL(stack.sqsEndpoint).port),
    };
    await stack.stop();

    stack = await startLocalStack({ ...ports, quiet: true });
    const response = await call('/health');

    expect(response.status).toBe(200);
    const listed = (await (await call('/local/users')).json()) as { users: unknown[] };
    expect(listed.users).toHaveLength(DEMO_USERS.length);
  }, 60_000);
});

describe('the claims the local authorizer hands to a function', () => {
  it('are strings, as API Gateway REST hands them over, exp as a date; groups a JSON array', () => {
    const claims = apiGatewayClaims({
      sub: 'abc',
      'cognito:groups': ['team-front-desk', 'admins'],
      email_verified: true,
      exp: 1_795_000_000,
      token_use: 'id',
    });

    expect(claims).toEqual({
      sub: 'abc',
      'cognito:groups': '["team-front-desk","admins"]',
      email_verified: 'true',
      exp: 'Wed Nov 18 11:06:40 UTC 2026',
      token_use: 'id',
    });
  });

  it('keep a group name that holds a comma as the one name it is', () => {
    const claims = apiGatewayClaims({ sub: 'abc', 'cognito:groups': ['team-x,admins'] });

    expect(JSON.parse(claims['cognito:groups']!)).toEqual(['team-x,admins']);
  });
});
