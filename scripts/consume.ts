/**
 * `npm run consume -- --team employment-service`: the reference consumer of a team's queue.
 *
 * Locally (the default) it reads the queue from the local SQS on :9324 and signs in to the local API
 * as the team's demo user. Against AWS:
 *   FRONTDESK_TOKEN=<the team member's ID token> npm run consume -- --team employment-service \
 *     --api https://<api-id>.execute-api.eu-north-1.amazonaws.com/v1 --queue-url <TeamQueueUrl output>
 * Options: --team (required), --api, --queue-url, --sqs-endpoint, --prefix (frontdesk), --region,
 * --once (one poll, then exit), --visibility-timeout <s>.
 */
import { parseArgs } from 'node:util';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_DEPLOYMENT, teamQueueName } from '../shared/config/deployment.js';
import { pollOnce } from './team-consumer.js';

const { values } = parseArgs({
  options: {
    team: { type: 'string' },
    api: { type: 'string', default: 'http://localhost:3000' },
    'queue-url': { type: 'string' },
    'sqs-endpoint': { type: 'string' },
    prefix: { type: 'string', default: DEFAULT_DEPLOYMENT.queuePrefix },
    region: { type: 'string', default: process.env.AWS_REGION ?? 'eu-north-1' },
    once: { type: 'boolean', default: false },
    'visibility-timeout': { type: 'string' },
  },
});

const team = values.team;
if (!team) {
  console.error('Name the team: npm run consume -- --team employment-service');
  process.exit(2);
}
const local = /^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/?$/.test(values.api);
const endpoint = values['sqs-endpoint'] ?? (local ? 'http://localhost:9324' : undefined);
const sqs = new SQSClient({
  region: values.region,
  useQueueUrlAsEndpoint: false,
  ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
});

/** Locally: the team's demo user from the local issuer. In AWS: a token the team member signed in for. */
async function localToken(): Promise<string> {
  const users = (await (await fetch(`${values.api}/local/users`)).json()) as {
    id: string;
    groups: string[];
  }[];
  const user = users.find((candidate) => candidate.groups.includes(`team-${team}`));
  if (!user) throw new Error(`No demo user is in team-${team}`);
  const response = await fetch(`${values.api}/local/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: user.id }),
  });
  return ((await response.json()) as { token: string }).token;
}

let token: Promise<string> | undefined;
const getToken = () => {
  if (process.env.FRONTDESK_TOKEN) return Promise.resolve(process.env.FRONTDESK_TOKEN);
  if (!local) return Promise.reject(new Error('Set FRONTDESK_TOKEN to a token of a member of the team'));
  token ??= localToken();
  return token;
};

const queueUrl =
  values['queue-url'] ??
  (await sqs.send(new GetQueueUrlCommand({ QueueName: teamQueueName(values.prefix, team) }))).QueueUrl!;
console.log(`Consuming ${queueUrl} for team ${team} (Ctrl-C stops)`);

let running = true;
process.on('SIGINT', () => {
  running = false;
});
const seen = new Set<string>();
const held = new Map<string, { status: string; referrals: number }>();
do {
  await pollOnce({
    team,
    apiUrl: values.api,
    token: getToken,
    sqs,
    queueUrl,
    waitTimeSeconds: values.once ? 1 : 20,
    ...(values['visibility-timeout']
      ? { visibilityTimeoutSeconds: Number(values['visibility-timeout']) }
      : {}),
    seen,
    held,
    print: (line) => console.log(line),
  });
} while (running && !values.once);
sqs.destroy();
