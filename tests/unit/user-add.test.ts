import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  GetGroupCommand,
  ResourceNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  addUser,
  isContractGroup,
  main,
  parseUserAddArgs,
  UsageError,
  type UserAddOptions,
} from '../../scripts/user-add.js';

const POOL = 'eu-north-1_AbCdEf123';
const cognito = mockClient(CognitoIdentityProviderClient);

afterEach(() => {
  cognito.reset();
  vi.restoreAllMocks();
});

describe('isContractGroup', () => {
  it.each([
    'agency-municipality',
    'agency-employment-service',
    'agency-social-insurance',
    'team-front-desk',
    'team-labour-market-unit',
    'team-youth-unit',
    'admins',
  ])('accepts %s', (group) => {
    expect(isContractGroup(group)).toBe(true);
  });

  it.each([
    'agency-police',
    'agency-',
    'admin',
    'Admins',
    'team-',
    'team-X',
    'team-a',
    'team-front desk',
    'team--front',
    'front-desk',
    '',
  ])('refuses %j', (group) => {
    expect(isContractGroup(group)).toBe(false);
  });
});

describe('parseUserAddArgs', () => {
  it('reads the email, group and user pool id, and takes the region from the pool id', () => {
    const options = parseUserAddArgs(
      ['--email', 'anna@example.se', '--group', 'agency-employment-service', '--user-pool-id', POOL],
      {},
    );

    expect(options).toEqual({
      email: 'anna@example.se',
      group: 'agency-employment-service',
      userPoolId: POOL,
      region: 'eu-north-1',
    });
  });

  it('takes the user pool id from FRONTDESK_USER_POOL_ID and an explicit region over the pool’s', () => {
    const options = parseUserAddArgs(['--email=anna@example.se', '--group=admins', '--region', 'eu-west-1'], {
      FRONTDESK_USER_POOL_ID: POOL,
    });

    expect(options).toMatchObject({ userPoolId: POOL, region: 'eu-west-1' });
  });

  it('prefers --user-pool-id to the environment', () => {
    const options = parseUserAddArgs(
      ['--email', 'a@example.se', '--group', 'admins', '--user-pool-id', 'eu-west-1_Other1'],
      { FRONTDESK_USER_POOL_ID: POOL },
    );

    expect(options).toMatchObject({ userPoolId: 'eu-west-1_Other1', region: 'eu-west-1' });
  });

  it('keeps one spelling of an address: trimmed and lower-case', () => {
    const options = parseUserAddArgs(['--email', ' Anna.Exempel@Example.SE ', '--group', 'admins'], {
      FRONTDESK_USER_POOL_ID: POOL,
    });

    expect(options.email).toBe('anna.exempel@example.se');
  });

  it.each([
    [['--group', 'admins'], /--email is required/],
    [['--email', 'not-an-address', '--group', 'admins'], /not an email address/],
    [['--email', 'a@example.se'], /--group is required/],
    [['--email', 'a@example.se', '--group', 'agency-police'], /not a contract group/],
    [['--email', 'a@example.se', '--group', 'team-Front'], /not a contract group/],
    [['--email', 'a@example.se', '--group', 'admins', '--user-pool-id', 'AbCdEf'], /not a user pool id/],
    [['--email', 'a@example.se', '--group', 'admins', '--pool', POOL], /Unknown option '--pool'/],
    [['--email', 'a@example.se', '--group', 'admins', 'extra'], /positional/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseUserAddArgs(argv, { FRONTDESK_USER_POOL_ID: POOL })).toThrow(message);
    expect(() => parseUserAddArgs(argv, { FRONTDESK_USER_POOL_ID: POOL })).toThrow(UsageError);
  });

  it('requires a user pool id from the flag or the environment', () => {
    expect(() => parseUserAddArgs(['--email', 'a@example.se', '--group', 'admins'], {})).toThrow(
      /--user-pool-id or FRONTDESK_USER_POOL_ID is required/,
    );
  });
});

describe('addUser', () => {
  const options: UserAddOptions = {
    email: 'anna@example.se',
    group: 'agency-employment-service',
    userPoolId: POOL,
    region: 'eu-north-1',
  };
  const client = () => new CognitoIdentityProviderClient({ region: 'eu-north-1' });

  it('creates the user with a verified email and an emailed temporary password, then adds the group', async () => {
    cognito.on(GetGroupCommand).resolves({ Group: { GroupName: options.group } });
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: 'uuid' } });
    cognito.on(AdminAddUserToGroupCommand).resolves({});

    const result = await addUser(client(), options);

    expect(result).toEqual({ created: true });
    expect(cognito.calls().map((call) => call.args[0].constructor.name)).toEqual([
      'GetGroupCommand',
      'AdminCreateUserCommand',
      'AdminAddUserToGroupCommand',
    ]);
    expect(cognito.commandCalls(GetGroupCommand)[0]?.args[0].input).toEqual({
      UserPoolId: POOL,
      GroupName: 'agency-employment-service',
    });
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'anna@example.se',
      UserAttributes: [
        { Name: 'email', Value: 'anna@example.se' },
        { Name: 'email_verified', Value: 'true' },
      ],
      DesiredDeliveryMediums: ['EMAIL'],
    });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)[0]?.args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'anna@example.se',
      GroupName: 'agency-employment-service',
    });
  });

  it('adds an existing user to the group instead of failing', async () => {
    cognito.on(GetGroupCommand).resolves({});
    cognito
      .on(AdminCreateUserCommand)
      .rejects(new UsernameExistsException({ message: 'User account already exists', $metadata: {} }));
    cognito.on(AdminAddUserToGroupCommand).resolves({});

    const result = await addUser(client(), options);

    expect(result).toEqual({ created: false });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(1);
  });

  it('creates nobody when the pool has no such group', async () => {
    cognito
      .on(GetGroupCommand)
      .rejects(new ResourceNotFoundException({ message: 'Group not found.', $metadata: {} }));

    await expect(addUser(client(), { ...options, group: 'team-youth-unit' })).rejects.toThrow(
      /has no group "team-youth-unit"/,
    );
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
  });

  it('passes any other failure on without adding to the group', async () => {
    cognito.on(GetGroupCommand).resolves({});
    cognito.on(AdminCreateUserCommand).rejects(new Error('AccessDenied'));

    await expect(addUser(client(), options)).rejects.toThrow('AccessDenied');
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
  });
});

describe('main', () => {
  it('never calls AWS for a group outside the contract, and exits 2 with the usage', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});

    const code = await main(['--email', 'a@example.se', '--group', 'agency-police', '--user-pool-id', POOL]);

    expect(code).toBe(2);
    expect(cognito.calls()).toHaveLength(0);
    expect(String(errors.mock.calls[0]?.[0])).toMatch(/not a contract group[\s\S]*Usage: npm run user:add/);
  });

  it('creates and groups the user from the command line, and exits 0', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    cognito.on(GetGroupCommand).resolves({});
    cognito.on(AdminCreateUserCommand).resolves({});
    cognito.on(AdminAddUserToGroupCommand).resolves({});

    const code = await main([
      '--email',
      'anna@example.se',
      '--group',
      'team-front-desk',
      '--user-pool-id',
      POOL,
    ]);

    expect(code).toBe(0);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)[0]?.args[0].input).toMatchObject({
      GroupName: 'team-front-desk',
    });
  });

  it('exits 1 with the error name when AWS refuses', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    cognito
      .on(GetGroupCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));

    const code = await main(['--email', 'anna@example.se', '--group', 'admins', '--user-pool-id', POOL]);

    expect(code).toBe(1);
    expect(errors).toHaveBeenCalledWith('AccessDeniedException: not allowed');
  });
});
