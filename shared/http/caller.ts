import type { APIGatewayProxyEvent } from 'aws-lambda';
import { AGENCIES, type Agency, DEFAULT_DEPLOYMENT } from '../config/deployment.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';

/**
 * Who is calling, as the token says: a person's `cognito:groups`, or a machine client's
 * `frontdesk/<group>` scope (CONTRACT.md "Identities and roles", v1.1 "More identities"). Both give
 * groups, and every right below is read from the groups alone: one authorization table.
 */
export type Caller = {
  /** The actor in audit trails and `submittedBy`: the user's `sub`, or a machine client's `client_id`. */
  subject: string;
  /** The app client id when a system calls with client credentials; absent for a person. */
  client?: string;
  /** How people see the caller: the token's name or user name (a machine client: its id). */
  name?: string;
  /** The sign-in name (`cognito:username`, or `username` in an access token): how colleagues name a person. */
  username?: string;
  groups: string[];
  /** The referring agency, from an `agency-*` group; never from the body. */
  agency: Agency | undefined;
  /** Back-office teams from `team-*` groups. */
  teams: string[];
  admin: boolean;
};

/** The contract's group names (CONTRACT.md "Identities and roles", v1.1), for a deployment's teams. */
export function contractGroups(teams: readonly string[]): Set<string> {
  return new Set([
    ...AGENCIES.map((agency) => `agency-${agency}`),
    ...teams.map((team) => `team-${team}`),
    'admins',
    'steering-group',
  ]);
}

/** The Cognito resource server of the API (infra/constructs/auth.ts); its scopes are `frontdesk/<name>`. */
export const RESOURCE_SERVER = 'frontdesk';
/** What the staff web app's sign-in asks for: lets a person's access token through the gateway. */
export const STAFF_SCOPE = `${RESOURCE_SERVER}/staff`;
/** The scope that gives a machine client exactly the rights of one contract group. */
export const groupScope = (group: string) => `${RESOURCE_SERVER}/${group}`;

/**
 * Every scope an authorized method names (API Gateway lets a token through when it carries any one):
 * the staff scope and one per contract group. What the token may then do is the functions' business.
 */
export function apiScopes(groups: Iterable<string>): string[] {
  return [STAFF_SCOPE, ...[...groups].map(groupScope)];
}

/**
 * The groups a machine client's `scope` claim names: each space-separated scope `frontdesk/<group>`
 * whose group is a contract name, taken whole or not at all (`frontdesk/team-x,admins` gives nothing).
 */
export function groupsFromScope(scope: unknown, teams: readonly string[]): string[] {
  if (typeof scope !== 'string') return [];
  const known = contractGroups(teams);
  const prefix = `${RESOURCE_SERVER}/`;
  const groups = scope
    .split(' ')
    .filter((name) => name.startsWith(prefix))
    .map((name) => name.slice(prefix.length))
    .filter((name) => known.has(name));
  return [...new Set(groups)];
}

/** A JSON array in a string (how the local gateway hands groups over), or undefined. */
function jsonArray(text: string): unknown[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The caller's groups: only the contract's names; anything else is ignored (CONTRACT.md v1.1).
 * An array (the local gateway, as a JSON array string; tests and other runtimes, as an array) holds
 * one group name per element, taken as it is or not at all: a group named `team-x,admins` gives
 * nothing. API Gateway's Cognito authorizer hands the claim over as one string, "a,b" or "[a b]",
 * which has to be split; of the pieces, again only the contract's names count.
 */
export function parseGroups(raw: unknown, teams: readonly string[]): string[] {
  const known = contractGroups(teams);
  const names =
    typeof raw === 'string'
      ? (jsonArray(raw.trim()) ??
        raw
          .trim()
          .replace(/^\[|\]$/g, '')
          .split(/[\s,]+/))
      : Array.isArray(raw)
        ? raw
        : [];
  const groups = names.filter((name): name is string => typeof name === 'string' && known.has(name));
  return [...new Set(groups)];
}

/**
 * What a token must say besides what the authorizer checked: `iss` this pool, and for a person's token
 * `aud` (ID token) or `client_id` (access token) one of `audiences`, the staff app clients.
 */
export type TokenExpectations = { issuer?: string | undefined; audiences?: readonly string[] | undefined };

/**
 * Cognito writes `exp` as epoch seconds, API Gateway hands it over as a string, sometimes as a date
 * ("Mon Nov 23 22:39:52 UTC 2026"); either way a token past it is refused.
 */
function expired(exp: unknown, now: number): boolean {
  if (exp === undefined || exp === null || exp === '') return false;
  const seconds =
    typeof exp === 'number' || /^\d+$/.test(String(exp)) ? Number(exp) : Date.parse(String(exp)) / 1000;
  return !Number.isFinite(seconds) || seconds * 1000 <= now;
}

/**
 * Defence in depth behind the authorizer: a token of this user pool (`iss`), not expired, and either
 * - an ID token (`token_use: id`) for one of the staff app clients (`aud`), or
 * - an access token (`token_use: access`): a person's, from one of the staff app clients
 *   (`client_id`), or a machine client's, carrying a `frontdesk/<group>` scope. Machine clients are
 *   added after the deploy (`npm run client:add`), so their ids are not in the functions' environment:
 *   any app client of this pool is accepted when an administrator granted it a group's scope, which
 *   only an administrator of the pool can do.
 * Anything else is 401, never a 5xx.
 */
function checkClaims(
  claims: Record<string, unknown>,
  expectations: TokenExpectations,
  machine: boolean,
  now: number,
) {
  const reject = (why: string) => new UnauthorizedError(`The token is not valid here: ${why}.`);
  if (expectations.issuer && claims.iss !== expectations.issuer) throw reject('wrong issuer');
  if (claims.token_use === 'id') {
    if (expectations.audiences && !expectations.audiences.includes(String(claims.aud))) {
      throw reject('wrong audience');
    }
  } else if (claims.token_use === 'access') {
    if (typeof claims.client_id !== 'string' || claims.client_id.length === 0) throw reject('no client');
    if (!machine && expectations.audiences && !expectations.audiences.includes(claims.client_id)) {
      throw reject('wrong app client');
    }
  } else {
    throw reject('it is neither an ID token nor an access token');
  }
  if (expired(claims.exp, now)) throw reject('it has expired');
}

/** The deployment's teams: only their `team-<id>` groups give team rights. */
export type CallerOptions = TokenExpectations & { teams?: readonly string[] | undefined };

const userName = (claims: Record<string, unknown>): string | undefined => {
  const value = claims['cognito:username'] ?? claims.username;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
};

/** The name a person's token gives (`name`, else the user name), for assignees and note authors. */
function displayName(claims: Record<string, unknown>): string | undefined {
  for (const claim of ['name', 'cognito:username', 'username']) {
    const value = claims[claim];
    if (typeof value === 'string' && value.trim().length > 0) return value.trim().slice(0, 100);
  }
  return undefined;
}

export function callerFrom(
  event: Pick<APIGatewayProxyEvent, 'requestContext'>,
  expectations: CallerOptions = {},
  now = Date.now(),
): Caller {
  const claims = (event.requestContext?.authorizer as { claims?: Record<string, unknown> } | null)?.claims;
  const subject = claims?.sub;
  if (!claims || typeof subject !== 'string' || subject.length === 0) {
    throw new UnauthorizedError('A valid bearer token is required.');
  }
  const teams = expectations.teams ?? DEFAULT_DEPLOYMENT.teams;
  // A machine client's rights come from its scope, exactly as a person's come from their groups.
  const scoped = claims.token_use === 'access' ? groupsFromScope(claims.scope, teams) : [];
  checkClaims(claims, expectations, scoped.length > 0, now);
  const groups = [...new Set([...parseGroups(claims['cognito:groups'], teams), ...scoped])];
  const agencies = AGENCIES.filter((agency) => groups.includes(`agency-${agency}`));
  const client = scoped.length > 0 ? String(claims.client_id) : undefined;
  return {
    // Cognito makes a client-credentials token's `sub` the client id too; `client_id` says so for sure.
    subject: client ?? subject,
    ...(client ? { client } : {}),
    name: displayName(claims) ?? client ?? subject,
    ...(userName(claims) ? { username: userName(claims) } : {}),
    groups,
    agency: agencies.length === 1 ? agencies[0] : undefined,
    teams: groups.filter((group) => group.startsWith('team-')).map((group) => group.slice('team-'.length)),
    admin: groups.includes('admins'),
  };
}

/** The caller's agency, for the agency-only routes; a member of several agencies cannot say which one acts. */
export function requireAgency(caller: Caller): Agency {
  if (!caller.agency) {
    throw new ForbiddenError('Only referring staff of one agency may do this.');
  }
  return caller.agency;
}

/** Referrals are read by their own agency's staff, and by administrators (CONTRACT.md roles). */
export function requireReferralReader(caller: Caller): void {
  if (!caller.agency && !caller.admin) {
    throw new ForbiddenError('Only referring staff and administrators may read referrals.');
  }
}

export const canReadAgency = (caller: Caller, agency: Agency) => caller.admin || caller.agency === agency;

/** Back-office reads: members of a team and administrators. */
export function requireStaffOfTeam(caller: Caller): void {
  if (caller.teams.length === 0 && !caller.admin) {
    throw new ForbiddenError('Only back-office teams and administrators may read cases.');
  }
}

/** Back-office changes: members of a team (administrators read, they do not work cases). */
export function requireTeamMember(caller: Caller): void {
  if (caller.teams.length === 0) throw new ForbiddenError('Only back-office teams may act on cases.');
}

/** Administrators only: the audit trail and statistics. */
export function requireAdmin(caller: Caller): void {
  if (!caller.admin) throw new ForbiddenError('Only administrators may do this.');
}
