import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { functionEnvSchema } from '../../shared/config/env.js';
import { NotFoundError } from '../../shared/errors.js';
import { httpApi, json, publicApi } from '../../shared/http/http-api.js';
import { apiEvent, context, parseResponse } from '../helpers/events.js';
import { UNIT_FUNCTION_ENV } from '../helpers/function-env.js';

/** The CORS headers the house chain adds for the deployed web app (WEB_ORIGIN). */
const WEB_ORIGIN = 'https://d111111abcdef8.cloudfront.net';
const ENV = UNIT_FUNCTION_ENV;

const ok = publicApi(async () => json(201, { ok: true }, { Location: '/referrals/r-1' }));
const missing = publicApi(async () => {
  throw new NotFoundError('No such referral.');
});
const authorized = httpApi(async () => json(200, { ok: true }));

const call = async (handler: typeof ok, groups: string[] | null = null) =>
  parseResponse(await handler(apiEvent({ resource: '/referrals', groups }), context()));

const CORS = {
  'access-control-allow-origin': WEB_ORIGIN,
  'access-control-expose-headers': 'Location, ETag, Content-Disposition',
  vary: 'Origin',
};

describe('the house HTTP chain and CORS', () => {
  const before = process.env.WEB_ORIGIN;
  beforeAll(() => {
    Object.assign(process.env, ENV);
  });
  afterEach(() => {
    if (before === undefined) delete process.env.WEB_ORIGIN;
    else process.env.WEB_ORIGIN = before;
  });

  it('names the web app origin on a successful answer and keeps its own headers', async () => {
    process.env.WEB_ORIGIN = WEB_ORIGIN;

    const response = await call(ok);

    expect(response.status).toBe(201);
    expect(response.headers).toMatchObject({
      ...CORS,
      location: '/referrals/r-1',
      'cache-control': 'no-store',
    });
  });

  it('names it on problem+json errors too: a refused caller and a missing resource', async () => {
    process.env.WEB_ORIGIN = WEB_ORIGIN;

    for (const [handler, status] of [
      [authorized, 401],
      [missing, 404],
    ] as const) {
      const response = await call(handler);

      expect(response.status).toBe(status);
      expect(response.headers).toMatchObject({ ...CORS, 'content-type': 'application/problem+json' });
    }
  });

  it('adds no CORS header when WEB_ORIGIN is unset (locally the app shares the API origin)', async () => {
    delete process.env.WEB_ORIGIN;

    for (const handler of [ok, missing, authorized]) {
      const response = await call(handler);

      expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
      expect(response.headers.vary).toBeUndefined();
    }
  });

  it('takes WEB_ORIGIN as an optional URL in the function environment', () => {
    expect(functionEnvSchema.safeParse(ENV).success).toBe(true);
    expect(functionEnvSchema.safeParse({ ...ENV, WEB_ORIGIN }).data?.WEB_ORIGIN).toBe(WEB_ORIGIN);
    expect(functionEnvSchema.safeParse({ ...ENV, WEB_ORIGIN: 'not a url' }).success).toBe(false);
  });
});
