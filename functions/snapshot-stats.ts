import middy from '@middy/core';
import { injectLambdaContext, logger } from '../shared/logger.js';
import { previousMonth } from '../shared/stats/query.js';
import { statsDeps } from '../shared/stats/stats-deps.js';
import { openCasesAtEndOf } from '../shared/stats/stats-service.js';
import { swedishDateOf } from '../shared/time.js';

const deps = statsDeps();

/**
 * Scheduled monthly (and locally every few minutes): takes the snapshot of open cases at the end of
 * the month that has just ended, if it has none yet, so that reading "active participants" for a
 * past month reads one item instead of summing openings and closings since the start.
 */
export const handler = middy<unknown, { month: string; taken: boolean }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async () => {
    const month = previousMonth(swedishDateOf(new Date()).slice(0, 7));
    if ((await deps.stats.snapshots([month])).has(month)) return { month, taken: false };
    await deps.stats.putSnapshot(month, await openCasesAtEndOf(deps, month));
    logger.info('Took the monthly snapshot of open cases', { month });
    return { month, taken: true };
  });
