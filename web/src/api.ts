/**
 * Calls the API with the signed-in user's token. Every answer is one of three kinds, so each page
 * can say the right calm thing: the data, a problem+json (RFC 9457) the API sent, or no answer.
 */
import { currentSession } from './session.js';

export type FieldProblem = { path: string; message: string };
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
};

export type ApiOutcome<T> =
  | { kind: 'ok'; status: number; data: T; etag?: string | undefined }
  | { kind: 'problem'; status: number; problem: Problem }
  /** No answer (offline, DNS, a dropped connection) or no usable one. */
  | { kind: 'network' };

let baseUrl = '';
export const setApiBaseUrl = (url: string) => {
  baseUrl = url.replace(/\/$/, '');
};

/** Deployed: renews the ID token before it expires (session.ts, cognitoRefresher). */
let refreshSession: (() => Promise<void>) | undefined;
export const setSessionRefresher = (refresher: () => Promise<void>) => {
  refreshSession = refresher;
};

export async function api<T>(
  path: string,
  init: { method?: 'GET' | 'POST'; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiOutcome<T>> {
  const outcome = await request<T>(path, init);
  // Asked without If-None-Match, a 304 cannot come; treat one as no usable answer.
  return outcome.kind === 'not-modified' ? { kind: 'network' } : outcome;
}

/**
 * A conditional GET: with the ETag of what the page shows, the API answers `304 Not Modified` (no
 * body, and no audit entry) until something changed. The answer's own ETag comes back with the data.
 */
export function apiConditional<T>(
  path: string,
  etag: string | undefined,
): Promise<ApiOutcome<T> | { kind: 'not-modified' }> {
  return request<T>(path, etag ? { headers: { 'If-None-Match': etag } } : {});
}

async function request<T>(
  path: string,
  init: { method?: 'GET' | 'POST'; body?: unknown; headers?: Record<string, string> },
): Promise<ApiOutcome<T> | { kind: 'not-modified' }> {
  const headers: Record<string, string> = { Accept: 'application/json', ...init.headers };
  await refreshSession?.();
  const token = currentSession()?.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? null : JSON.stringify(init.body),
      cache: 'no-store',
    });
  } catch {
    return { kind: 'network' };
  }
  if (response.status === 304) return { kind: 'not-modified' };
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    data = undefined;
  }
  if (response.ok) {
    const etag = response.headers.get('ETag') ?? undefined;
    return { kind: 'ok', status: response.status, data: data as T, etag };
  }
  const problem =
    data && typeof data === 'object' && 'status' in data
      ? (data as Problem)
      : { type: 'about:blank', title: response.statusText, status: response.status, detail: '' };
  return { kind: 'problem', status: response.status, problem };
}

/**
 * A file from the API (e.g. a CSV export): the bytes as they came (a Blob keeps a byte-order mark,
 * which reading as text would drop), its type, and the file name the API gave it, if any.
 */
export async function apiFile(
  path: string,
  accept = 'text/csv',
): Promise<
  | { kind: 'ok'; blob: Blob; type: string; disposition: string | null }
  | { kind: 'problem'; status: number }
  | { kind: 'network' }
> {
  await refreshSession?.();
  const token = currentSession()?.token;
  const headers: Record<string, string> = { Accept: `${accept}, application/problem+json` };
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    const response = await fetch(`${baseUrl}${path}`, { headers, cache: 'no-store' });
    if (!response.ok) return { kind: 'problem', status: response.status };
    return {
      kind: 'ok',
      blob: await response.blob(),
      type: response.headers.get('Content-Type') ?? '',
      disposition: response.headers.get('Content-Disposition'),
    };
  } catch {
    return { kind: 'network' };
  }
}

/**
 * The team held the case and lost it: the client's consent no longer covers it (CONTRACT.md v1.1,
 * "Consent over the case's life"). A 404 like any other, told apart by its problem type.
 */
export const isConsentWithdrawn = (outcome: ApiOutcome<unknown>) =>
  outcome.kind === 'problem' &&
  outcome.status === 404 &&
  outcome.problem.type === 'urn:frontdesk:problem:consent-withdrawn';

/** A 5xx or no answer: the service, not the user, has a problem; what was typed stays. */
export const isOutage = (outcome: ApiOutcome<unknown>) =>
  outcome.kind === 'network' || (outcome.kind === 'problem' && outcome.status >= 500);
