import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { personKeyerFromEnv, secretFromExtension } from '../../shared/identity/person-key.js';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-north-1:123456789012:secret:person-key-AbCdEf';
const SECRET = 'c0ffee'.repeat(10);
const TOKEN = 'session-token';

/** Stands in for the Parameters and Secrets extension on localhost. */
let server: Server;
let port: string;
let requests: IncomingMessage[] = [];
let answer: { status: number; body: string };

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request);
    response.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  port = String((server.address() as AddressInfo).port);
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  requests = [];
  answer = { status: 200, body: JSON.stringify({ ARN: SECRET_ARN, SecretString: SECRET }) };
});

const env = () => ({
  PERSON_KEY_SECRET_ARN: SECRET_ARN,
  AWS_SESSION_TOKEN: TOKEN,
  PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: port,
});

describe('personKeyerFromEnv in AWS', () => {
  it('keys people with the secret read through the extension, once per container', async () => {
    const personKey = personKeyerFromEnv(env());

    const first = await personKey('199012119948');
    const second = await personKey('199012119948');

    expect(first).toBe(createHmac('sha256', SECRET).update('199012119948').digest('base64url'));
    expect(second).toBe(first);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe(`/secretsmanager/get?secretId=${encodeURIComponent(SECRET_ARN)}`);
    expect(requests[0]?.headers['x-aws-parameters-secrets-token']).toBe(TOKEN);
  });

  it('retries a failed read on the next call instead of caching the failure', async () => {
    const personKey = personKeyerFromEnv(env());
    answer = { status: 400, body: '{"message":"not ready"}' };

    await expect(personKey('199012119948')).rejects.toThrow('answered 400');
    answer = { status: 200, body: JSON.stringify({ SecretString: SECRET }) };

    await expect(personKey('199012119948')).resolves.toBeTypeOf('string');
    expect(requests).toHaveLength(2);
  });
});

describe('secretFromExtension', () => {
  it('refuses an empty secret', async () => {
    answer = { status: 200, body: JSON.stringify({ SecretString: '' }) };

    await expect(secretFromExtension(SECRET_ARN, env())).rejects.toThrow('empty');
  });

  it('does not quote what the extension answered in its error', async () => {
    answer = { status: 500, body: JSON.stringify({ SecretString: SECRET }) };

    const error = await secretFromExtension(SECRET_ARN, env()).catch((caught: Error) => caught);

    expect(String(error)).not.toContain(SECRET);
  });

  it('needs the session token', async () => {
    await expect(
      secretFromExtension(SECRET_ARN, { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: port }),
    ).rejects.toThrow('AWS_SESSION_TOKEN');
    expect(requests).toHaveLength(0);
  });
});
