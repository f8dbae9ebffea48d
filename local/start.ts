/**
 * `npm start`: the whole system on this machine, no AWS account (CONTRACT.md, "Local runtime").
 * Environment: PORT (3000), DYNAMODB_PORT (8000), SQS_PORT (9324), HOST (127.0.0.1),
 * FRONTDESK_MUNICIPALITY_CODE and FRONTDESK_MUNICIPALITY_NAME (Timrå, 2262).
 */
import { DEFAULT_DEPLOYMENT, parseDeploymentConfig } from '../shared/config/deployment.js';
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

function deploymentFromEnv() {
  return parseDeploymentConfig({
    ...DEFAULT_DEPLOYMENT,
    municipalityCode: process.env.FRONTDESK_MUNICIPALITY_CODE || DEFAULT_DEPLOYMENT.municipalityCode,
    municipalityName: process.env.FRONTDESK_MUNICIPALITY_NAME || DEFAULT_DEPLOYMENT.municipalityName,
  });
}

function banner(stack: LocalStack, seconds: number) {
  const width = Math.max(...DEMO_USERS.map((user) => user.id.length)) + 2;
  const lines = [
    '',
    `Front Desk runs locally (started in ${seconds.toFixed(1)} s), ${stack.deployment.municipalityName} ${stack.deployment.municipalityCode}`,
    `  API        ${stack.url}   (GET /health, GET /openapi.json)`,
    ...(stack.webUrl ? [`  Web app    ${stack.webUrl}   (sign in as a demo user)`] : []),
    `  DynamoDB   ${stack.dynamoEndpoint.replace('127.0.0.1', 'localhost')}   table ${stack.tableName}, in memory`,
    `  SQS        ${stack.sqsEndpoint.replace('127.0.0.1', 'localhost')}   ${Object.keys(stack.queueUrls).length} queues: ${stack.deployment.queuePrefix}-<team>, ${stack.deployment.queuePrefix}-screening, each with -dlq`,
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
  const stack = await startLocalStack({
    port: portFrom('PORT', LOCAL_DEFAULTS.port),
    dynamoPort: portFrom('DYNAMODB_PORT', LOCAL_DEFAULTS.dynamoPort),
    sqsPort: portFrom('SQS_PORT', LOCAL_DEFAULTS.sqsPort),
    host: process.env.HOST || undefined,
    deployment: deploymentFromEnv(),
  });
  banner(stack, (performance.now() - started) / 1000);

  let signals = 0;
  const shutDown = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      console.error(`${signal} again: exiting without waiting.`);
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
}

main().catch((error: unknown) => {
  const expected = error instanceof Error && error.message.startsWith('Invalid deployment configuration');
  if (error instanceof LocalRuntimeError || expected) console.error(`\n${error.message}\n`);
  else console.error(error);
  process.exit(1);
});
