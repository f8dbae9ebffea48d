import type { APIGatewayProxyEvent } from 'aws-lambda';
import { AGENCIES, type Agency, DEFAULT_DEPLOYMENT } from '../config/deployment.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';

/** Who is calling, as the token's groups say (`cognito:groups`, CONTRACT.md "Identities and roles"). */
export type Caller = {
  subject: string;
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

/** What a token must say besides what the authorizer checked (issuer, app client, ID token). */
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
 * Defence in depth behind the authorizer: an ID token (`token_use`), of this user pool (`iss`),
 * for one of our app clients (`aud`), not expired. Anything else is 401, never a 5xx.
 */
function checkClaims(claims: Record<string, unknown>, expectations: TokenExpectations, now: number) {
  const reject = (why: string) => new UnauthorizedError(`The token is not valid here: ${why}.`);
  if (claims.token_use !== 'id') throw reject('it is not an ID token');
  if (expectations.issuer && claims.iss !== expectations.issuer) throw reject('wrong issuer');
  if (expectations.audiences && !expectations.audiences.includes(String(claims.aud ?? claims.client_id))) {
    throw reject('wrong audience');
  }
  if (expired(claims.exp, now)) throw reject('it has expired');
}

/** The deployment's teams: only their `team-<id>` groups give team rights. */
export type CallerOptions = TokenExpectations & { teams?: readonly string[] | undefined };

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
  checkClaims(claims, expectations, now);
  const groups = parseGroups(claims['cognito:groups'], expectations.teams ?? DEFAULT_DEPLOYMENT.teams);
  const agencies = AGENCIES.filter((agency) => groups.includes(`agency-${agency}`));
  return {
    subject,
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
