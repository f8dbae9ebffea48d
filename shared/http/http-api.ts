import { createHash } from 'node:crypto';
import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { functionEnv } from '../config/env.js';
import {
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors.js';
import { isUuid } from '../ids.js';
import { injectLambdaContext, logger } from '../logger.js';
import { type Caller, callerFrom } from './caller.js';
import { problemResponse, toProblem } from './problem.js';

/** CONTRACT.md: a body over 64 KiB is refused with 413. */
export const MAX_BODY_BYTES = 64 * 1024;

export type HttpEvent = APIGatewayProxyEvent & { jsonBody?: unknown; caller?: Caller };
export type AuthorizedEvent = HttpEvent & { caller: Caller };
type Handler<E> = (event: E, context: Context) => Promise<APIGatewayProxyResult>;

/** Maps every error to problem+json; 5xx details are logged (without the request) and never returned. */
const problemErrors = (): MiddlewareObj<HttpEvent, APIGatewayProxyResult> => ({
  onError: async (request) => {
    const problem = toProblem(request.error);
    if (problem.status >= 500) {
      logger.error('Request failed', { error: request.error as Error, path: request.event.resource });
    } else {
      logger.info('Request refused', { status: problem.status, path: request.event.resource });
    }
    request.response = problemResponse(problem);
  },
});

/**
 * The web app calls the API from its own origin (CloudFront), so every answer, errors included, names
 * that origin when WEB_ORIGIN is set (the deployed stack; locally the app and the API share an origin).
 * Preflights never reach a function: API Gateway answers them.
 */
const corsHeaders = (): MiddlewareObj<HttpEvent, APIGatewayProxyResult> => {
  const addHeaders = async (request: { response: APIGatewayProxyResult | null | undefined }) => {
    const origin = process.env.WEB_ORIGIN;
    if (!origin || !request.response) return;
    request.response.headers = {
      ...request.response.headers,
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Expose-Headers': 'Location, ETag, Content-Disposition',
      Vary: 'Origin',
    };
  };
  return { after: addHeaders, onError: addHeaders };
};

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

const baseChain = () =>
  middy<HttpEvent, APIGatewayProxyResult>()
    // Used first so that its onError runs last, after problemErrors has made the answer.
    .use(corsHeaders())
    .use(problemErrors())
    .use(httpHeaderNormalizer())
    .use(injectLambdaContext(logger, { resetKeys: true }));

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

/** The chain for the two public documents (`/health`, `/openapi.json`): no caller, no body. */
export function publicApi(handler: Handler<HttpEvent>) {
  return baseChain().handler(handler);
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

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}
