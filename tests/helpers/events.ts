import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { lambdaContext } from '../../local/lambda.js';

export type ApiRequest = {
  method?: 'GET' | 'POST';
  resource: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as it is. */
  body?: unknown;
  /** Sends the body base64-encoded, as API Gateway does for binary media types. */
  base64?: boolean;
  /** `cognito:groups` of the caller; `null` sends no claims at all (no token). */
  groups?: string[] | null;
  subject?: string;
  /** The token's `cognito:username`, when the test needs one apart from `sub`. */
  username?: string;
};

/** Groups of the contract's roles, for building callers. */
export const ROLE = {
  municipality: ['agency-municipality'],
  'employment-service': ['agency-employment-service'],
  'social-insurance': ['agency-social-insurance'],
  frontDesk: ['team-front-desk'],
  admin: ['admins'],
} as const;

/** An API Gateway REST proxy event, with claims as the Cognito authorizer hands them over (strings). */
export function apiEvent(request: ApiRequest): APIGatewayProxyEvent {
  const path = request.resource.replace(
    /\{(\w+)\}/g,
    (_, name: string) => request.pathParameters?.[name] ?? '',
  );
  const text =
    request.body === undefined
      ? null
      : typeof request.body === 'string'
        ? request.body
        : JSON.stringify(request.body);
  const body = text !== null && request.base64 ? Buffer.from(text, 'utf8').toString('base64') : text;
  const headers = {
    ...(request.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    ...request.headers,
  };
  const claims =
    request.groups === null
      ? undefined
      : {
          sub: request.subject ?? randomUUID(),
          ...(request.username ? { 'cognito:username': request.username } : {}),
          'cognito:groups': (request.groups ?? ROLE['employment-service']).join(','),
          token_use: 'id',
        };
  return {
    httpMethod: request.method ?? 'GET',
    path,
    resource: request.resource,
    pathParameters: request.pathParameters ?? null,
    queryStringParameters: request.query ?? null,
    multiValueQueryStringParameters: null,
    headers,
    multiValueHeaders: {},
    body,
    isBase64Encoded: request.base64 === true,
    stageVariables: null,
    requestContext: {
      requestId: randomUUID(),
      httpMethod: request.method ?? 'GET',
      path,
      resourcePath: request.resource,
      stage: 'test',
      authorizer: claims ? { claims } : null,
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

export const context = (functionName = 'test'): Context =>
  lambdaContext({ functionName, region: 'eu-north-1', timeoutSeconds: 30 });

export type ApiResponse = { status: number; headers: Record<string, string>; body: any };

export function parseResponse(result: APIGatewayProxyResult): ApiResponse {
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
  // JSON answers are parsed; anything else (CSV) is handed over as the exact text the function made.
  const json = /json/.test(headers['content-type'] ?? 'application/json');
  return {
    status: result.statusCode,
    headers,
    body: result.body ? (json ? JSON.parse(result.body) : result.body) : undefined,
  };
}
