import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { injectLambdaContext, logger } from '../logger.js';
import type { Caller } from './caller.js';
import { problemResponse, toProblem } from './problem.js';

/**
 * The part of the house HTTP chain that needs no caller and no configuration: what the public
 * documents (`/health`, `/openapi.json`) run, and what shared/http/http-api.ts builds on. Kept apart
 * so that those functions do not load the environment and deployment schemas (zod) they never use:
 * get-health bundles no zod at all.
 */
export type HttpEvent = APIGatewayProxyEvent & { jsonBody?: unknown; caller?: Caller };
export type Handler<E> = (event: E, context: Context) => Promise<APIGatewayProxyResult>;

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

/** CORS, errors as problem+json, header names normalised, the Lambda context in the logs. */
export const baseChain = () =>
  middy<HttpEvent, APIGatewayProxyResult>()
    // Used first so that its onError runs last, after problemErrors has made the answer.
    .use(corsHeaders())
    .use(problemErrors())
    .use(httpHeaderNormalizer())
    .use(injectLambdaContext(logger, { resetKeys: true }));

/** The chain for the two public documents (`/health`, `/openapi.json`): no caller, no body. */
export function publicApi(handler: Handler<HttpEvent>) {
  return baseChain().handler(handler);
}

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
