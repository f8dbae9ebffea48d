/**
 * `npm run stats:verify` and `npm run stats:rebuild`: the follow-up statistics' aggregates checked
 * against, or rebuilt from, the cases and the anonymous records of closed cases.
 *
 * The aggregates are written with every change of a case, in the same transaction (shared/stats/),
 * so they should never differ; `verify` proves it (exit 1 and a list of what differs, else 0), and
 * `rebuild` recomputes every counter and every monthly snapshot when they must be rebuilt (after a
 * restore, or a change of what a figure counts). Rebuild while no case changes (it scans the table).
 * Nothing personal is printed: counters are months, series and dimension values.
 *
 * Locally (the default) it talks to `npm start`'s DynamoDB Local: DYNAMODB_ENDPOINT, or
 * http://localhost:DYNAMODB_PORT (8000), table `frontdesk-cases` (--table). `--aws` talks to DynamoDB
 * in --region (AWS_REGION, eu-north-1) with the normal credential chain; --table is then the
 * stack's `TableName` output. It needs dynamodb:Scan, GetItem, BatchGetItem (and PutItem, DeleteItem
 * for rebuild) on the table, and kms:Decrypt on its key.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { differences, recompute, snapshotDifferences } from '../shared/stats/rebuild.js';
import { StatsRepository } from '../shared/stats/repository.js';
import { UsageError } from './user-add.js';

export const USAGE = `Usage:
  npm run stats:verify  -- [--table <name>] [--aws [--region <region>]] [--dynamodb-endpoint <url>]
  npm run stats:rebuild -- [--table <name>] [--aws [--region <region>]] [--dynamodb-endpoint <url>]`;

export type StatsCommandResult = { ok: boolean; cases: number; differences: number; lines: string[] };

/** Verifies (or rebuilds) the aggregates of one table; what to print is in `lines`. */
export async function runStatsCommand(
  command: 'verify' | 'rebuild',
  db: DynamoDBDocumentClient,
  tableName: string,
): Promise<StatsCommandResult> {
  const stats = new StatsRepository(db, tableName);
  const stored = await stats.allCounters();
  const expected = await recompute(stats, stored.snapshots.keys());
  const found = [
    ...differences(stored.counters, expected.counters),
    ...snapshotDifferences(stored.snapshots, expected.snapshots),
  ];
  const lines = [`${expected.cases} cases and anonymous records, ${expected.counters.size} counters.`];
  if (command === 'verify') {
    for (const difference of found.slice(0, 50))
      lines.push(
        `differs: ${difference.month} ${difference.series} ${difference.key}: stored ${difference.stored}, expected ${difference.expected}`,
      );
    if (found.length > 50) lines.push(`… and ${found.length - 50} more`);
    lines.push(found.length === 0 ? 'The aggregates match the cases.' : `${found.length} counters differ.`);
    return { ok: found.length === 0, cases: expected.cases, differences: found.length, lines };
  }
  const items = await stats.replaceAll(expected.counters, expected.snapshots);
  lines.push(
    `Rebuilt: ${items} aggregate items, ${expected.snapshots.size} snapshots (${found.length} counters had differed).`,
  );
  return { ok: true, cases: expected.cases, differences: found.length, lines };
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  if (command !== 'verify' && command !== 'rebuild') throw new UsageError('Say verify or rebuild.');
  const { values } = parseArgs({
    args: rest,
    options: {
      table: { type: 'string', default: 'frontdesk-cases' },
      aws: { type: 'boolean', default: false },
      region: { type: 'string' },
      'dynamodb-endpoint': { type: 'string' },
    },
  });
  const region = values.region ?? process.env.AWS_REGION ?? 'eu-north-1';
  const endpoint = values.aws
    ? undefined
    : (values['dynamodb-endpoint'] ??
      process.env.DYNAMODB_ENDPOINT ??
      `http://localhost:${process.env.DYNAMODB_PORT ?? 8000}`);
  const client = new DynamoDBClient({
    region,
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  const result = await runStatsCommand(command, DynamoDBDocumentClient.from(client), values.table);
  for (const line of result.lines) console.log(line);
  process.exitCode = result.ok ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    }
  });
}
