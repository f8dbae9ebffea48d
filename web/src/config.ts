/**
 * What the web app needs to know about where it runs, fetched once from `/app/config.json`: the local
 * runtime writes it from its deployment configuration; a deployed stack writes the Cognito values.
 * Types only: the local runtime imports them too.
 */
export type AuthConfig =
  /** `npm start`: demo users from GET /local/users, tokens from POST /local/login. */
  | { mode: 'local' }
  /** Deployed: the Cognito hosted UI, authorization code with PKCE (no client secret in a browser). */
  | {
      mode: 'cognito';
      /** The hosted UI's domain, e.g. `frontdesk-123.auth.eu-north-1.amazoncognito.com`. */
      domain: string;
      clientId: string;
      /** Default `openid email profile frontdesk/staff` (the API takes the access token). */
      scopes?: string;
    };

export type WebConfig = {
  /** Where the API is: empty for the same origin (locally), or the API Gateway stage URL. */
  apiBaseUrl: string;
  auth: AuthConfig;
  municipality: { code: string; name: string };
  /** The deployment's teams, in the order the form lists them as consent recipients. */
  teams: string[];
  /** Teams that see the minimum of a case (non-profit partners). */
  restrictedTeams: string[];
  /** Where to report an accessibility problem (the accessibility statement names it). */
  accessibilityContact: string;
};

export const CONFIG_PATH = '/app/config.json';
