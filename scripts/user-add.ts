/**
 * Adds a member of staff to the deployed user pool and puts them in one of the contract's groups.
 *
 *   npm run user:add -- --email anna@example.se --group agency-employment-service \
 *     [--user-pool-id eu-north-1_AbCdEf123] [--region eu-north-1]
 *
 * The user pool id comes from --user-pool-id or FRONTDESK_USER_POOL_ID (the stack's `UserPoolId`
 * output); the region from --region, else from the pool id itself (`<region>_…`). Credentials come
 * from the AWS SDK's usual chain (AWS_PROFILE, SSO, environment) and need cognito-idp:GetGroup,
 * AdminCreateUser and AdminAddUserToGroup on the pool. Cognito emails the user a temporary password;
 * they choose their own at the first sign-in. Running it again for an existing user adds the group.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  GetGroupCommand,
  ResourceNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { AGENCIES, deploymentConfigSchema } from '../shared/config/deployment.js';

export const USAGE = `Usage: npm run user:add -- --email <address> --group <group> [--user-pool-id <id>] [--region <region>]
  --group         agency-municipality | agency-employment-service | agency-social-insurance | team-<teamId> | admins | steering-group
  --user-pool-id  the stack output UserPoolId (or set FRONTDESK_USER_POOL_ID)
  --region        default: the region the user pool id starts with`;

/** A mistake in how the script was called: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type UserAddOptions = {
  email: string;
  group: string;
  userPoolId: string;
  region: string;
};

/** The same rule as a team id in the deployment configuration (shared/config/deployment.ts). */
const teamId = deploymentConfigSchema.shape.teams.def.element;

/** Whether `group` is a group name of CONTRACT.md "Identities and roles". */
export function isContractGroup(group: string): boolean {
  if (group === 'admins' || group === 'steering-group') return true;
  if (AGENCIES.some((agency) => group === `agency-${agency}`)) return true;
  return group.startsWith('team-') && teamId.safeParse(group.slice('team-'.length)).success;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Cognito user pool ids are `<region>_<id>`, e.g. eu-north-1_AbCdEf123. */
const USER_POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d)_[0-9A-Za-z]+$/;

/** Reads and checks the command line; throws UsageError naming what is wrong. */
export function parseUserAddArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): UserAddOptions {
  let values: { email?: string; group?: string; 'user-pool-id'?: string; region?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        email: { type: 'string' },
        group: { type: 'string' },
        'user-pool-id': { type: 'string' },
        region: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }

  // Addresses are compared as typed; one spelling per person keeps one user per person.
  const email = values.email?.trim().toLowerCase();
  if (!email) throw new UsageError('--email is required');
  if (email.length > 254 || !EMAIL.test(email))
    throw new UsageError(`--email "${email}" is not an email address`);

  const group = values.group?.trim();
  if (!group) throw new UsageError('--group is required');
  if (!isContractGroup(group)) {
    throw new UsageError(
      `--group "${group}" is not a contract group: agency-${AGENCIES.join(' | agency-')} | team-<teamId> | admins | steering-group`,
    );
  }

  const userPoolId = (values['user-pool-id'] ?? env.FRONTDESK_USER_POOL_ID)?.trim();
  if (!userPoolId) {
    throw new UsageError(
      '--user-pool-id or FRONTDESK_USER_POOL_ID is required (the stack output UserPoolId)',
    );
  }
  const poolRegion = USER_POOL_ID.exec(userPoolId)?.[1];
  if (!poolRegion) throw new UsageError(`"${userPoolId}" is not a user pool id (<region>_<id>)`);

  return { email, group, userPoolId, region: values.region?.trim() || poolRegion };
}

/**
 * Checks the group exists (so a mistyped team creates no user), creates the user with a verified
 * email and a temporary password Cognito sends, then adds them to the group.
 */
export async function addUser(
  client: CognitoIdentityProviderClient,
  { email, group, userPoolId }: UserAddOptions,
): Promise<{ created: boolean }> {
  try {
    await client.send(new GetGroupCommand({ UserPoolId: userPoolId, GroupName: group }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      throw new UsageError(
        `User pool ${userPoolId} has no group "${group}" (is the team in the deployment's teams, and the pool in this region?)`,
      );
    }
    throw error;
  }

  let created = true;
  try {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        // The pool signs in with email, so the email is the username.
        Username: email,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
  } catch (error) {
    if (!(error instanceof UsernameExistsException)) throw error;
    created = false;
  }

  await client.send(
    new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: group }),
  );
  return { created };
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let options: UserAddOptions;
  try {
    options = parseUserAddArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  const client = new CognitoIdentityProviderClient({ region: options.region });
  try {
    const { created } = await addUser(client, options);
    console.log(
      created
        ? `Created ${options.email} in ${options.group}; Cognito has emailed a temporary password.`
        : `${options.email} already existed; added to ${options.group}.`,
    );
    return 0;
  } catch (error) {
    console.error(
      error instanceof UsageError ? error.message : `${(error as Error).name}: ${(error as Error).message}`,
    );
    return 1;
  } finally {
    client.destroy();
  }
}

// Run only as a script (`tsx scripts/user-add.ts`), not when a test imports it.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
