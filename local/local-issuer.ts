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
import type { DemoUser } from './demo-users.js';

/** The audience of local tokens; a deployed stack's tokens carry the Cognito app client id instead. */
export const LOCAL_AUDIENCE = 'frontdesk-local';
/** Cognito's default ID-token lifetime is one hour; a working day is kinder on a laptop. */
const LIFETIME_SECONDS = 8 * 60 * 60;

export type IssueOptions = {
  /** When the token was issued; a time in the past makes an expired token (for tests). */
  issuedAt?: Date;
  lifetimeSeconds?: number;
  /** Claims that differ from what the local user pool would say, for tests of refused tokens. */
  overrides?: { iss?: string; aud?: string; token_use?: string; groups?: string[] };
};

export type LocalIssuer = {
  issuer: string;
  jwks: JSONWebKeySet;
  issueToken(user: DemoUser, options?: IssueOptions): Promise<string>;
  /** Verifies like API Gateway's Cognito authorizer; throws TokenRejectedError with a reason. */
  verify(token: string): Promise<JWTPayload>;
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
 * survive a restart, nor does the in-memory data they would read), ID tokens shaped like Cognito's.
 */
export async function createLocalIssuer(issuer: string): Promise<LocalIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return {
    issuer,
    jwks: { keys: [jwk] },
    issueToken: (user, options) => signToken(privateKey, kid, issuer, user, options),
    verify: (token) => verifyToken(publicKey, issuer, token),
  };
}

async function signToken(
  key: CryptoKey,
  kid: string,
  issuer: string,
  user: DemoUser,
  options?: IssueOptions,
) {
  const issuedAt = Math.floor((options?.issuedAt ?? new Date()).getTime() / 1000);
  return new SignJWT({
    'cognito:username': user.id,
    'cognito:groups': [...(options?.overrides?.groups ?? user.groups)],
    email: `${user.id}@frontdesk.invalid`,
    email_verified: true,
    name: user.name,
    token_use: options?.overrides?.token_use ?? 'id',
    auth_time: issuedAt,
  })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
    .setIssuer(options?.overrides?.iss ?? issuer)
    .setAudience(options?.overrides?.aud ?? LOCAL_AUDIENCE)
    .setSubject(subjectOf(user))
    .setJti(randomUUID())
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options?.lifetimeSeconds ?? LIFETIME_SECONDS))
    .sign(key);
}

async function verifyToken(key: CryptoKey, issuer: string, token: string): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer,
      audience: LOCAL_AUDIENCE,
      algorithms: ['ES256'],
    });
    // The Cognito authorizer (without OAuth scopes) takes ID tokens only.
    if (payload.token_use !== 'id') throw new TokenRejectedError('The token is not an ID token.');
    return payload;
  } catch (error) {
    if (error instanceof TokenRejectedError) throw error;
    if (error instanceof errors.JWTExpired)
      throw new TokenRejectedError('The token has expired.', { cause: error });
    throw new TokenRejectedError('The token is not valid.', { cause: error });
  }
}

/** Cognito's authorizer formats `exp` and `iat` like Java's Date.toString(): "Fri Jul 29 18:52:53 UTC 2016". */
function cognitoDate(epochSeconds: number) {
  const date = new Date(epochSeconds * 1000);
  const day = date.toLocaleString('en-US', { weekday: 'short', timeZone: 'UTC' });
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${day} ${month} ${pad(date.getUTCDate())} ${time} UTC ${date.getUTCFullYear()}`;
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
