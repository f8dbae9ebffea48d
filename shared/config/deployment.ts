import { parseServiceLevel, type ServiceLevel } from '../calendar/working-days.js';
import * as z from '../zod.js';

/** Ids are used in queue names and group names (`team-<id>`), so they stay short and URL-safe. */
const id = z
  .string()
  .check(z.regex(/^[a-z][a-z0-9-]{1,38}[a-z0-9]$/, 'lower-case letters, digits and dashes, 3–40 characters'));

export const AGENCIES = ['municipality', 'employment-service', 'social-insurance'] as const;
export type Agency = (typeof AGENCIES)[number];
export const agencySchema = z.enum(AGENCIES);

/** The front desk always exists: it receives whatever the rules cannot place (never orphaned). */
export const FRONT_DESK = 'front-desk';

/**
 * One validated deployment configuration feeds the CDK stack, the functions and the local runtime.
 * An administrator changes it through CDK context (see README, "Configure a municipality").
 */
export const deploymentConfigSchema = z
  .strictObject({
    municipalityCode: z.string().check(z.regex(/^\d{4}$/, 'a four-digit municipality code (kommunkod)')),
    municipalityName: z.string().check(z.minLength(1), z.maxLength(100)),
    teams: z.array(id).check(
      z.minLength(1),
      z.refine((teams) => teams.includes(FRONT_DESK), `must include "${FRONT_DESK}"`),
      z.refine((teams) => new Set(teams).size === teams.length, 'team ids must be unique'),
      z.refine((teams) => !teams.includes('screening'), '"screening" is the internal queue'),
    ),
    queuePrefix: z
      .string()
      .check(z.regex(/^[a-zA-Z0-9_-]{1,40}$/, 'letters, digits, "-" and "_", at most 40')),
    /**
     * Teams that see the minimum of a case: no identity number, no health information (sick leave,
     * compensation, disability, health-related target groups), no free text. Non-profit partners.
     */
    restrictedTeams: z._default(z.array(id), ['partner-programmes']),
    /**
     * Service levels: each team's `acceptWithin`, an ISO 8601 duration from routed to accepted
     * (days are working days). Teams left out have P2D (CONTRACT.md v1.1).
     */
    serviceLevels: z.optional(
      z.record(
        id,
        z.string().check(
          z.refine((value) => parseServiceLevel(value) !== undefined, {
            message: 'an ISO 8601 duration of days and clock time, such as P2D or PT4H',
          }),
        ),
      ),
    ),
  })
  .check(
    z.refine(
      (config) => Object.keys(config.serviceLevels ?? {}).every((team) => config.teams.includes(team)),
      { message: 'names a team that is not in teams', path: ['serviceLevels'] },
    ),
  );

/** Reads `team=duration,…` (CDK context); the deployment schema validates what it gives. */
export function parseServiceLevels(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split(',')
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => {
        const [team = '', duration = ''] = pair.split('=').map((part) => part.trim());
        return [team, duration];
      }),
  );
}

/** The service level of a team that names none. */
export const DEFAULT_ACCEPT_WITHIN = 'P2D';

/**
 * Each team's service level: the deployment's, or P2D; locally `FRONTDESK_ACCEPT_WITHIN` (such as
 * PT20S for a demo) sets every team's.
 */
export function serviceLevelsOf(
  config: Pick<DeploymentConfig, 'serviceLevels'>,
  override?: string,
): (team: string) => ServiceLevel {
  const forAll = override === undefined ? undefined : parseServiceLevel(override);
  return (team) =>
    forAll ??
    parseServiceLevel(config.serviceLevels?.[team] ?? DEFAULT_ACCEPT_WITHIN) ??
    (parseServiceLevel(DEFAULT_ACCEPT_WITHIN) as ServiceLevel);
}

export type DeploymentConfig = z.infer<typeof deploymentConfigSchema>;
export type DeploymentConfigInput = z.input<typeof deploymentConfigSchema>;

export const DEFAULT_DEPLOYMENT: DeploymentConfig = {
  municipalityCode: '2262',
  municipalityName: 'Timrå',
  teams: ['front-desk', 'employment-service', 'social-insurance', 'labour-market-unit', 'partner-programmes'],
  queuePrefix: 'frontdesk',
  restrictedTeams: ['partner-programmes'],
};

/** Parses a configuration and fails fast with every problem named, at synth time or cold start. */
export function parseDeploymentConfig(input: unknown): DeploymentConfig {
  const result = deploymentConfigSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new Error(`Invalid deployment configuration: ${problems.join('; ')}`);
  }
  return result.data;
}

/**
 * The IAM roles that read a team's queue (`-c teamConsumers=<teamId>=<role ARN>,…`): a team's own
 * system, in this account or another. Each must be a team of the deployment and an IAM role ARN; a team
 * may have several roles. Only the stack reads this; the functions never see it.
 */
const roleArn = z
  .string()
  .check(
    z.regex(
      /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
      'an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
    ),
  );

export type TeamConsumers = Readonly<Record<string, readonly string[]>>;

export function parseTeamConsumers(text: string | undefined, deployment: DeploymentConfig): TeamConsumers {
  const consumers: Record<string, string[]> = {};
  const problems: string[] = [];
  for (const entry of (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const at = entry.indexOf('=');
    const team = at < 0 ? entry : entry.slice(0, at);
    const arn = at < 0 ? '' : entry.slice(at + 1);
    if (!deployment.teams.includes(team)) {
      problems.push(`"${team}" is not a team of the deployment (${deployment.teams.join(', ')})`);
      continue;
    }
    const parsed = roleArn.safeParse(arn);
    if (!parsed.success) {
      problems.push(`${team}: "${arn}" is not ${parsed.error.issues[0]?.message}`);
      continue;
    }
    consumers[team] = [...new Set([...(consumers[team] ?? []), arn])];
  }
  if (problems.length > 0) {
    throw new Error(`Invalid deployment configuration: teamConsumers: ${problems.join('; ')}`);
  }
  return consumers;
}

export const teamQueueName = (prefix: string, team: string) => `${prefix}-${team}`;
export const deadLetterQueueName = (queueName: string) => `${queueName}-dlq`;
export const screeningQueueName = (prefix: string) => `${prefix}-screening`;
