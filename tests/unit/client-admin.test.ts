import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  DeleteUserPoolClientCommand,
  DescribeResourceServerCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  addClient,
  type ClientCommand,
  listClients,
  main,
  parseClientArgs,
  removeClient,
} from '../../scripts/client-admin.js';
import { UsageError } from '../../scripts/user-add.js';

const POOL = 'eu-north-1_AbCdEf123';
const SECRET = 'very-secret-value-1234567890';
const cognito = mockClient(CognitoIdentityProviderClient);
const secrets = mockClient(SecretsManagerClient);
const clients = () => ({
  cognito: new CognitoIdentityProviderClient({ region: 'eu-north-1' }),
  secrets: new SecretsManagerClient({ region: 'eu-north-1' }),
});
const SCOPES = ['staff', 'agency-employment-service', 'team-labour-market-unit', 'admins'].map(
  (ScopeName) => ({
    ScopeName,
    ScopeDescription: ScopeName,
  }),
);
const add = (overrides: Partial<Extract<ClientCommand, { command: 'add' }>> = {}) =>
  ({
    command: 'add',
    name: 'af-ais',
    group: 'agency-employment-service',
    secretOutput: 'secrets-manager',
    userPoolId: POOL,
    region: 'eu-north-1',
    ...overrides,
  }) as const;

beforeEach(() => {
  cognito.on(DescribeResourceServerCommand).resolves({
    ResourceServer: { Identifier: 'frontdesk', Name: 'Front Desk API', UserPoolId: POOL, Scopes: SCOPES },
  });
  cognito.on(CreateUserPoolClientCommand).resolves({
    UserPoolClient: { ClientId: 'client-af', ClientSecret: SECRET, ClientName: 'af-ais' },
  });
});
afterEach(() => {
  cognito.reset();
  secrets.reset();
  vi.restoreAllMocks();
});

describe('parseClientArgs', () => {
  it('reads add, list and remove, and takes the region from the pool id', () => {
    expect(
      parseClientArgs(['add', '--name', 'af-ais', '--group', 'agency-employment-service'], {
        FRONTDESK_USER_POOL_ID: POOL,
      }),
    ).toEqual(add());
    expect(parseClientArgs(['list', '--user-pool-id', POOL])).toEqual({
      command: 'list',
      userPoolId: POOL,
      region: 'eu-north-1',
    });
    expect(
      parseClientArgs(['remove', '--client-id', 'abc', '--user-pool-id', POOL, '--region', 'eu-west-1']),
    ).toEqual({
      command: 'remove',
      clientId: 'abc',
      userPoolId: POOL,
      region: 'eu-west-1',
    });
  });

  it.each([
    [[], /add, list or remove/],
    [['add', '--group', 'admins'], /--name is required/],
    [['add', '--name', 'a b', '--group', 'admins'], /--name "a b"/],
    [['add', '--name', 'x', '--group', 'team-X'], /not a contract group/],
    [['add', '--name', 'x', '--group', 'visitors'], /not a contract group/],
    [['add', '--name', 'x', '--group', 'admins', '--secret-output', 'log'], /--secret-output/],
    [['add', '--name', 'x', '--group', 'admins', '--client-secret', 'x'], /Unknown option/],
    [['remove'], /--client-id is required/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseClientArgs(argv, { FRONTDESK_USER_POOL_ID: POOL })).toThrow(message);
  });

  it('needs a user pool id', () => {
    expect(() => parseClientArgs(['list'], {})).toThrow(/FRONTDESK_USER_POOL_ID/);
    expect(() => parseClientArgs(['list', '--user-pool-id', 'pool'], {})).toThrow(/not a user pool id/);
  });
});

describe('addClient', () => {
  it("creates a client-credentials app client with exactly the group's scope, and stores its secret", async () => {
    secrets.on(CreateSecretCommand).resolves({});

    const added = await addClient(clients(), add());

    expect(added).toEqual({
      clientId: 'client-af',
      scope: 'frontdesk/agency-employment-service',
      secretName: `frontdesk/clients/${POOL}/client-af`,
    });
    expect(cognito.commandCalls(CreateUserPoolClientCommand)[0]?.args[0].input).toEqual({
      UserPoolId: POOL,
      ClientName: 'af-ais',
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['frontdesk/agency-employment-service'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      AccessTokenValidity: 15,
      TokenValidityUnits: { AccessToken: 'minutes' },
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
    });
    const stored = secrets.commandCalls(CreateSecretCommand)[0]?.args[0].input;
    expect(stored?.Name).toBe(`frontdesk/clients/${POOL}/client-af`);
    expect(JSON.parse(stored?.SecretString ?? '')).toEqual({ client_id: 'client-af', client_secret: SECRET });
  });

  it('creates nothing for a scope the pool does not have', async () => {
    await expect(addClient(clients(), add({ group: 'team-youth-unit' }))).rejects.toThrow(UsageError);
    cognito
      .on(DescribeResourceServerCommand)
      .rejects(new ResourceNotFoundException({ message: 'no', $metadata: {} }));
    await expect(addClient(clients(), add())).rejects.toThrow(
      /has no scope frontdesk\/agency-employment-service/,
    );
    expect(cognito.commandCalls(CreateUserPoolClientCommand)).toHaveLength(0);
  });

  it('deletes the client again when its secret cannot be stored', async () => {
    secrets.on(CreateSecretCommand).rejects(new Error('AccessDenied'));

    await expect(addClient(clients(), add())).rejects.toThrow('AccessDenied');

    expect(cognito.commandCalls(DeleteUserPoolClientCommand)[0]?.args[0].input).toEqual({
      UserPoolId: POOL,
      ClientId: 'client-af',
    });
  });

  it('hands the secret back only when asked to print it once', async () => {
    expect(await addClient(clients(), add({ secretOutput: 'stdout' }))).toMatchObject({ secret: SECRET });
    expect(secrets.commandCalls(CreateSecretCommand)).toHaveLength(0);
  });
});

describe('main', () => {
  it('prints the client id and where the secret is, never the secret', async () => {
    secrets.on(CreateSecretCommand).resolves({});
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    vi.spyOn(console, 'error').mockImplementation((line: string) => void out.push(line));
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);

    const code = await main([
      'add',
      '--name',
      'af-ais',
      '--group',
      'agency-employment-service',
      '--user-pool-id',
      POOL,
    ]);

    expect(code).toBe(0);
    expect(out.join('\n')).toContain('client-af');
    expect(out.join('\n')).toContain(`frontdesk/clients/${POOL}/client-af`);
    expect(out.join('\n')).not.toContain(SECRET);
    expect(write.mock.calls.join('')).not.toContain(SECRET);
  });
});

describe('listClients and removeClient', () => {
  const machine = {
    ClientId: 'client-af',
    ClientName: 'af-ais',
    AllowedOAuthFlows: ['client_credentials' as const],
    AllowedOAuthScopes: ['frontdesk/agency-employment-service'],
  };
  const web = {
    ClientId: 'web',
    ClientName: 'WebClient',
    AllowedOAuthFlows: ['code' as const],
    AllowedOAuthScopes: ['openid', 'frontdesk/staff'],
  };

  beforeEach(() => {
    cognito.on(ListUserPoolClientsCommand).resolves({
      UserPoolClients: [{ ClientId: 'client-af' }, { ClientId: 'web' }],
    });
    cognito
      .on(DescribeUserPoolClientCommand, { ClientId: 'client-af' })
      .resolves({ UserPoolClient: machine });
    cognito.on(DescribeUserPoolClientCommand, { ClientId: 'web' }).resolves({ UserPoolClient: web });
  });

  it('lists the machine clients with their scopes, not the web pages’ client', async () => {
    expect(await listClients(clients(), { userPoolId: POOL, region: 'eu-north-1' })).toEqual([
      { clientId: 'client-af', name: 'af-ais', scopes: ['frontdesk/agency-employment-service'] },
    ]);
  });

  it('removes a machine client and its secret, and refuses to remove the web pages’ client', async () => {
    secrets.on(DeleteSecretCommand).resolves({});
    const remove = (clientId: string) =>
      removeClient(clients(), { command: 'remove', clientId, userPoolId: POOL, region: 'eu-north-1' });

    await remove('client-af');
    await expect(remove('web')).rejects.toThrow(/not a machine client/);

    expect(
      cognito.commandCalls(DeleteUserPoolClientCommand).map((call) => call.args[0].input.ClientId),
    ).toEqual(['client-af']);
    expect(secrets.commandCalls(DeleteSecretCommand)[0]?.args[0].input).toEqual({
      SecretId: `frontdesk/clients/${POOL}/client-af`,
      RecoveryWindowInDays: 7,
    });
  });
});
