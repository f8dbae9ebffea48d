import { createHash } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { functionEnv } from '../config/env.js';
import {
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors.js';
import { isUuid } from '../ids.js';
import { type Caller, callerFrom } from './caller.js';
import { baseChain, type Handler, type HttpEvent } from './public-api.js';

export { type HttpEvent, json, publicApi } from './public-api.js';

/** CONTRACT.md: a body over 64 KiB is refused with 413. */
export const MAX_BODY_BYTES = 64 * 1024;

export type AuthorizedEvent = HttpEvent & { caller: Caller };

const isJson = (contentType: string | undefined) =>
  contentType !== undefined && /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i.test(contentType.trim());

/** Reads a JSON body: 415 unless it is JSON, 413 over the limit, 400 when it does not parse. */
const jsonBody = (): MiddlewareObj<HttpEvent, APIGatewayProxyResult> => ({
  before: async (request) => {
    const { event } = request;
    if (!isJson(event.headers?.['content-type'])) {
      throw new UnsupportedMediaTypeError('Send the body as JSON with Content-Type: application/json.');
    }
    const raw = event.body ?? '';
    const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
    if (bytes.byteLength > MAX_BODY_BYTES) {
      throw new PayloadTooLargeError(`The body is over ${MAX_BODY_BYTES / 1024} KiB.`);
    }
    if (bytes.byteLength === 0) {
      throw new ValidationError('A JSON body is required.', [{ path: '(body)', message: 'is required' }]);
    }
    try {
      event.jsonBody = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new ValidationError('The body is not valid JSON.', [
        { path: '(body)', message: 'is not valid JSON' },
      ]);
    }
  },
});

/** Who calls, from the authorizer's claims (401 without them), then the route's role check (403). */
const authenticate = (
  authorize?: (caller: Caller) => void,
): MiddlewareObj<HttpEvent, APIGatewayProxyResult> => ({
  before: async (request) => {
    const env = functionEnv();
    const caller = callerFrom(request.event, {
      issuer: env.TOKEN_ISSUER,
      audiences: env.USER_POOL_CLIENT_IDS,
      teams: env.DEPLOYMENT.teams,
    });
    authorize?.(caller);
    request.event.caller = caller;
  },
});

/**
 * Path ids are UUIDs. Any other value (5,000 characters, an identity number, a key of another item)
 * names nothing we hold: it answers 404 exactly like a missing resource, without the value, and
 * never reaches the database. Runs after the caller is known, so 401 and 403 still come first.
 */
const knownIds = (): MiddlewareObj<HttpEvent, APIGatewayProxyResult> => ({
  before: async (request) => {
    for (const [name, value] of Object.entries(request.event.pathParameters ?? {})) {
      if (!isUuid(value)) throw new NotFoundError(`No such ${name.replace(/Id$/, '')}.`);
    }
  },
});

/**
 * The house chain for every authorized HTTP function: header names normalised, Lambda context in
 * the logs, the caller and their role checked (401, 403), path ids that cannot exist refused (404)
 * before the body is read (415, 413, 400),
 * and errors mapped to problem+json last (middy runs `onError` in reverse order, so the mapper is
 * used first to run last).
 */
export function httpApi(
  handler: Handler<AuthorizedEvent>,
  options: { body?: 'json'; authorize?: (caller: Caller) => void } = {},
) {
  const chain = baseChain().use(authenticate(options.authorize)).use(knownIds());
  if (options.body === 'json') chain.use(jsonBody());
  return chain.handler(handler as Handler<HttpEvent>);
}

/** A weak entity tag of an answer's body, for conditional requests (If-None-Match → 304). */
export const entityTag = (body: unknown) =>
  `W/"${createHash('sha256').update(JSON.stringify(body), 'utf8').digest('base64url').slice(0, 27)}"`;

/** 304 Not Modified: the client's copy (its If-None-Match) is current; no body. */
export const notModified = (tag: string): APIGatewayProxyResult => ({
  statusCode: 304,
  headers: { ETag: tag, 'Cache-Control': 'no-cache' },
  body: '',
});
