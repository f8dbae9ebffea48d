import { createHash, randomUUID } from 'node:crypto';
import {
  type CryptoKey,
  errors,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { STAFF_SCOPE } from '../shared/http/caller.js';
import type { DemoClient } from './demo-clients.js';
import type { DemoUser } from './demo-users.js';

/**
 * The local staff app client: the `client_id` of people's tokens (the `aud` of an ID token); a deployed
 * stack's tokens carry the Cognito app client id instead.
 */
export const LOCAL_AUDIENCE = 'frontdesk-local';
/** Cognito's default token lifetime is one hour; a working day is kinder on a laptop. */
const LIFETIME_SECONDS = 8 * 60 * 60;
/** What `npm run client:add` sets for a machine client in AWS; the consumer renews before it ends. */
export const CLIENT_TOKEN_LIFETIME_SECONDS = 15 * 60;
/** What the staff web app asks the hosted sign-in for (web/src/config.ts). */
const USER_SCOPE = `openid email profile ${STAFF_SCOPE}`;

export type IssueOptions = {
  /** When the token was issued; a time in the past makes an expired token (for tests). */
  issuedAt?: Date;
  lifetimeSeconds?: number;
  /** Claims that differ from what the local user pool would say, for tests of refused tokens. */
  overrides?: {
    iss?: string;
    /** The app client (`client_id` of an access token, `aud` of an ID token). */
    clientId?: string;
    /** `id` makes an ID token, which the gateway refuses on methods that name scopes. */
    token_use?: string;
    groups?: string[];
    scope?: string;
  };
};

export type LocalIssuer = {
  issuer: string;
  jwks: JSONWebKeySet;
  /** A person's access token, as the hosted sign-in gives the staff web app (or an ID token, for tests). */
  issueToken(user: DemoUser, options?: IssueOptions): Promise<string>;
  /** A machine client's access token, as Cognito's token endpoint gives for client credentials. */
  issueClientToken(client: DemoClient, options?: IssueOptions): Promise<string>;
  /**
   * Verifies like API Gateway's Cognito authorizer on a method that names OAuth scopes: signature,
   * issuer, expiry, an access token of an app client this pool has, carrying one of `scopes`. Throws
   * TokenRejectedError with a reason.
   */
  verify(token: string, scopes: readonly string[]): Promise<JWTPayload>;
};

export class TokenRejectedError extends Error {
  override name = 'TokenRejectedError';
}

/** A stable UUID-shaped subject per demo user, as Cognito's `sub` is a UUID. */
function subjectOf(user: DemoUser) {
  const hex = createHash('sha256').update(`frontdesk-local:${user.id}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The local stand-in for the Cognito user pool: an ES256 key pair made at start (tokens do not
 * survive a restart), access tokens shaped like Cognito's for people (with `cognito:groups`) and for
 * the demo machine clients (with their `frontdesk/<group>` scope). `clients` are the app clients the
 * pool has besides the staff app; a token of any other client is refused, as one of a removed client.
 */
export async function createLocalIssuer(
  issuer: string,
  clients: readonly DemoClient[] = [],
): Promise<LocalIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const sign = (claims: JWTPayload, subject: string, options?: IssueOptions) => {
    const issuedAt = Math.floor((options?.issuedAt ?? new Date()).getTime() / 1000);
    return new SignJWT({ ...claims, auth_time: issuedAt })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .setIssuer(options?.overrides?.iss ?? issuer)
      .setSubject(subject)
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + (options?.lifetimeSeconds ?? LIFETIME_SECONDS))
      .sign(privateKey);
  };
  const knownClients = new Set([LOCAL_AUDIENCE, ...clients.map((client) => client.id)]);
  return {
    issuer,
    jwks: { keys: [jwk] },
    issueToken: (user, options) => sign(userClaims(user, options), subjectOf(user), options),
    issueClientToken: (client, options) => {
      const clientId = options?.overrides?.clientId ?? client.id;
      // Cognito's client-credentials access token: no groups, no user; `sub` is the client id.
      const claims = {
        token_use: options?.overrides?.token_use ?? 'access',
        scope: options?.overrides?.scope ?? client.scope,
        client_id: clientId,
        version: 2,
      };
      return sign(claims, clientId, options);
    },
    verify: (token, scopes) => verifyToken(publicKey, issuer, knownClients, scopes, token),
  };
}

function userClaims(user: DemoUser, options?: IssueOptions): JWTPayload {
  const overrides = options?.overrides ?? {};
  const groups = [...(overrides.groups ?? user.groups)];
  const clientId = overrides.clientId ?? LOCAL_AUDIENCE;
  if (overrides.token_use === 'id') {
    return {
      'cognito:username': user.id,
      'cognito:groups': groups,
      email: `${user.id}@frontdesk.invalid`,
      email_verified: true,
      name: user.name,
      token_use: 'id',
      aud: clientId,
    };
  }
  return {
    username: user.id,
    'cognito:groups': groups,
    token_use: overrides.token_use ?? 'access',
    scope: overrides.scope ?? USER_SCOPE,
    client_id: clientId,
    version: 2,
  };
}

async function verifyToken(
  key: CryptoKey,
  issuer: string,
  clients: ReadonlySet<string>,
  scopes: readonly string[],
  token: string,
): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, key, { issuer, algorithms: ['ES256'] });
    // A method that names OAuth scopes takes access tokens only
    // (https://docs.aws.amazon.com/apigateway/latest/api/API_Method.html, authorizationScopes).
    if (payload.token_use !== 'access') throw new TokenRejectedError('The token is not an access token.');
    if (typeof payload.client_id !== 'string' || !clients.has(payload.client_id)) {
      throw new TokenRejectedError('The token is not of an app client of this user pool.');
    }
    const carried = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    if (!carried.some((scope) => scopes.includes(scope))) {
      throw new TokenRejectedError('The token carries none of the scopes this method takes.');
    }
    return payload;
  } catch (error) {
    if (error instanceof TokenRejectedError) throw error;
    if (error instanceof errors.JWTExpired)
      throw new TokenRejectedError('The token has expired.', { cause: error });
    throw new TokenRejectedError('The token is not valid.', { cause: error });
  }
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Cognito's authorizer formats `exp` and `iat` like Java's Date.toString(): "Fri Jul 29 18:52:53 UTC 2016".
 * Names from tables, not `toLocaleString` (which builds a formatter per call: 2 % of the local API's
 * CPU under load, measured).
 */
function cognitoDate(epochSeconds: number) {
  const date = new Date(epochSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())} ${time} UTC ${date.getUTCFullYear()}`;
}

/**
 * The claims as API Gateway (REST) hands them to the function in `requestContext.authorizer.claims`:
 * every value a string, `exp` and `iat` as dates. One difference on purpose: `cognito:groups` is a
 * JSON array, not API Gateway's "a,b", so that one group whose name holds a comma (`team-x,admins`)
 * reaches the function as the one name it is and can never become two groups.
 */
export function apiGatewayClaims(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') claims[name] = cognitoDate(value);
    else if (name === 'cognito:groups' && Array.isArray(value))
      claims[name] = JSON.stringify(value.map(String));
    else if (Array.isArray(value)) claims[name] = value.map(String).join(',');
    else claims[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return claims;
}
