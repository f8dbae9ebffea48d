/**
 * A machine client's access token from an OAuth 2.0 token endpoint (client credentials): Cognito's
 * `https://<domain>/oauth2/token` in AWS, `POST /local/oauth2/token` locally. The token is kept and
 * renewed `marginSeconds` before it expires, so an unattended consumer never sends a dying token;
 * concurrent callers share one request. The secret is only ever sent to the token endpoint.
 */
export type ClientTokenOptions = {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Renew this long before `expires_in` runs out. Default 60 s. */
  marginSeconds?: number;
  fetch?: typeof fetch;
  now?: () => number;
};

export class TokenEndpointError extends Error {
  override name = 'TokenEndpointError';
}

export function clientCredentialsToken(options: ClientTokenOptions): () => Promise<string> {
  const now = options.now ?? Date.now;
  const fetchFn = options.fetch ?? fetch;
  const margin = (options.marginSeconds ?? 60) * 1000;
  let current: { token: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  const request = async () => {
    const response = await fetchFn(options.tokenUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        // HTTP Basic, as Cognito's documentation shows for a confidential client.
        Authorization: `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
    });
    const body = (await response.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
    };
    if (!response.ok || typeof body.access_token !== 'string') {
      // The OAuth error code only (invalid_client, …): never the request, which holds the secret.
      throw new TokenEndpointError(
        `The token endpoint answered ${response.status}${typeof body.error === 'string' ? ` ${body.error}` : ''}`,
      );
    }
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in * 1000 : 0;
    current = { token: body.access_token, renewAt: now() + Math.max(0, lifetime - margin) };
    return body.access_token;
  };

  return async () => {
    if (current && now() < current.renewAt) return current.token;
    inFlight ??= request().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
