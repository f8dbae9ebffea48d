import { AGENCIES } from '../shared/config/deployment.js';
import { groupScope } from '../shared/http/caller.js';

/**
 * The demo machine clients of the local runtime (CONTRACT.md v1.1, "More identities"): one system per
 * agency group and per team of the deployment, named after its group, each granted that group's one
 * scope `frontdesk/<group>`, as `npm run client:add` grants it in AWS. Local only.
 */
export type DemoClient = {
  /** The `client_id` to send to `POST /local/oauth2/token`. */
  id: string;
  group: string;
  scope: string;
};

/** Every demo client shares this secret: the local issuer signs tokens for anyone who asks anyway. */
export const DEMO_CLIENT_SECRET = 'local-secret';

export function demoClients(teams: readonly string[]): DemoClient[] {
  const groups = [...AGENCIES.map((agency) => `agency-${agency}`), ...teams.map((team) => `team-${team}`)];
  return groups.map((group) => ({ id: `${group}-system`, group, scope: groupScope(group) }));
}
