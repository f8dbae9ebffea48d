import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BACKGROUND_FUNCTIONS, ROUTES } from '../shared/api/routes.js';
import type { DeploymentConfig } from '../shared/config/deployment.js';
import { Api } from './constructs/api.js';
import { Auth } from './constructs/auth.js';
import { CaseTable } from './constructs/case-table.js';
import { DataProtection } from './constructs/data-protection.js';
import type { LambdaFunction, TableAccess } from './constructs/lambda-function.js';
import { Screening } from './constructs/screening.js';
import { TeamQueues } from './constructs/team-queues.js';
import { WebFirewall } from './constructs/web-firewall.js';

export interface FrontDeskStackProps extends StackProps {
  /** Validated with parseDeploymentConfig before it gets here (infra/app.ts). */
  readonly deployment: DeploymentConfig;
  /** Where the staff web pages receive the Cognito authorization code. */
  readonly callbackUrls: readonly string[];
  /** The hosted sign-in's domain prefix (unique per region across AWS); defaults from the deployment. */
  readonly authDomainPrefix?: string;
}

/** What a function may do beyond reading its environment; everything not listed is denied. */
type Access = {
  table?: TableAccess;
  sendToScreening?: boolean;
  sendToTeams?: boolean;
  readPersonKey?: boolean;
};

/**
 * Least privilege per function. A function missing here fails the synth, so a new route cannot
 * deploy without someone deciding what it may touch.
 */
export const FUNCTION_ACCESS: Readonly<Record<string, Access>> = {
  'get-health': {},
  'get-openapi': {},
  'submit-referral': { table: 'readWrite', sendToScreening: true, readPersonKey: true },
  'list-referrals': { table: 'read' },
  'get-referral': { table: 'read' },
  'screen-case': { table: 'readWrite', sendToTeams: true },
  'redrive-cases': { table: 'read', sendToScreening: true },
  'list-cases': { table: 'read' },
  // Every read of a case is written to its audit trail.
  'get-case': { table: 'readWrite' },
  // A decline that leaves no team sends the case to the front desk's queue.
  'post-case-event': { table: 'readWrite', sendToTeams: true },
  'get-case-audit': { table: 'read' },
};

/** Front Desk in one stack: composes the constructs, wires grants, tags and outputs. */
export class FrontDeskStack extends Stack {
  constructor(scope: Construct, id: string, props: FrontDeskStackProps) {
    super(scope, id, props);
    const { deployment } = props;

    const protection = new DataProtection(this, 'DataProtection');
    const { table } = new CaseTable(this, 'Cases', { encryptionKey: protection.key });
    const queues = new TeamQueues(this, 'Queues', { deployment, encryptionKey: protection.key });
    const auth = new Auth(this, 'Auth', {
      deployment,
      callbackUrls: props.callbackUrls,
      domainPrefix: props.authDomainPrefix,
    });

    // Every function validates the whole set at cold start (shared/config/env.ts); rights come from binds.
    const environment: Record<string, string> = {
      TABLE_NAME: table.tableName,
      SCREENING_QUEUE_URL: queues.screeningQueue.queueUrl,
      TEAM_QUEUE_URLS: this.toJsonString(
        Object.fromEntries(Object.entries(queues.teamQueues).map(([team, queue]) => [team, queue.queueUrl])),
      ),
      DEPLOYMENT: JSON.stringify(deployment),
      PERSON_KEY_SECRET_ARN: protection.personKeySecret.secretArn,
      // What a token must carry besides a valid signature: `iss` equal to TOKEN_ISSUER, and `aud` (ID
      // token) or `client_id` (access token) one of USER_POOL_CLIENT_IDS (a JSON array of strings).
      TOKEN_ISSUER: auth.issuer,
      USER_POOL_CLIENT_IDS: this.toJsonString([auth.userPoolClient.userPoolClientId]),
    };

    const api = new Api(this, 'Api', {
      routes: ROUTES,
      userPool: auth.userPool,
      environment,
      encryptionKey: protection.key,
    });
    new WebFirewall(this, 'Firewall', { stage: api.restApi.deploymentStage, encryptionKey: protection.key });
    const screening = new Screening(this, 'Screening', {
      screeningQueue: queues.screeningQueue,
      environment,
      encryptionKey: protection.key,
    });

    const functions = new Map<string, LambdaFunction>([
      ...api.functions,
      ['screen-case', screening.screenCase],
      ['redrive-cases', screening.redriveCases],
    ]);
    for (const fn of BACKGROUND_FUNCTIONS) {
      if (!functions.has(fn)) throw new Error(`Background function ${fn} has no construct`);
    }
    for (const [name, fn] of functions) {
      const access = FUNCTION_ACCESS[name];
      if (!access)
        throw new Error(`functions/${name}.ts has no entry in FUNCTION_ACCESS (infra/front-desk-stack.ts)`);
      if (access.table) fn.bindTable(table, access.table);
      if (access.sendToScreening) fn.bindQueue('SCREENING_QUEUE_URL', queues.screeningQueue);
      if (access.sendToTeams) fn.bindTeamQueues(queues.teamQueues);
      if (access.readPersonKey) fn.bindSecret('PERSON_KEY_SECRET_ARN', protection.personKeySecret);
    }

    Tags.of(this).add('project', 'front-desk');
    Tags.of(this).add('municipality', deployment.municipalityCode);

    new CfnOutput(this, 'ApiUrl', { value: api.url });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'HostedUiUrl', {
      value: auth.domain.baseUrl(),
      description: 'Hosted sign-in: /oauth2/authorize, /oauth2/token and /logout live under this URL',
    });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    for (const [team, queue] of Object.entries(queues.teamQueues)) {
      new CfnOutput(this, `TeamQueueUrl${pascalCase(team)}`, {
        value: queue.queueUrl,
        description: `Queue of team ${team}`,
      });
    }
  }
}

const pascalCase = (id: string) =>
  id
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
