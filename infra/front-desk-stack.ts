import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BACKGROUND_FUNCTIONS, ROUTES } from '../shared/api/routes.js';
import type { DeploymentConfig, TeamConsumers } from '../shared/config/deployment.js';
import { suppressionThreshold } from '../shared/stats/suppression.js';
import { Api } from './constructs/api.js';
import { Auth, assertAuthDomainPrefix, defaultAuthDomainPrefix } from './constructs/auth.js';
import { CaseTable } from './constructs/case-table.js';
import { DataProtection } from './constructs/data-protection.js';
import type { LambdaFunction, TableAccess } from './constructs/lambda-function.js';
import { Monitoring } from './constructs/monitoring.js';
import { Screening } from './constructs/screening.js';
import { Statistics } from './constructs/statistics.js';
import { TeamQueues } from './constructs/team-queues.js';
import { WebFirewall } from './constructs/web-firewall.js';
import { WebHosting } from './constructs/web-hosting.js';

export interface FrontDeskStackProps extends StackProps {
  /** Validated with parseDeploymentConfig before it gets here (infra/app.ts). */
  readonly deployment: DeploymentConfig;
  /**
   * Further pages (besides the hosted web app's own, which the stack adds) that may receive the Cognito
   * authorization code and be returned to after signing out, e.g. a developer's `http://localhost:3000/…`.
   */
  readonly callbackUrls: readonly string[];
  /** The hosted sign-in's domain prefix (unique per region across AWS); defaults from the deployment. */
  readonly authDomainPrefix?: string;
  /** A custom domain for the web app, with its ACM certificate in us-east-1; default the CloudFront domain. */
  readonly webDomain?: { readonly name: string; readonly certificateArn: string };
  /** Where staff report an accessibility problem (the accessibility statement names it). */
  readonly accessibilityContact?: string;
  /**
   * Team id → IAM role ARNs of the team's own systems that consume its queue (parseTeamConsumers):
   * receive, delete and change visibility on that queue, decrypt through SQS, nothing else.
   */
  readonly teamConsumers?: TeamConsumers;
  /** An address the alarm topic mails every alarm to (it must confirm the subscription first). */
  readonly alarmEmail?: string;
  /** Statistics' small-number threshold (default 5; never below 3: shared/stats/suppression.ts). */
  readonly statsSuppressionThreshold?: number;
}

/** A reserved domain: nobody reads it. A deployment names its own (context accessibilityContact). */
const PLACEHOLDER_ACCESSIBILITY_CONTACT = 'tillganglighet@kommun.example';

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
  // Search by identity number goes through the person key (the HMAC), and is audited.
  'list-referrals': { table: 'readWrite', readPersonKey: true },
  // Every read of a referral's case (status, screening) is written to the case's audit trail.
  'get-referral': { table: 'readWrite' },
  'screen-case': { table: 'readWrite', sendToTeams: true },
  'redrive-cases': { table: 'read', sendToScreening: true },
  'list-cases': { table: 'readWrite', readPersonKey: true },
  // Every read of a case is written to its audit trail.
  'get-case': { table: 'readWrite' },
  // A decline that leaves no team sends the case to the front desk's queue.
  'post-case-event': { table: 'readWrite', sendToTeams: true },
  'get-case-audit': { table: 'read' },
  'post-case-note': { table: 'readWrite' },
  // A follow-up changes the case and the statistics in one transaction.
  'post-case-follow-up': { table: 'readWrite' },
  // Statistics reads are audited (a write); they read only the aggregates.
  'get-stats': { table: 'readWrite' },
  'get-stats-indicators': { table: 'readWrite' },
  'get-stats-equity': { table: 'readWrite' },
  'snapshot-stats': { table: 'readWrite' },
};

/** Front Desk in one stack: composes the constructs, wires grants, tags and outputs. */
export class FrontDeskStack extends Stack {
  constructor(scope: Construct, id: string, props: FrontDeskStackProps) {
    super(scope, id, props);
    const { deployment } = props;

    const protection = new DataProtection(this, 'DataProtection');
    const { table } = new CaseTable(this, 'Cases', { encryptionKey: protection.key });
    const queues = new TeamQueues(this, 'Queues', { deployment, encryptionKey: protection.key });
    // No cycle: the distribution needs only its bucket (and, in its CSP, the REST API's id, which needs
    // nothing); the app client names the app's pages, the functions name the client, and the API lets
    // the app's origin call it (CORS) instead of sitting behind the distribution.
    const web = new WebHosting(this, 'Web', { encryptionKey: protection.key, domain: props.webDomain });
    const authDomainPrefix = assertAuthDomainPrefix(
      props.authDomainPrefix ?? defaultAuthDomainPrefix(deployment),
    );
    const auth = new Auth(this, 'Auth', {
      deployment,
      callbackUrls: [web.callbackUrl, ...props.callbackUrls],
      logoutUrls: [web.signOutUrl, ...props.callbackUrls],
      domainPrefix: authDomainPrefix,
    });
    const hostedUiDomain = `${authDomainPrefix}.auth.${this.region}.amazoncognito.com`;

    // Every function validates the whole set at cold start (shared/config/env.ts); rights come from binds.
    const environment: Record<string, string> = {
      TABLE_NAME: table.tableName,
      SCREENING_QUEUE_URL: queues.screeningQueue.queueUrl,
      TEAM_QUEUE_URLS: this.toJsonString(
        Object.fromEntries(Object.entries(queues.teamQueues).map(([team, queue]) => [team, queue.queueUrl])),
      ),
      DEPLOYMENT: JSON.stringify(deployment),
      PERSON_KEY_SECRET_ARN: protection.personKeySecret.secretArn,
      // What a token must carry besides a valid signature: `iss` equal to TOKEN_ISSUER, and for a person
      // `aud` (ID token) or `client_id` (access token) one of USER_POOL_CLIENT_IDS (a JSON array of
      // strings). Machine clients are added after the deploy: any client of the pool whose token has a
      // frontdesk/<group> scope is taken (shared/http/caller.ts).
      TOKEN_ISSUER: auth.issuer,
      USER_POOL_CLIENT_IDS: this.toJsonString([auth.userPoolClient.userPoolClientId]),
      // The functions' answers carry CORS headers for the web app (shared/http/http-api.ts).
      WEB_ORIGIN: web.origin,
      ...(props.statsSuppressionThreshold === undefined
        ? {}
        : { STATS_SUPPRESSION_THRESHOLD: String(suppressionThreshold(props.statsSuppressionThreshold)) }),
    };

    const api = new Api(this, 'Api', {
      routes: ROUTES,
      userPool: auth.userPool,
      authorizationScopes: auth.apiScopes,
      environment,
      encryptionKey: protection.key,
      webOrigin: web.origin,
    });
    const firewall = new WebFirewall(this, 'Firewall', {
      stage: api.restApi.deploymentStage,
      encryptionKey: protection.key,
    });
    const screening = new Screening(this, 'Screening', {
      screeningQueue: queues.screeningQueue,
      environment,
      encryptionKey: protection.key,
    });

    const statistics = new Statistics(this, 'Statistics', { environment, encryptionKey: protection.key });

    const functions = new Map<string, LambdaFunction>([
      ...api.functions,
      ['screen-case', screening.screenCase],
      ['redrive-cases', screening.redriveCases],
      ['snapshot-stats', statistics.snapshotStats],
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

    new Monitoring(this, 'Monitoring', {
      deployment,
      encryptionKey: protection.key,
      alarmEmail: props.alarmEmail,
      teamQueues: queues.teamQueues,
      deadLetterQueues: queues.deadLetterQueues,
      functions,
      restApi: api.restApi,
      wafBlockedRequests: firewall.metricBlockedRequests(),
      table,
    });

    for (const [team, roleArns] of Object.entries(props.teamConsumers ?? {})) {
      for (const roleArn of roleArns) queues.grantConsumer(team, roleArn);
    }

    web.allowConnectTo(api.origin);
    web.allowConnectTo(`https://${hostedUiDomain}`);
    web.deployApp({
      apiBaseUrl: api.url,
      auth: { mode: 'cognito', domain: hostedUiDomain, clientId: auth.userPoolClient.userPoolClientId },
      municipality: { code: deployment.municipalityCode, name: deployment.municipalityName },
      teams: [...deployment.teams],
      restrictedTeams: [...deployment.restrictedTeams],
      accessibilityContact: props.accessibilityContact ?? PLACEHOLDER_ACCESSIBILITY_CONTACT,
    });

    Tags.of(this).add('project', 'front-desk');
    Tags.of(this).add('municipality', deployment.municipalityCode);

    new CfnOutput(this, 'ApiUrl', { value: api.url });
    new CfnOutput(this, 'WebUrl', { value: web.url, description: 'The staff web app' });
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
