import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { DEFAULT_DEPLOYMENT, screeningQueueName, teamQueueName } from '../shared/config/deployment.js';
import type { BuiltBundle } from './lib/functions.js';

const run = promisify(execFile);
const SPAWN_TIMEOUT_MS = 30_000;

/**
 * What the child runs: the time of `await import(bundle)` alone, measured inside the fresh process
 * (node's own start-up is not counted), and a check that the module exports a handler.
 */
const CHILD = `
const url = process.argv[1];
const started = performance.now();
const module = await import(url);
const ms = performance.now() - started;
if (typeof module.handler !== 'function') {
  console.error('the bundle exports no handler');
  process.exit(2);
}
console.log(JSON.stringify({ ms }));
process.exit(0);
`;

const REGION = 'eu-north-1';
const ACCOUNT = '123456789012';
const queueUrl = (name: string) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;

/**
 * The variables the CDK stack binds (shared/config/env.ts validates them at cold start), with
 * syntactically valid values; the construct's own variables come from the synthesized function.
 */
export const BOUND_ENVIRONMENT: Record<string, string> = {
  TABLE_NAME: `${DEFAULT_DEPLOYMENT.queuePrefix}-cases`,
  SCREENING_QUEUE_URL: queueUrl(screeningQueueName(DEFAULT_DEPLOYMENT.queuePrefix)),
  TEAM_QUEUE_URLS: JSON.stringify(
    Object.fromEntries(
      DEFAULT_DEPLOYMENT.teams.map((team) => [
        team,
        queueUrl(teamQueueName(DEFAULT_DEPLOYMENT.queuePrefix, team)),
      ]),
    ),
  ),
  DEPLOYMENT: JSON.stringify(DEFAULT_DEPLOYMENT),
  PERSON_KEY: 'ab'.repeat(32),
  AWS_REGION: REGION,
  AWS_DEFAULT_REGION: REGION,
};

/** One thing to time: a bundle started with an environment on top of the bound variables. */
export type ColdLoadCase = { id: string; bundle: BuiltBundle; environment: Record<string, string> };

async function importOnce(target: ColdLoadCase): Promise<number> {
  // A clean environment: nothing of this process (tsx's loader in NODE_OPTIONS, AWS profiles) leaks in.
  const env = {
    PATH: process.env.PATH ?? '',
    // On node < 22 the SDK prints a support warning at start-up, which Lambda's node 22 does not.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...BOUND_ENVIRONMENT,
    ...target.environment,
  };
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', CHILD, pathToFileURL(target.bundle.file).href],
    { env, timeout: SPAWN_TIMEOUT_MS, maxBuffer: 1024 * 1024 },
  );
  const last = stdout.trim().split('\n').pop() ?? '';
  return (JSON.parse(last) as { ms: number }).ms;
}

/**
 * Times every case `runs` times, each in a new node process, round-robin over the cases so that a
 * slow moment of the machine does not land on one of them only. One untimed start warms the disk cache.
 */
export async function measureColdLoads(
  cases: readonly ColdLoadCase[],
  runs: number,
  isStopped: () => boolean,
): Promise<Map<string, number[]>> {
  const times = new Map<string, number[]>(cases.map((target) => [target.id, []]));
  if (cases[0]) await importOnce(cases[0]);
  for (let round = 0; round < runs; round++) {
    for (const target of cases) {
      if (isStopped()) return times;
      times.get(target.id)?.push(await importOnce(target));
    }
  }
  return times;
}

/** The environment without `--enable-source-maps` in NODE_OPTIONS (to see what the source map costs). */
export function withoutSourceMaps(environment: Record<string, string>): Record<string, string> {
  const { NODE_OPTIONS, ...rest } = environment;
  const options = (NODE_OPTIONS ?? '')
    .split(/\s+/)
    .filter((option) => option && option !== '--enable-source-maps')
    .join(' ');
  return options ? { ...rest, NODE_OPTIONS: options } : rest;
}
