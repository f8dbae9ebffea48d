/**
 * `npm start`: the whole system on this machine, no AWS account (CONTRACT.md, "Local runtime").
 * Environment: PORT (3000), DYNAMODB_PORT (8000), SQS_PORT (9324), HOST (127.0.0.1),
 * FRONTDESK_MUNICIPALITY_CODE and FRONTDESK_MUNICIPALITY_NAME (Timrå, 2262), FRONTDESK_DATA_DIR
 * (.frontdesk/), DYNAMODB_ENDPOINT and SQS_ENDPOINT (engines that already run). `npm start -- --fresh`
 * empties the data directory first.
 */
import { relative } from 'node:path';
import { DEFAULT_DEPLOYMENT, parseDeploymentConfig } from '../shared/config/deployment.js';
import { dataDirFrom, emptyDataDir } from './data-dir.js';
import { DEMO_CLIENT_SECRET } from './demo-clients.js';
import { DEMO_USERS } from './demo-users.js';
import { LocalRuntimeError } from './errors.js';
import { LOCAL_DEFAULTS, type LocalStack, startLocalStack } from './runtime.js';

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LocalRuntimeError(`${name}=${raw} is not a port number (0–65535).`);
  }
  return port;
}

/** An engine's URL from the environment, e.g. DYNAMODB_ENDPOINT=http://localhost:8000. */
function endpointFrom(name: string): string | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new LocalRuntimeError(`${name}=${raw} is not a URL (e.g. http://localhost:8000).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new LocalRuntimeError(`${name}=${raw} must be an http:// or https:// URL.`);
  return raw.replace(/\/+$/, '');
}

function optionsFromArgs(args: string[]) {
  const unknown = args.filter((arg) => arg !== '--fresh');
  if (unknown.length > 0)
    throw new LocalRuntimeError(`Unknown argument ${unknown.join(' ')}. npm start takes --fresh only.`);
  return { fresh: args.includes('--fresh') };
}

/** A path as short as it can be said: relative to the working directory when inside it. */
const shown = (path: string) => {
  const inside = relative(process.cwd(), path);
  return inside && !inside.startsWith('..') ? `${inside}/` : path;
};

function deploymentFromEnv() {
  return parseDeploymentConfig({
    ...DEFAULT_DEPLOYMENT,
    municipalityCode: process.env.FRONTDESK_MUNICIPALITY_CODE || DEFAULT_DEPLOYMENT.municipalityCode,
    municipalityName: process.env.FRONTDESK_MUNICIPALITY_NAME || DEFAULT_DEPLOYMENT.municipalityName,
  });
}

function dynamoLine(stack: LocalStack) {
  if (stack.engines().dynamodb.external)
    return `table ${stack.tableName}, an engine that already ran (DYNAMODB_ENDPOINT)`;
  if (!stack.dataDir) return `table ${stack.tableName}, in memory`;
  return `table ${stack.tableName}, data in ${shown(stack.dataDir)} (npm start -- --fresh starts empty)`;
}

function banner(stack: LocalStack, seconds: number) {
  const width = Math.max(...DEMO_USERS.map((user) => user.id.length)) + 2;
  const lines = [
    '',
    `Front Desk runs locally (started in ${seconds.toFixed(1)} s), ${stack.deployment.municipalityName} ${stack.deployment.municipalityCode}`,
    `  API        ${stack.url}   (GET /health, GET /openapi.json)`,
    ...(stack.webUrl ? [`  Web app    ${stack.webUrl}   (sign in as a demo user)`] : []),
    `  DynamoDB   ${stack.dynamoEndpoint.replace('127.0.0.1', 'localhost')}   ${dynamoLine(stack)}`,
    `  SQS        ${stack.sqsEndpoint.replace('127.0.0.1', 'localhost')}   ${Object.keys(stack.queueUrls).length} queues: ${stack.deployment.queuePrefix}-<team>, ${stack.deployment.queuePrefix}-screening, each with -dlq${stack.engines().sqs.external ? ' (SQS_ENDPOINT)' : ', in memory'}`,
    `  Region     ${stack.region}`,
    '',
    `Demo users: curl -s -X POST ${stack.url}/local/login -H 'Content-Type: application/json' -d '{"user":"admin"}'`,
    ...DEMO_USERS.map((user) => `  ${user.id.padEnd(width)}${user.groups.join(', ')}`),
    '',
    `Demo systems (client credentials, secret ${DEMO_CLIENT_SECRET}): curl -s -u team-front-desk-system:${DEMO_CLIENT_SECRET} -d grant_type=client_credentials ${stack.url}/local/oauth2/token`,
    `  agency-<agency>-system, team-<team>-system for every agency and team (GET /local/users)`,
  ];
  if (stack.missingFunctions.length > 0) {
    lines.push(
      '',
      `Not there yet (their routes answer 501): ${stack.missingFunctions.map((fn) => `functions/${fn}.ts`).join(', ')}`,
    );
  }
  lines.push('', 'Press Ctrl-C to stop.', '');
  console.log(lines.join('\n'));
}

async function main() {
  const started = performance.now();
  const { fresh } = optionsFromArgs(process.argv.slice(2));
  const dynamoEndpoint = endpointFrom('DYNAMODB_ENDPOINT');
  const sqsEndpoint = endpointFrom('SQS_ENDPOINT');
  const dataDir = dataDirFrom(process.env.FRONTDESK_DATA_DIR);
  if (fresh && dynamoEndpoint) {
    throw new LocalRuntimeError(
      `--fresh empties the local data directory, but DYNAMODB_ENDPOINT=${dynamoEndpoint} keeps the data in that engine: delete the table there instead.`,
    );
  }
  if (fresh) {
    emptyDataDir(dataDir);
    console.log(`--fresh: emptied ${shown(dataDir)}; starting with no data.`);
  }
  let stack: LocalStack | undefined;
  let signals = 0;
  const shutDown = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1 || !stack) {
      // Still starting, or asked twice: exit now; the engines started so far exit with this process.
      console.error(
        signals > 1 ? `${signal} again: exiting without waiting.` : `\n${signal} while starting: exiting.`,
      );
      process.exit(1);
    }
    console.log(`\n${signal}: stopping the API, the queues and DynamoDB Local…`);
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutDown);
  process.on('SIGTERM', shutDown);
  // An engine that died and could not be started again: stop what runs and exit non-zero.
  const onEngineFailure = (error: Error) => {
    console.error(`\n${error.message}\nStopping Front Desk.`);
    const exit = () => process.exit(1);
    (stack ? stack.stop() : Promise.resolve()).then(exit, exit);
  };
  stack = await startLocalStack({
    port: portFrom('PORT', LOCAL_DEFAULTS.port),
    dynamoPort: portFrom('DYNAMODB_PORT', LOCAL_DEFAULTS.dynamoPort),
    sqsPort: portFrom('SQS_PORT', LOCAL_DEFAULTS.sqsPort),
    host: process.env.HOST || undefined,
    deployment: deploymentFromEnv(),
    dataDir,
    dynamoEndpoint,
    sqsEndpoint,
    onEngineFailure,
  });
  banner(stack, (performance.now() - started) / 1000);
}

main().catch((error: unknown) => {
  const expected = error instanceof Error && error.message.startsWith('Invalid deployment configuration');
  if (error instanceof LocalRuntimeError || expected) console.error(`\n${error.message}\n`);
  else console.error(error);
  process.exit(1);
});
