import { dynamo } from '../clients.js';
import { functionEnv } from '../config/env.js';
import { DEFAULT_RULESET } from '../screening/default-ruleset.js';
import { StatsRepository } from './repository.js';
import type { StatsDeps } from './stats-service.js';

/** The statistics functions' dependencies, built once per container from the validated environment. */
export function statsDeps(): StatsDeps {
  const env = functionEnv();
  return {
    stats: new StatsRepository(dynamo, env.TABLE_NAME),
    deployment: env.DEPLOYMENT,
    ruleset: DEFAULT_RULESET,
    threshold: env.STATS_SUPPRESSION_THRESHOLD,
  };
}
