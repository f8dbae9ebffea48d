import { describe, expect, it, vi } from 'vitest';
import { createRefresher } from '../../web/src/token-refresh.js';

/** The deployed web app renews its access token with the refresh token before it expires. */
const auth = { domain: 'frontdesk-2262.auth.eu-north-1.amazoncognito.com', clientId: 'client-1' };
const keys = { session: 'session', refresh: 'refresh' };

const token = (expiresInSeconds: number, name = 'officer') => {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + expiresInSeconds;
  return `${part({ alg: 'RS256' })}.${part({ 'cognito:username': name, exp })}.sig`;
};

function setUp(sessionToken: string, refreshToken: string | undefined, answer: () => Response) {
  const store = new Map<string, string>([[keys.session, sessionToken]]);
  if (refreshToken) store.set(keys.refresh, refreshToken);
  const storage = {
    getItem: (key: string) => store.get(key) ?? null,
    setItem: (key: string, value: string) => void store.set(key, value),
    removeItem: (key: string) => void store.delete(key),
  };
  const fetch = vi.fn(async (_url: string, _init: { body: URLSearchParams }) => answer());
  const refresh = createRefresher({
    auth,
    storage,
    fetch,
    keys,
    accept: (accessToken, idToken) => {
      store.set(keys.session, accessToken);
      if (idToken) store.set('name', idToken);
      return true;
    },
  });
  return { store, fetch, refresh };
}

describe('createRefresher', () => {
  it('exchanges the refresh token for a new access token shortly before the old one expires', async () => {
    const fresh = token(3600, 'after');
    const named = token(3600, 'id');
    const { store, fetch, refresh } = setUp(
      token(60),
      'refresh-1',
      () => new Response(JSON.stringify({ access_token: fresh, id_token: named })),
    );

    await refresh();

    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe(`https://${auth.domain}/oauth2/token`);
    expect(String(init.body)).toBe('grant_type=refresh_token&client_id=client-1&refresh_token=refresh-1');
    expect(store.get(keys.session)).toBe(fresh);
    expect(store.get('name')).toBe(named);
  });

  it('leaves a token with time left alone, and refreshes once for requests made together', async () => {
    const { store, fetch, refresh } = setUp(
      token(3600),
      'refresh-1',
      () => new Response(JSON.stringify({ access_token: token(3600) })),
    );
    await refresh();
    expect(fetch).not.toHaveBeenCalled();

    store.set(keys.session, token(10));
    await Promise.all([refresh(), refresh(), refresh()]);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('forgets a refused refresh token, so the next page asks to sign in', async () => {
    const { store, refresh } = setUp(
      token(10),
      'revoked',
      () => new Response('{"error":"invalid_grant"}', { status: 400 }),
    );
    await refresh();
    expect(store.has(keys.refresh)).toBe(false);
  });

  it('does nothing without a refresh token (local sign-in)', async () => {
    const { fetch, refresh } = setUp(token(10), undefined, () => new Response('{}'));
    await refresh();
    expect(fetch).not.toHaveBeenCalled();
  });
});
