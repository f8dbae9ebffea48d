/**
 * Machine clients of the deployed user pool (CONTRACT.md v1.1, "More identities"): an agency's or a
 * team's own system that calls the API with OAuth 2.0 client credentials.
 *
 *   npm run client:add -- --name af-ais --group agency-employment-service [--secret-output stdout]
 *   npm run client:list
 *   npm run client:remove -- --client-id <id>
 *   (each also takes [--user-pool-id eu-north-1_AbCdEf123] [--region eu-north-1])
 *
 * `add` creates a Cognito app client with a secret, the client-credentials flow only and the one
 * scope `frontdesk/<group>` (which gives exactly that group's rights), with 15-minute access tokens:
 * a removed client gets no new token, and one it already holds ends within 15 minutes. The secret goes
 * to Secrets Manager (`frontdesk/clients/<user pool id>/<client id>`) and is never printed, unless
 * `--secret-output stdout` asks for it once on standard output (nothing is logged either way).
 * `remove` deletes the app client and its secret (recoverable for 7 days).
 * Needs cognito-idp:DescribeResourceServer, CreateUserPoolClient, ListUserPoolClients,
 * DescribeUserPoolClient and DeleteUserPoolClient on the pool, and secretsmanager:CreateSecret and
 * DeleteSecret on `frontdesk/clients/*`.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  DeleteUserPoolClientCommand,
  DescribeResourceServerCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientsCommand,
  ResourceNotFoundException,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  ResourceNotFoundException as SecretNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { groupScope, RESOURCE_SERVER } from '../shared/http/caller.js';
import { isContractGroup, UsageError } from './user-add.js';

export const USAGE = `Usage:
  npm run client:add -- --name <name> --group <group> [--secret-output secrets-manager|stdout]
  npm run client:list
  npm run client:remove -- --client-id <id>
Each also takes [--user-pool-id <id>] (or FRONTDESK_USER_POOL_ID: the stack output UserPoolId) and [--region <region>].
  --group  agency-municipality | agency-employment-service | agency-social-insurance | team-<teamId> | admins | steering-group`;

/** Client credentials' access tokens last this long (Cognito allows 5 minutes to 1 day). */
export const ACCESS_TOKEN_MINUTES = 15;

type Common = { userPoolId: string; region: string };
export type ClientCommand =
  | ({ command: 'add'; name: string; group: string; secretOutput: 'secrets-manager' | 'stdout' } & Common)
  | ({ command: 'list' } & Common)
  | ({ command: 'remove'; clientId: string } & Common);

const USER_POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d)_[0-9A-Za-z]+$/;
/** Cognito's ClientName pattern, without spaces (names end up in secret names and scripts). */
const CLIENT_NAME = /^[\w+=,.@-]{1,128}$/;

export const secretNameOf = (userPoolId: string, clientId: string) =>
  `frontdesk/clients/${userPoolId}/${clientId}`;

/** Reads and checks the command line; throws UsageError naming what is wrong. */
export function parseClientArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ClientCommand {
  const [command, ...rest] = argv;
  if (command !== 'add' && command !== 'list' && command !== 'remove') {
    throw new UsageError('Say add, list or remove');
  }
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        name: { type: 'string' },
        group: { type: 'string' },
        'client-id': { type: 'string' },
        'secret-output': { type: 'string' },
        'user-pool-id': { type: 'string' },
        region: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const userPoolId = (values['user-pool-id'] ?? env.FRONTDESK_USER_POOL_ID)?.trim();
  if (!userPoolId) {
    throw new UsageError(
      '--user-pool-id or FRONTDESK_USER_POOL_ID is required (the stack output UserPoolId)',
    );
  }
  const poolRegion = USER_POOL_ID.exec(userPoolId)?.[1];
  if (!poolRegion) throw new UsageError(`"${userPoolId}" is not a user pool id (<region>_<id>)`);
  const common = { userPoolId, region: values.region?.trim() || poolRegion };

  if (command === 'list') return { command, ...common };
  if (command === 'remove') {
    const clientId = values['client-id']?.trim();
    if (!clientId) throw new UsageError('--client-id is required (npm run client:list shows them)');
    return { command, clientId, ...common };
  }
  const name = values.name?.trim();
  if (!name) throw new UsageError('--name is required');
  if (!CLIENT_NAME.test(name)) {
    throw new UsageError(`--name "${name}": use 1–128 letters, digits and _+=,.@-`);
  }
  const group = values.group?.trim();
  if (!group) throw new UsageError('--group is required');
  if (!isContractGroup(group) && group !== 'steering-group') {
    throw new UsageError(`--group "${group}" is not a contract group`);
  }
  const secretOutput = values['secret-output'] ?? 'secrets-manager';
  if (secretOutput !== 'secrets-manager' && secretOutput !== 'stdout') {
    throw new UsageError('--secret-output is secrets-manager (the default) or stdout');
  }
  return { command, name, group, secretOutput, ...common };
}

export type Clients = { cognito: CognitoIdentityProviderClient; secrets: SecretsManagerClient };

/** A client `add` made: client credentials with one frontdesk scope. The web pages' client is not one. */
const isMachineClient = (client: UserPoolClientType | undefined) =>
  Boolean(
    client?.AllowedOAuthFlows?.includes('client_credentials') &&
      client.AllowedOAuthScopes?.some((scope) => scope.startsWith(`${RESOURCE_SERVER}/`)),
  );

/**
 * Checks the pool's resource server has the group's scope (so a mistyped team creates nothing),
 * creates the app client, and puts its secret in Secrets Manager; if that fails, the client is
 * deleted again, so no client exists whose secret nobody holds.
 */
export async function addClient(
  { cognito, secrets }: Clients,
  options: Extract<ClientCommand, { command: 'add' }>,
): Promise<{ clientId: string; scope: string; secretName?: string; secret?: string }> {
  const scope = groupScope(options.group);
  let scopes: string[] = [];
  try {
    const { ResourceServer } = await cognito.send(
      new DescribeResourceServerCommand({ UserPoolId: options.userPoolId, Identifier: RESOURCE_SERVER }),
    );
    scopes = (ResourceServer?.Scopes ?? []).map((entry) => `${RESOURCE_SERVER}/${entry.ScopeName}`);
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  if (!scopes.includes(scope)) {
    throw new UsageError(
      `User pool ${options.userPoolId} has no scope ${scope} (is the team in the deployment's teams, and the pool in this region?)`,
    );
  }
  const { UserPoolClient } = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: options.userPoolId,
      ClientName: options.name,
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: [scope],
      // No sign-in of people through this client; only its own tokens.
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      AccessTokenValidity: ACCESS_TOKEN_MINUTES,
      TokenValidityUnits: { AccessToken: 'minutes' },
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
    }),
  );
  const clientId = UserPoolClient?.ClientId;
  const secret = UserPoolClient?.ClientSecret;
  if (!clientId || !secret) throw new Error('Cognito answered without a client id or secret');
  if (options.secretOutput === 'stdout') return { clientId, scope, secret };

  const secretName = secretNameOf(options.userPoolId, clientId);
  try {
    await secrets.send(
      new CreateSecretCommand({
        Name: secretName,
        Description: `Front Desk machine client ${options.name} (${options.group}): client credentials`,
        SecretString: JSON.stringify({ client_id: clientId, client_secret: secret }),
        Tags: [
          { Key: 'frontdesk:client-name', Value: options.name },
          { Key: 'frontdesk:group', Value: options.group },
        ],
      }),
    );
  } catch (error) {
    await cognito.send(
      new DeleteUserPoolClientCommand({ UserPoolId: options.userPoolId, ClientId: clientId }),
    );
    throw error;
  }
  return { clientId, scope, secretName };
}

export async function listClients(
  { cognito }: Clients,
  { userPoolId }: Common,
): Promise<{ clientId: string; name: string; scopes: string[] }[]> {
  const found: { clientId: string; name: string; scopes: string[] }[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cognito.send(
      new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60, NextToken }),
    );
    for (const summary of page.UserPoolClients ?? []) {
      const { UserPoolClient } = await cognito.send(
        new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: summary.ClientId }),
      );
      if (!isMachineClient(UserPoolClient)) continue;
      found.push({
        clientId: UserPoolClient?.ClientId ?? '',
        name: UserPoolClient?.ClientName ?? '',
        scopes: UserPoolClient?.AllowedOAuthScopes ?? [],
      });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

/** Deletes a machine client and its secret; refuses any other app client (the web pages' one). */
export async function removeClient(
  { cognito, secrets }: Clients,
  { userPoolId, clientId }: Extract<ClientCommand, { command: 'remove' }>,
): Promise<void> {
  let client: UserPoolClientType | undefined;
  try {
    ({ UserPoolClient: client } = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }),
    ));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      throw new UsageError(`User pool ${userPoolId} has no app client ${clientId}`);
    }
    throw error;
  }
  if (!isMachineClient(client)) {
    throw new UsageError(`${clientId} is not a machine client (client:add makes those); it is left alone`);
  }
  await cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }));
  try {
    await secrets.send(
      new DeleteSecretCommand({ SecretId: secretNameOf(userPoolId, clientId), RecoveryWindowInDays: 7 }),
    );
  } catch (error) {
    // A client whose secret went to stdout has none.
    if (!(error instanceof SecretNotFoundException)) throw error;
  }
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let options: ClientCommand;
  try {
    options = parseClientArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  const clients = {
    cognito: new CognitoIdentityProviderClient({ region: options.region }),
    secrets: new SecretsManagerClient({ region: options.region }),
  };
  try {
    if (options.command === 'add') {
      const added = await addClient(clients, options);
      console.log(
        `Created machine client ${options.name}: client id ${added.clientId}, scope ${added.scope}.`,
      );
      if (added.secretName) {
        console.log(
          `Its secret is in Secrets Manager: ${added.secretName}\n  aws secretsmanager get-secret-value --secret-id ${added.secretName} --region ${options.region}`,
        );
      } else {
        // Asked for once, on standard output only: Cognito keeps it, nothing here does.
        process.stdout.write(`Client secret (shown once, store it now): ${added.secret}\n`);
      }
      console.log(
        `Token endpoint: https://<HostedUiUrl host>/oauth2/token (grant_type=client_credentials; tokens last ${ACCESS_TOKEN_MINUTES} minutes).`,
      );
    } else if (options.command === 'list') {
      const found = await listClients(clients, options);
      if (found.length === 0) console.log('No machine clients.');
      for (const client of found)
        console.log(`${client.clientId}  ${client.name}  ${client.scopes.join(' ')}`);
    } else {
      await removeClient(clients, options);
      console.log(
        `Removed ${options.clientId}: it gets no new token; one it holds ends within ${ACCESS_TOKEN_MINUTES} minutes.`,
      );
    }
    return 0;
  } catch (error) {
    console.error(
      error instanceof UsageError ? error.message : `${(error as Error).name}: ${(error as Error).message}`,
    );
    return 1;
  } finally {
    clients.cognito.destroy();
    clients.secrets.destroy();
  }
}

// Run only as a script (`tsx scripts/client-admin.ts add …`), not when a test imports it.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
