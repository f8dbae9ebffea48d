import { httpApi, json } from '../shared/http/http-api.js';
import { statsDeps } from '../shared/stats/stats-deps.js';
import { readEquity, requireStatsReader } from '../shared/stats/stats-service.js';

const deps = statsDeps();

/** GET /stats/equity: women and men, and the age bands, compared per ruleset version. */
export const handler = httpApi(
  async (event) => json(200, await readEquity(deps, event.caller, event.queryStringParameters)),
  { authorize: requireStatsReader },
);
