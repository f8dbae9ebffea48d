/**
 * `npm run consume -- --team employment-service`: the reference consumer of a team's queue.
 *
 * It signs in as the team's system with OAuth client credentials and renews the token before it
 * expires, so it can run unattended for months. Locally (the default) it reads the queue from the
 * local SQS (SQS_PORT, 9324) and gets tokens from the local API (PORT, 3000) as the demo client
 * `team-<team>-system`. Against AWS (the client from `npm run client:add -- --group team-<team>`):
 *   FRONTDESK_CLIENT_SECRET=<its secret> npm run consume -- --team employment-service \
 *     --client-id <its id> --token-url https://<HostedUiUrl host>/oauth2/token \
 *     --api https://<api-id>.execute-api.eu-north-1.amazonaws.com/v1 --queue-url <TeamQueueUrl…>
 * Options: --team (required), --client-id (or FRONTDESK_CLIENT_ID), --token-url, --api, --queue-url,
 * --sqs-endpoint, --prefix (frontdesk), --region, --once (one poll, then exit), --visibility-timeout <s>.
 * The secret is read from FRONTDESK_CLIENT_SECRET only (never a flag: flags end up in shell history
 * and process lists). FRONTDESK_TOKEN, if set, is used as it is instead (a token you renew yourself).
 */
import { parseArgs } from 'node:util';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_DEPLOYMENT, teamQueueName } from '../shared/config/deployment.js';
import { clientCredentialsToken } from './client-token.js';
import { pollOnce } from './team-consumer.js';

const { values } = parseArgs({
  options: {
    team: { type: 'string' },
    'client-id': { type: 'string' },
    'token-url': { type: 'string' },
    api: { type: 'string', default: `http://localhost:${process.env.PORT || 3000}` },
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
const api = values.api.replace(/\/$/, '');
const local = /^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(api);
const endpoint =
  values['sqs-endpoint'] ?? (local ? `http://localhost:${process.env.SQS_PORT || 9324}` : undefined);
const sqs = new SQSClient({
  region: values.region,
  useQueueUrlAsEndpoint: false,
  ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
});

/** The team system's token: client credentials (locally the demo client and secret by default). */
function tokenSource(): () => Promise<string> {
  const fixed = process.env.FRONTDESK_TOKEN;
  if (fixed) return () => Promise.resolve(fixed);
  const clientId =
    values['client-id'] ?? process.env.FRONTDESK_CLIENT_ID ?? (local ? `team-${team}-system` : undefined);
  const clientSecret = process.env.FRONTDESK_CLIENT_SECRET ?? (local ? 'local-secret' : undefined);
  const tokenUrl = values['token-url'] ?? (local ? `${api}/local/oauth2/token` : undefined);
  if (!clientId || !clientSecret || !tokenUrl) {
    console.error(
      'Against AWS, give --client-id and --token-url (https://<HostedUiUrl host>/oauth2/token), and the secret in FRONTDESK_CLIENT_SECRET',
    );
    process.exit(2);
  }
  return clientCredentialsToken({ tokenUrl, clientId, clientSecret });
}
const getToken = tokenSource();

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
    apiUrl: api,
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
