import { describe, expect, it, vi } from 'vitest';
import { clientCredentialsToken, TokenEndpointError } from '../../scripts/client-token.js';

/** The consumer's client-credentials token: fetched once, renewed before it expires, never leaked. */
const answer = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function setUp(answers: Response[]) {
  let clock = Date.parse('2026-11-23T10:00:00Z');
  const fetch = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => {
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    return next;
  });
  const token = clientCredentialsToken({
    tokenUrl: 'https://frontdesk-2262.auth.eu-north-1.amazoncognito.com/oauth2/token',
    clientId: 'af-ais',
    clientSecret: 's3cret',
    fetch: fetch as unknown as typeof globalThis.fetch,
    now: () => clock,
  });
  return { fetch, token, advance: (seconds: number) => (clock += seconds * 1000) };
}

describe('clientCredentialsToken', () => {
  it('asks the token endpoint for client credentials with HTTP Basic, form-encoded', async () => {
    const { fetch, token } = setUp([answer({ access_token: 'a1', token_type: 'Bearer', expires_in: 900 })]);

    expect(await token()).toBe('a1');

    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://frontdesk-2262.auth.eu-north-1.amazoncognito.com/oauth2/token');
    expect(init?.body).toBe('grant_type=client_credentials');
    expect((init!.headers as Record<string, string>).Authorization).toBe(
      `Basic ${Buffer.from('af-ais:s3cret').toString('base64')}`,
    );
  });

  it('keeps the token while it has more than a minute left, then renews it', async () => {
    const { fetch, token, advance } = setUp([
      answer({ access_token: 'a1', expires_in: 900 }),
      answer({ access_token: 'a2', expires_in: 900 }),
    ]);
    expect(await token()).toBe('a1');
    advance(839);
    expect(await Promise.all([token(), token()])).toEqual(['a1', 'a1']);
    advance(2);
    expect(await Promise.all([token(), token(), token()])).toEqual(['a2', 'a2', 'a2']);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('fails with the OAuth error code only, never the secret, and tries again next time', async () => {
    const { token } = setUp([
      answer({ error: 'invalid_client' }, 401),
      answer({ access_token: 'a1', expires_in: 900 }),
    ]);
    const failure = await token().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TokenEndpointError);
    expect(String(failure)).toContain('401 invalid_client');
    expect(String(failure)).not.toContain('s3cret');
    expect(await token()).toBe('a1');
  });
});
