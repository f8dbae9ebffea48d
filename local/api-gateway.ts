import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ROUTES, type Route } from '../shared/api/routes.js';
import { DEFAULT_DEPLOYMENT } from '../shared/config/deployment.js';
import { FUNCTION_TIMEOUT_SECONDS } from '../shared/config/resources.js';
import { apiScopes, contractGroups } from '../shared/http/caller.js';
import { redactValue } from '../shared/redact.js';
import { DEMO_CLIENT_SECRET, type DemoClient } from './demo-clients.js';
import { DEMO_USERS, findDemoUser } from './demo-users.js';
import { FunctionTimeoutError, invoke, type LambdaHandler, lambdaContext } from './lambda.js';
import {
  apiGatewayClaims,
  CLIENT_TOKEN_LIFETIME_SECONDS,
  type LocalIssuer,
  TokenRejectedError,
} from './local-issuer.js';

/** API Gateway takes 10 MB; the functions enforce the contract's 64 KiB themselves. */
const BODY_LIMIT_BYTES = 1024 * 1024;
const STAGE = 'local';

type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: unknown[];
  requestId?: string;
};
type Reply = { statusCode: number; headers: Record<string, string | string[]>; body: string | Buffer };

const json = (statusCode: number, value: unknown): Reply => ({
  statusCode,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  body: JSON.stringify(value),
});

const problem = (
  status: number,
  title: string,
  detail: string,
  extra: Partial<Problem> = {},
  headers: Record<string, string> = {},
): Reply => ({
  statusCode: status,
  headers: { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', ...headers },
  body: JSON.stringify({ type: 'about:blank', title, status, detail, ...extra } satisfies Problem),
});

type LocalRequest = {
  body: string | null;
  headers: IncomingMessage['headers'];
  issuer: LocalIssuer;
  clients: readonly DemoClient[];
};
type Target =
  | { kind: 'function'; fn: string }
  | { kind: 'local'; handle: (request: LocalRequest) => Promise<Reply> };
type Endpoint = { method: string; path: string; authorized: boolean; target: Target };

/** Routes that exist only in local mode (CONTRACT.md, "Local runtime"); never in a deployed stack. */
const LOCAL_ENDPOINTS: Endpoint[] = [
  {
    method: 'GET',
    path: '/local/users',
    authorized: false,
    target: {
      kind: 'local',
      handle: async ({ clients }) =>
        json(200, {
          users: DEMO_USERS.map(({ id, name, groups }) => ({ id, name, groups })),
          // Machine clients (CONTRACT.md v1.1): POST /local/oauth2/token with the shared demo secret.
          clients: clients.map(({ id, group, scope }) => ({ id, group, scope })),
        }),
    },
  },
  {
    // Cognito's token endpoint (`https://<domain>/oauth2/token`), for the client-credentials grant.
    method: 'POST',
    path: '/local/oauth2/token',
    authorized: false,
    target: { kind: 'local', handle: clientCredentials },
  },
  {
    method: 'POST',
    path: '/local/login',
    authorized: false,
    target: { kind: 'local', handle: login },
  },
  {
    // Where a Cognito user pool publishes its keys (`<issuer>/.well-known/jwks.json`).
    method: 'GET',
    path: '/local/.well-known/jwks.json',
    authorized: false,
    target: { kind: 'local', handle: async ({ issuer }) => json(200, issuer.jwks) },
  },
];

async function login({ body, issuer }: LocalRequest): Promise<Reply> {
  let user: unknown;
  try {
    user = (JSON.parse(body ?? '') as { user?: unknown } | null)?.user;
  } catch {
    user = undefined;
  }
  const known = typeof user === 'string' ? findDemoUser(user) : undefined;
  if (!known) {
    const ids = DEMO_USERS.map((demo) => demo.id).join(', ');
    const message = `must be one of the demo users: ${ids}`;
    return problem(400, 'Bad Request', `Send {"user": "<id>"} naming a demo user (${ids}).`, {
      errors: [{ path: 'user', message }],
    });
  }
  return json(200, { token: await issuer.issueToken(known) });
}

/** An OAuth 2.0 error answer (RFC 6749 §5.2), as Cognito's token endpoint gives it: `{"error": "…"}`. */
const oauthError = (status: 400 | 401, error: string, headers: Record<string, string> = {}): Reply => ({
  statusCode: status,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  body: JSON.stringify({ error }),
});

/** The client's id and secret: HTTP Basic (`Authorization: Basic base64(id:secret)`) or the form. */
function clientCredentialsOf(headers: IncomingMessage['headers'], form: URLSearchParams) {
  const basic = /^Basic\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0
      ? { basic: true }
      : { basic: true, id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  return {
    basic: false,
    id: form.get('client_id') ?? undefined,
    secret: form.get('client_secret') ?? undefined,
  };
}

/**
 * `POST /local/oauth2/token`: the client-credentials grant of Cognito's token endpoint for the demo
 * clients. Form-encoded; a wrong client or secret answers 401 `invalid_client` (RFC 6749 §5.2, with
 * `WWW-Authenticate: Basic` when the client sent Basic credentials), anything else wrong 400. A
 * `scope`, when sent, must be one the client was granted (`invalid_scope`); without one the client gets
 * every scope it was granted, as in Cognito.
 */
async function clientCredentials({ body, headers, issuer, clients }: LocalRequest): Promise<Reply> {
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(headers['content-type'] ?? '')) {
    return oauthError(400, 'invalid_request');
  }
  const form = new URLSearchParams(body ?? '');
  const credentials = clientCredentialsOf(headers, form);
  const client = clients.find((candidate) => candidate.id === credentials.id);
  if (!client || credentials.secret !== DEMO_CLIENT_SECRET) {
    return oauthError(401, 'invalid_client', credentials.basic ? { 'WWW-Authenticate': 'Basic' } : {});
  }
  const grant = form.get('grant_type');
  if (!grant) return oauthError(400, 'invalid_request');
  if (grant !== 'client_credentials') return oauthError(400, 'unsupported_grant_type');
  const requested = form.get('scope');
  if (requested?.split(' ').some((scope) => scope !== client.scope)) {
    return oauthError(400, 'invalid_scope');
  }
  return json(200, {
    access_token: await issuer.issueClientToken(client, { lifetimeSeconds: CLIENT_TOKEN_LIFETIME_SECONDS }),
    token_type: 'Bearer',
    expires_in: CLIENT_TOKEN_LIFETIME_SECONDS,
  });
}

type CompiledEndpoint = Endpoint & { segments: string[] };

/** API Gateway picks the most specific resource first (literal segments beat `{param}`), then the method. */
function compile(endpoints: Endpoint[]): CompiledEndpoint[] {
  return endpoints.map((endpoint) => ({ ...endpoint, segments: endpoint.path.split('/').slice(1) }));
}

const isParameter = (segment: string) => segment.startsWith('{') && segment.endsWith('}');

function matchPath(segments: string[], requested: string[]): Record<string, string> | undefined {
  if (segments.length !== requested.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const value = requested[index] ?? '';
    if (isParameter(segment)) {
      if (value === '') return undefined;
      parameters[segment.slice(1, -1)] = safeDecode(value);
    } else if (segment !== value) {
      return undefined;
    }
  }
  return parameters;
}

function safeDecode(value: string) {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const specificity = (endpoint: CompiledEndpoint) =>
  endpoint.segments.map((s) => (isParameter(s) ? '1' : '0')).join('');

type Match =
  | { kind: 'found'; endpoint: CompiledEndpoint; pathParameters: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

function match(endpoints: CompiledEndpoint[], method: string, path: string): Match {
  const requested = (path.length > 1 ? path.replace(/\/$/, '') : path).split('/').slice(1);
  const candidates = endpoints
    .map((endpoint) => ({ endpoint, pathParameters: matchPath(endpoint.segments, requested) }))
    .filter((candidate) => candidate.pathParameters !== undefined)
    .sort((a, b) => specificity(a.endpoint).localeCompare(specificity(b.endpoint)));
  const resource = candidates[0]?.endpoint.path;
  if (!resource) return { kind: 'not-found' };
  const sameResource = candidates.filter((candidate) => candidate.endpoint.path === resource);
  const found = sameResource.find((candidate) => candidate.endpoint.method === method);
  if (found?.pathParameters) {
    return { kind: 'found', endpoint: found.endpoint, pathParameters: found.pathParameters };
  }
  return { kind: 'method-not-allowed', allow: sameResource.map((candidate) => candidate.endpoint.method) };
}

class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

async function readBody(request: IncomingMessage): Promise<string | null> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > BODY_LIMIT_BYTES) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  return size === 0 ? null : Buffer.concat(chunks).toString('utf8');
}

/** REST API events carry the last value of a header in `headers` and all of them in `multiValueHeaders`. */
function headersOf(request: IncomingMessage) {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const raw = request.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index] as string;
    const value = raw[index + 1] as string;
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  return { headers, multiValueHeaders };
}

function queryOf(url: URL) {
  if ([...url.searchParams.keys()].length === 0) {
    return { queryStringParameters: null, multiValueQueryStringParameters: null };
  }
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    single[name] = value;
    multi[name] = [...(multi[name] ?? []), value];
  }
  return { queryStringParameters: single, multiValueQueryStringParameters: multi };
}

/**
 * Request lines name no person: a personal identity number can end up in a mistyped path, plain or
 * percent-encoded, and the functions' own redaction (identity numbers, addresses) applies.
 */
export const redactPath = (path: string) => String(redactValue('path', path));

export type ApiGatewayOptions = {
  functionNamePrefix: string;
  region: string;
  issuer: LocalIssuer;
  /**
   * The OAuth scopes every authorized method names (a token must carry one), as in the stack.
   * Default: those of the default deployment.
   */
  scopes?: readonly string[];
  /** The demo machine clients `POST /local/oauth2/token` issues tokens to. Default none. */
  clients?: readonly DemoClient[];
  /** Handlers by function name; a route whose function is missing answers 501. */
  handlers: ReadonlyMap<string, LambdaHandler>;
  log: (line: string) => void;
  logError: (line: string, error?: unknown) => void;
};

/**
 * A local API Gateway (REST, Lambda proxy integration): routes from ROUTES plus the local-only
 * routes, a Cognito-style authorizer, the v1 proxy event, and the proxy response written back.
 */
export function createApiGateway(options: ApiGatewayOptions) {
  const scopes = options.scopes ?? apiScopes(contractGroups(DEFAULT_DEPLOYMENT.teams));
  const clients = options.clients ?? [];
  const endpoints = compile([
    ...LOCAL_ENDPOINTS,
    ...ROUTES.map((route: Route): Endpoint => ({ ...route, target: { kind: 'function', fn: route.fn } })),
  ]);

  async function respond(request: IncomingMessage, url: URL, requestId: string): Promise<Reply> {
    const method = request.method ?? 'GET';
    // Errors API Gateway makes itself carry the request id, as the deployed gateway responses do.
    const fail = (status: number, title: string, detail: string, headers: Record<string, string> = {}) =>
      problem(status, title, detail, { requestId }, headers);
    const matched = match(endpoints, method, url.pathname);
    // Fixed sentences: a path is the client's text and may hold an identity number; it is never echoed.
    if (matched.kind === 'not-found') {
      return fail(404, 'Not Found', 'There is no resource at this path.');
    }
    if (matched.kind === 'method-not-allowed') {
      return fail(405, 'Method Not Allowed', 'This resource does not take this method (see Allow).', {
        Allow: matched.allow.join(', '),
      });
    }
    const { endpoint, pathParameters } = matched;

    let body: string | null;
    try {
      body = await readBody(request);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return fail(413, 'Content Too Large', `The body is larger than ${BODY_LIMIT_BYTES} bytes.`, {
          Connection: 'close',
        });
      }
      throw error;
    }

    let claims: Record<string, string> | undefined;
    if (endpoint.authorized) {
      const authorization = request.headers.authorization ?? '';
      const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
      if (!token) {
        return fail(
          401,
          'Unauthorized',
          'Send Authorization: Bearer <token> (locally from POST /local/login or POST /local/oauth2/token).',
          {
            'WWW-Authenticate': 'Bearer',
          },
        );
      }
      try {
        claims = apiGatewayClaims(await options.issuer.verify(token, scopes));
      } catch (error) {
        const detail = error instanceof TokenRejectedError ? error.message : 'The token is not valid.';
        return fail(401, 'Unauthorized', detail, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
      }
    }

    if (endpoint.target.kind === 'local') {
      return endpoint.target.handle({
        body,
        headers: request.headers,
        issuer: options.issuer,
        clients,
      });
    }

    const { fn } = endpoint.target;
    const handler = options.handlers.get(fn);
    if (!handler) {
      return fail(501, 'Not Implemented', `functions/${fn}.ts does not exist yet.`);
    }
    const event = proxyEvent(request, url, { body, claims, endpoint, pathParameters, requestId });
    const context = lambdaContext({
      functionName: `${options.functionNamePrefix}-${fn}`,
      region: options.region,
      timeoutSeconds: FUNCTION_TIMEOUT_SECONDS,
      requestId: randomUUID(),
    });
    let result: unknown;
    try {
      result = await invoke(handler, event, context);
    } catch (error) {
      // A function that throws or times out is an integration failure: API Gateway answers 502.
      if (error instanceof FunctionTimeoutError) {
        options.logError(`${fn} timed out after ${FUNCTION_TIMEOUT_SECONDS} s; API Gateway answers 502`);
      } else {
        options.logError(`${fn} threw; API Gateway answers 502`, error);
      }
      return fail(502, 'Bad Gateway', 'Something went wrong on our side. The request can be retried.');
    }
    return (
      proxyReply(result, fn) ??
      fail(502, 'Bad Gateway', 'Something went wrong on our side. The request can be retried.')
    );
  }

  function proxyEvent(
    request: IncomingMessage,
    url: URL,
    parts: {
      body: string | null;
      claims: Record<string, string> | undefined;
      endpoint: CompiledEndpoint;
      pathParameters: Record<string, string>;
      requestId: string;
    },
  ): APIGatewayProxyEvent {
    const method = request.method ?? 'GET';
    const now = new Date();
    const { headers, multiValueHeaders } = headersOf(request);
    const sourceIp = (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    return {
      resource: parts.endpoint.path,
      path: url.pathname,
      httpMethod: method,
      headers,
      multiValueHeaders,
      ...queryOf(url),
      pathParameters: Object.keys(parts.pathParameters).length > 0 ? parts.pathParameters : null,
      stageVariables: null,
      body: parts.body,
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        authorizer: parts.claims ? { claims: parts.claims } : null,
        protocol: `HTTP/${request.httpVersion}`,
        httpMethod: method,
        identity: {
          accessKey: null,
          accountId: null,
          apiKey: null,
          apiKeyId: null,
          caller: null,
          clientCert: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          sourceIp,
          user: null,
          userAgent: request.headers['user-agent'] ?? null,
          userArn: null,
        },
        domainName: request.headers.host ?? 'localhost',
        path: url.pathname,
        stage: STAGE,
        requestId: parts.requestId,
        requestTimeEpoch: now.getTime(),
        resourceId: 'local',
        resourcePath: parts.endpoint.path,
      },
    };
  }

  /** The function's proxy response, or `undefined` when it is malformed (API Gateway answers 502). */
  function proxyReply(result: unknown, fn: string): Reply | undefined {
    const response = result as Partial<APIGatewayProxyResult> | null | undefined;
    if (!response || typeof response !== 'object' || !Number.isInteger(response.statusCode)) {
      // API Gateway: "Malformed Lambda proxy response".
      options.logError(`${fn} returned a malformed proxy response (no statusCode); API Gateway answers 502`);
      return undefined;
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(response.headers ?? {})) headers[name] = String(value);
    for (const [name, values] of Object.entries(response.multiValueHeaders ?? {})) {
      const existing = headers[name];
      const added = values.map(String);
      headers[name] = existing === undefined ? added : [...[existing].flat(), ...added];
    }
    const body = response.body ?? '';
    return {
      statusCode: response.statusCode as number,
      headers,
      body: response.isBase64Encoded ? Buffer.from(body, 'base64') : body,
    };
  }

  /** The node:http request listener. */
  return async function handle(request: IncomingMessage, response: ServerResponse) {
    const started = performance.now();
    const requestId = randomUUID();
    const url = new URL(request.url ?? '/', 'http://localhost');
    let reply: Reply;
    try {
      reply = await respond(request, url, requestId);
    } catch (error) {
      options.logError(`${request.method} ${redactPath(url.pathname)} failed in the local runtime`, error);
      reply = problem(500, 'Internal Server Error', 'The local runtime failed. See its output.');
    }
    const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
    response.statusCode = reply.statusCode;
    for (const [name, value] of Object.entries(reply.headers)) response.setHeader(name, value);
    response.setHeader('x-amzn-RequestId', requestId);
    response.setHeader('Content-Length', body.length);
    response.end(body);
    const ms = Math.round(performance.now() - started);
    options.log(`${request.method} ${redactPath(url.pathname)} ${reply.statusCode} ${ms} ms`);
  };
}
