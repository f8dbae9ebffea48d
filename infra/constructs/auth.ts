import { type CfnElement, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { AGENCIES, type DeploymentConfig } from '../../shared/config/deployment.js';

export interface AuthProps {
  readonly deployment: DeploymentConfig;
  /** Where the staff web pages receive the authorization code. */
  readonly callbackUrls: readonly string[];
  readonly logoutUrls?: readonly string[];
}

/** The group names of CONTRACT.md "Identities and roles"; the functions read them from `cognito:groups`. */
export function contractGroups(deployment: DeploymentConfig): string[] {
  return [
    ...AGENCIES.map((agency) => `agency-${agency}`),
    ...deployment.teams.map((team) => `team-${team}`),
    'admins',
  ];
}

/**
 * Staff identities: a Cognito user pool that only administrators add people to, the contract's groups,
 * and one public app client for the web pages (authorization code with PKCE, no client secret).
 */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly groups: readonly string[];

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
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

    this.userPoolClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [...props.callbackUrls],
        logoutUrls: [...(props.logoutUrls ?? props.callbackUrls)],
      },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
  }
}
