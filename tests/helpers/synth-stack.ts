import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { FrontDeskStack, type FrontDeskStackProps } from '../../infra/front-desk-stack.js';
import type { DeploymentConfig } from '../../shared/config/deployment.js';

export type Resource = {
  Type: string;
  Properties?: Record<string, any>;
  DeletionPolicy?: string;
};
/** An entry of the cloud assembly's validation-report.json (CDK policy validation, which cdk-nag 3 reports to). */
export type Violation = {
  ruleName: string;
  severity: string;
  violatingConstructs?: { constructPath?: string }[];
};

export const ENV = { account: '123456789012', region: 'eu-north-1' };
export const CALLBACK_URLS = ['https://front-desk.example/callback'];

/**
 * Synthesises one stack with both cdk-nag packs, as infra/app.ts does. Validation failures must not
 * throw here: the nag test reads them from the report so that it can name every finding.
 * `bundle: false` skips esbuild where the code is not under test.
 */
export function synthesize(
  deployment: DeploymentConfig,
  {
    bundle,
    authDomainPrefix,
    extend,
    props,
  }: {
    bundle: boolean;
    authDomainPrefix?: string;
    extend?: (stack: FrontDeskStack) => void;
    props?: Partial<FrontDeskStackProps>;
  },
) {
  const app = new App({
    context: {
      '@aws-cdk/core:failSynthOnValidationErrors': false,
      ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const stack = new FrontDeskStack(app, 'FrontDeskTest', {
    deployment,
    callbackUrls: CALLBACK_URLS,
    authDomainPrefix,
    env: ENV,
    ...props,
  });
  extend?.(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
  const assembly = app.synth();
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
    pluginReports: { pluginName: string; violations: Violation[] }[];
  };
  const template = Template.fromStack(stack);
  return {
    template,
    resources: template.toJSON().Resources as Record<string, Resource>,
    report,
    assemblyDir: assembly.directory,
  };
}

/** cdk-nag findings as `<rule> at <construct paths>`, one per violation. */
export const findingsOf = (report: { pluginReports: { violations: Violation[] }[] }) =>
  report.pluginReports.flatMap((plugin) =>
    plugin.violations.map(
      (v) => `${v.ruleName} at ${(v.violatingConstructs ?? []).map((c) => c.constructPath).join(', ')}`,
    ),
  );

/** Resources of one CloudFormation type, as [logical id, resource]. */
export const ofType = (resources: Record<string, Resource>, type: string) =>
  Object.entries(resources).filter(([, resource]) => resource.Type === type);

/** The house functions by name (`functions/<fn>.ts`), from their descriptions. */
export function functionsByName(resources: Record<string, Resource>) {
  return new Map(
    ofType(resources, 'AWS::Lambda::Function').flatMap(([id, fn]) => {
      const name = /^Front Desk: (.+)$/.exec(String(fn.Properties?.Description))?.[1];
      return name ? [[name, { id, fn }] as const] : [];
    }),
  );
}
