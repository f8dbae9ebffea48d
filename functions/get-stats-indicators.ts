import { httpApi, json } from '../shared/http/http-api.js';
import { statsDeps } from '../shared/stats/stats-deps.js';
import { readIndicators, requireStatsReader } from '../shared/stats/stats-service.js';

const deps = statsDeps();

/** GET /stats/indicators: each indicator's names, definition, unit and dimensions, in Swedish and English. */
export const handler = httpApi(async (event) => json(200, await readIndicators(deps, event.caller)), {
  authorize: requireStatsReader,
});
