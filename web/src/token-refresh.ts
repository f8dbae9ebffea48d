/**
 * Keeps a deployed session alive: before a request, an access token that expires within five minutes is
 * exchanged for a new one with the hosted UI's refresh token, so an officer halfway through a long
 * form is not sent to sign in again (and does not lose what was typed). One refresh at a time.
 * No DOM types here: the browser's sessionStorage and fetch are passed in (and stubbed in tests).
 */
type KeyValueStore = {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
};
type Answer = { ok: boolean; json(): Promise<unknown> };

export type RefresherOptions = {
  auth: { domain: string; clientId: string };
  storage: KeyValueStore;
  fetch: (
    url: string,
    init: { method: 'POST'; headers: Record<string, string>; body: URLSearchParams },
  ) => Promise<Answer>;
  keys: { session: string; refresh: string };
  /** Stores a new access token (and the ID token that names the user); false when it is not usable. */
  accept: (accessToken: string, idToken: string | undefined) => boolean;
  now?: () => number;
};

/** Refresh this long before the token expires, so no request goes out with a dying token. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** The token's `exp` in epoch milliseconds, or 0 when it cannot be read. */
function expiryOf(token: string | null): number {
  try {
    const payload = token?.split('.')[1] ?? '';
    const json = atob(
      payload
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(payload.length / 4) * 4, '='),
    );
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : 0;
  } catch {
    return 0;
  }
}

export function createRefresher(options: RefresherOptions): () => Promise<void> {
  const now = options.now ?? Date.now;
  let inFlight: Promise<void> | undefined;
  const refresh = async () => {
    const refreshToken = options.storage.getItem(options.keys.refresh);
    if (!refreshToken) return;
    try {
      const response = await options.fetch(`https://${options.auth.domain}/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: options.auth.clientId,
          refresh_token: refreshToken,
        }),
      });
      const tokens = response.ok
        ? ((await response.json()) as { access_token?: string; id_token?: string })
        : {};
      if (tokens.access_token && options.accept(tokens.access_token, tokens.id_token)) return;
      options.storage.removeItem(options.keys.refresh); // refused or revoked: the next page asks to sign in
    } catch {
      // No answer: try again before the next request.
    }
  };
  return async () => {
    if (expiryOf(options.storage.getItem(options.keys.session)) - now() > REFRESH_MARGIN_MS) return;
    inFlight ??= refresh().finally(() => {
      inFlight = undefined;
    });
    await inFlight;
  };
}
