import { httpApi, json } from '../shared/http/http-api.js';
import { csvFileName, statsCsv } from '../shared/stats/csv.js';
import { statsDeps } from '../shared/stats/stats-deps.js';
import { readStats, requireStatsReader } from '../shared/stats/stats-service.js';

const deps = statsDeps();

/**
 * GET /stats: one indicator by period and up to two dimensions, small numbers suppressed, as JSON or
 * (`Accept: text/csv`, `format=csv`) as CSV that Excel opens (`dialect=excel-sv`). Every read is audited.
 */
export const handler = httpApi(
  async (event) => {
    const { answer, csv } = await readStats(
      deps,
      event.caller,
      event.queryStringParameters,
      event.headers?.accept,
    );
    if (!csv) return json(200, answer);
    return {
      statusCode: 200,
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${csvFileName(answer.indicator, answer.from, answer.to)}"`,
        'Cache-Control': 'no-store',
      },
      body: statsCsv(answer, csv.dialect),
    };
  },
  { authorize: requireStatsReader },
);
