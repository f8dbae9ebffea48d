/**
 * Who is signed in. The token is the access token the API's Cognito authorizer takes on methods that
 * name OAuth scopes (the sign-in asks for `frontdesk/staff`; locally from the local issuer); it carries
 * `cognito:groups`. It is kept in sessionStorage, so it ends with the tab. Its groups decide what the
 * pages offer; the API decides what is allowed. The name shown comes from the ID token, which the API
 * never sees (access tokens carry no email).
 */
import { AGENCIES, type Agency } from '../../shared/config/deployment.js';
import type { AuthConfig } from './config.js';
import { createRefresher } from './token-refresh.js';

export type Session = {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  userId: string;
  groups: string[];
  /** The referring agency (one `agency-*` group), as the API takes it from the token. */
  agency: Agency | undefined;
  teams: string[];
  admin: boolean;
  /** Member of the steering group: reads the follow-up figures, never a case or a referral. */
  steeringGroup: boolean;
};

const SESSION_KEY = 'frontdesk.session';
/** Who the header names, read from the ID token at sign-in. */
const NAME_KEY = 'frontdesk.name';
const PKCE_KEY = 'frontdesk.pkce';
/** The hosted UI's refresh token: tokens last an hour, a working session longer (12 h). */
const REFRESH_KEY = 'frontdesk.refresh';

function base64UrlDecode(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

/** Who the header says is signed in: the user name, unless Cognito made it a UUID; then the email. */
function displayName(payload: Record<string, unknown>): string {
  // `cognito:username` in an ID token, `username` in an access token.
  const raw = payload['cognito:username'] ?? payload.username;
  const username = typeof raw === 'string' ? raw : '';
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(username);
  return (uuid || !username ? String(payload.email ?? payload.sub ?? '') : username) || username;
}

const claimsOf = (token: string) =>
  JSON.parse(base64UrlDecode(token.split('.')[1] ?? '')) as Record<string, unknown>;

/** Reads the claims the pages need; the signature is the API's business, not the page's. */
export function sessionFromToken(token: string, name?: string): Session | undefined {
  try {
    const payload = claimsOf(token);
    const raw = payload['cognito:groups'];
    const groups = Array.isArray(raw)
      ? raw.filter((group): group is string => typeof group === 'string')
      : [];
    const agencies = AGENCIES.filter((agency) => groups.includes(`agency-${agency}`));
    return {
      token,
      expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : 0,
      userId: name || displayName(payload),
      groups,
      agency: agencies.length === 1 ? agencies[0] : undefined,
      teams: groups.filter((group) => group.startsWith('team-')).map((group) => group.slice(5)),
      admin: groups.includes('admins'),
      steeringGroup: groups.includes('steering-group'),
    };
  } catch {
    return undefined;
  }
}

export function currentSession(): Session | undefined {
  try {
    const token = sessionStorage.getItem(SESSION_KEY);
    if (!token) return undefined;
    const session = sessionFromToken(token, sessionStorage.getItem(NAME_KEY) ?? undefined);
    if (!session || session.expiresAt <= Date.now()) {
      sessionStorage.removeItem(SESSION_KEY);
      return undefined;
    }
    return session;
  } catch {
    return undefined;
  }
}

/** Keeps the token the API takes; `idToken` (deployed sign-in) only names who is signed in. */
export function saveSession(token: string, idToken?: string): Session | undefined {
  let name: string | undefined;
  try {
    name = idToken ? displayName(claimsOf(idToken)) : undefined;
  } catch {
    name = undefined;
  }
  const session = sessionFromToken(token, name ?? sessionStorage.getItem(NAME_KEY) ?? undefined);
  if (session) {
    sessionStorage.setItem(SESSION_KEY, token);
    if (name) sessionStorage.setItem(NAME_KEY, name);
    else if (!idToken) sessionStorage.removeItem(NAME_KEY);
  }
  return session;
}

export function clearSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
  sessionStorage.removeItem(NAME_KEY);
  sessionStorage.removeItem(REFRESH_KEY);
}

// --- Cognito hosted UI: authorization code with PKCE (RFC 7636) ------------------------------------

const randomString = (bytes: number) =>
  btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(bytes))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

const callbackUrl = () => `${location.origin}/app/auth/callback`;

type CognitoConfig = Extract<AuthConfig, { mode: 'cognito' }>;

/** Sends the browser to the hosted UI; `next` is where to return after signing in. */
export async function startCognitoSignIn(auth: CognitoConfig, next: string, lang: string): Promise<void> {
  const verifier = randomString(48);
  const state = randomString(16);
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, next }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: callbackUrl(),
    // frontdesk/staff lets the access token through the API's methods, which all name OAuth scopes.
    scope: auth.scopes ?? 'openid email profile frontdesk/staff',
    state,
    code_challenge_method: 'S256',
    code_challenge: await challengeOf(verifier),
    lang,
  });
  location.assign(`https://${auth.domain}/oauth2/authorize?${query}`);
}

/** Exchanges the code the hosted UI sent back for tokens; returns where to go next. */
export async function completeCognitoSignIn(auth: CognitoConfig, url: URL): Promise<string> {
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? 'null') as {
    verifier: string;
    state: string;
    next: string;
  } | null;
  sessionStorage.removeItem(PKCE_KEY);
  const code = url.searchParams.get('code');
  if (!saved || !code || url.searchParams.get('state') !== saved.state) {
    throw new Error('The sign-in answer does not match a sign-in this tab started.');
  }
  const response = await fetch(`https://${auth.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: auth.clientId,
      code,
      redirect_uri: callbackUrl(),
      code_verifier: saved.verifier,
    }),
  });
  if (!response.ok) throw new Error(`The token endpoint answered ${response.status}.`);
  const tokens = (await response.json()) as {
    access_token?: string;
    id_token?: string;
    refresh_token?: string;
  };
  // API Gateway's Cognito authorizer takes only access tokens on methods that name OAuth scopes.
  if (!tokens.access_token || !saveSession(tokens.access_token, tokens.id_token)) {
    throw new Error('No usable access token.');
  }
  if (tokens.refresh_token) sessionStorage.setItem(REFRESH_KEY, tokens.refresh_token);
  return saved.next.startsWith('/app/') ? saved.next : '/app/';
}

/** Keeps a deployed session alive with the hosted UI's refresh token (token-refresh.ts). */
export const cognitoRefresher = (auth: CognitoConfig) =>
  createRefresher({
    auth,
    storage: sessionStorage,
    fetch: (url, init) => fetch(url, init),
    keys: { session: SESSION_KEY, refresh: REFRESH_KEY },
    accept: (accessToken, idToken) => saveSession(accessToken, idToken) !== undefined,
  });

/** Ends the hosted UI's session too, then comes back to the sign-in page. */
export function cognitoSignOutUrl(auth: CognitoConfig): string {
  const query = new URLSearchParams({
    client_id: auth.clientId,
    logout_uri: `${location.origin}/app/sign-in`,
  });
  return `https://${auth.domain}/logout?${query}`;
}
