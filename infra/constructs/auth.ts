import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { DeploymentConfig } from '../../shared/config/deployment.js';
import {
  apiScopes,
  RESOURCE_SERVER,
  STAFF_SCOPE,
  contractGroups as scopeGroups,
} from '../../shared/http/caller.js';

export interface AuthProps {
  readonly deployment: DeploymentConfig;
  /** Where the staff web pages receive the authorization code. */
  readonly callbackUrls: readonly string[];
  readonly logoutUrls?: readonly string[];
  /**
   * The hosted sign-in's domain prefix, `<prefix>.auth.<region>.amazoncognito.com`: unique per region
   * across every AWS account, so an administrator may have to choose one.
   * @default defaultAuthDomainPrefix(deployment)
   */
  readonly domainPrefix?: string;
}

/**
 * A default hosted sign-in prefix from the deployment, e.g. `frontdesk-2262` for Timrå. Cognito allows
 * lower-case letters, digits and hyphens, and refuses "aws", "amazon" and "cognito" in a prefix.
 */
export function defaultAuthDomainPrefix({ queuePrefix, municipalityCode }: DeploymentConfig): string {
  const base = queuePrefix
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return base.replace(/-/g, '').includes('frontdesk')
    ? `${base}-${municipalityCode}`
    : `${base}-${municipalityCode}-frontdesk`;
}

/** Throws at synth when Cognito would refuse the prefix at deploy time. */
export function assertAuthDomainPrefix(prefix: string): string {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix)) {
    throw new Error(
      `authDomainPrefix "${prefix}": use 1–63 lower-case letters, digits and hyphens, starting and ending with a letter or digit`,
    );
  }
  const reserved = ['aws', 'amazon', 'cognito'].find((word) => prefix.includes(word));
  if (reserved)
    throw new Error(`authDomainPrefix "${prefix}": Cognito refuses a prefix containing "${reserved}"`);
  return prefix;
}

/**
 * The group names of CONTRACT.md "Identities and roles" (v1.1: with `steering-group`), from the one
 * list the functions check `cognito:groups` against.
 */
export function contractGroups(deployment: DeploymentConfig): string[] {
  return [...scopeGroups(deployment.teams)];
}

/**
 * Identities: a Cognito user pool that only administrators add people to, the contract's groups, the
 * hosted sign-in, one public app client for the web pages (authorization code with PKCE, no client
 * secret), and the resource server `frontdesk` whose scopes the API's methods name: `frontdesk/staff`,
 * which only the web pages' client may ask for (people's rights come from their groups), and one
 * `frontdesk/<group>` per contract group, which `npm run client:add` grants to one machine client each
 * (client credentials: CONTRACT.md v1.1, "More identities").
 */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  readonly groups: readonly string[];
  readonly resourceServer: cognito.UserPoolResourceServer;
  /** Every scope of the resource server, as `frontdesk/<name>`: what each authorized method names. */
  readonly apiScopes: readonly string[];

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      // Anna@Example.se and anna@example.se are one person. Immutable once the pool exists: changing it
      // replaces the pool, so it is set before the first deployment.
      signInCaseSensitive: false,
      autoVerify: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      // Plus: compromised-credential and risky sign-in protection for staff who read personal data.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    (this.userPool.node.defaultChild as CfnElement).overrideLogicalId('UserPool');
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional with TOTP only (no SMS) while agencies roll out authenticator apps; Plus-tier threat protection enforces risk-based challenges meanwhile. Requiring MFA is a configuration change, not a redesign.',
    });

    this.groups = contractGroups(props.deployment);
    for (const groupName of this.groups) {
      this.userPool.addGroup(`Group-${groupName}`, { groupName });
    }

    this.domain = this.userPool.addDomain('HostedSignIn', {
      cognitoDomain: {
        domainPrefix: assertAuthDomainPrefix(props.domainPrefix ?? defaultAuthDomainPrefix(props.deployment)),
      },
    });

    // Scopes from the same validated deployment as the groups: a team of the deployment has both.
    this.apiScopes = apiScopes(scopeGroups(props.deployment.teams));
    const scopeName = (scope: string) => scope.slice(RESOURCE_SERVER.length + 1);
    const scopes = this.apiScopes.map(
      (scope) =>
        new cognito.ResourceServerScope({
          scopeName: scopeName(scope),
          scopeDescription:
            scope === STAFF_SCOPE
              ? 'People signed in to the staff web app; their groups give the rights'
              : `A system with the rights of group ${scopeName(scope)}`,
        }),
    );
    this.resourceServer = this.userPool.addResourceServer('Api', {
      identifier: RESOURCE_SERVER,
      userPoolResourceServerName: 'Front Desk API',
      scopes,
    });
    const staffScope = scopes.find((scope) => `${RESOURCE_SERVER}/${scope.scopeName}` === STAFF_SCOPE);
    if (!staffScope) throw new Error(`${STAFF_SCOPE} is missing from the resource server`);

    // A public client (the web pages cannot keep a secret) on the code grant only. PKCE is the client's
    // half: it sends a code_challenge to /oauth2/authorize and Cognito then issues tokens only for the
    // matching code_verifier (https://docs.aws.amazon.com/cognito/latest/developerguide/using-pkce-in-authorization-code.html).
    this.userPoolClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        // frontdesk/staff: the access token the web app sends gets through the methods' scope check.
        scopes: [
          cognito.OAuthScope.OPENID,
          cognito.OAuthScope.EMAIL,
          cognito.OAuthScope.PROFILE,
          cognito.OAuthScope.resourceServer(this.resourceServer, staffScope),
        ],
        callbackUrls: [...props.callbackUrls],
        logoutUrls: [...(props.logoutUrls ?? props.callbackUrls)],
      },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    // Sign-in happens on the hosted pages only (where MFA and threat protection apply); the client may
    // only refresh tokens. Given no flows, CDK leaves the property out and Cognito then allows SRP and
    // custom auth as well, hence the L1 property.
    const client = this.userPoolClient.node.defaultChild as cognito.CfnUserPoolClient;
    client.explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
  }

  /** What the API's functions check a token's `iss` against. */
  get issuer(): string {
    const stack = Stack.of(this);
    return `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`;
  }
}
