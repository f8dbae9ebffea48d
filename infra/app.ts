import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import {
  DEFAULT_DEPLOYMENT,
  parseDeploymentConfig,
  parseServiceLevels,
  parseTeamConsumers,
} from '../shared/config/deployment.js';
import { suppressionThreshold } from '../shared/stats/suppression.js';
import { FrontDeskStack } from './front-desk-stack.js';

/**
 * The only place that reads the environment or CDK context. Configure a municipality with context:
 *   npx cdk deploy -c municipalityCode=2281 -c municipalityName=Sundsvall -c teams=front-desk,employment-service
 * Keys: municipalityCode, municipalityName, teams (comma list), queuePrefix, stackName, callbackUrls (comma
 * list of further sign-in callback and sign-out URLs besides the hosted web app's own, e.g. for a developer's
 * http://localhost:3000/app/auth/callback; default none), authDomainPrefix (the hosted sign-in's domain
 * prefix, unique per region across AWS; default `<queuePrefix>-<municipalityCode>`, e.g. frontdesk-2262),
 * webDomainName and webCertificateArn (a custom domain for the web app and its ACM certificate in us-east-1;
 * default the CloudFront domain), accessibilityContact (the address the accessibility statement names),
 * teamConsumers (comma list of <teamId>=<IAM role ARN>: the team's own system may consume its queue),
 * alarmEmail (an address the alarm topic mails every alarm to; default none), statsSuppressionThreshold
 * (statistics' small-number threshold, default 5, never below 3),
 * region (default eu-north-1, or AWS_REGION / AWS_DEFAULT_REGION when set).
 */
const app = new App();

const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  return Array.isArray(value) ? value.join(',') : String(value);
};
const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const deployment = parseDeploymentConfig({
  municipalityCode: context('municipalityCode') ?? DEFAULT_DEPLOYMENT.municipalityCode,
  municipalityName: context('municipalityName') ?? DEFAULT_DEPLOYMENT.municipalityName,
  teams: list(context('teams')) ?? DEFAULT_DEPLOYMENT.teams,
  queuePrefix: context('queuePrefix') ?? DEFAULT_DEPLOYMENT.queuePrefix,
  // -c serviceLevels=labour-market-unit=P3D,front-desk=PT4H (validated with the rest).
  ...(context('serviceLevels') ? { serviceLevels: parseServiceLevels(context('serviceLevels')!) } : {}),
});

/** A custom domain needs both keys; one without the other is a mistake worth stopping for. */
function webDomain() {
  const name = context('webDomainName');
  const certificateArn = context('webCertificateArn');
  if (!name && !certificateArn) return undefined;
  if (!name || !certificateArn) throw new Error('Set both webDomainName and webCertificateArn, or neither');
  return { name, certificateArn };
}

new FrontDeskStack(app, context('stackName') ?? 'FrontDesk', {
  deployment,
  callbackUrls: list(context('callbackUrls')) ?? [],
  authDomainPrefix: context('authDomainPrefix'),
  webDomain: webDomain(),
  accessibilityContact: context('accessibilityContact'),
  teamConsumers: parseTeamConsumers(context('teamConsumers'), deployment),
  alarmEmail: context('alarmEmail'),
  ...(context('statsSuppressionThreshold')
    ? { statsSuppressionThreshold: suppressionThreshold(context('statsSuppressionThreshold')) }
    : {}),
  env: {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    // Stockholm unless someone chooses otherwise: the data is Swedish personal data. CDK_DEFAULT_REGION
    // is not used because the CLI fills it with us-east-1 when nothing is configured.
    region: context('region') ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'eu-north-1',
  },
  description: `Front Desk for ${deployment.municipalityName} (${deployment.municipalityCode})`,
});

// Both packs must pass with zero unacknowledged findings; every acknowledgement sits next to its resource.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
