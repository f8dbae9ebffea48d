import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface WebFirewallProps {
  /** The API stage the web ACL protects. */
  readonly stage: apigateway.Stage;
  /** Encrypts the WAF log group. */
  readonly encryptionKey: kms.IKey;
  /**
   * Requests one client address may make in five minutes before WAF blocks it for a while. An agency's
   * whole office can share one address, so this is far above one person's pace; it stops one address
   * from taking the stage's whole throttle.
   * @default 1500 (5 requests/s sustained)
   */
  readonly requestsPerAddressPer5Minutes?: number;
}

/** The web ACL's own CloudWatch metric name (its metrics' `WebACL` dimension). */
const WEB_ACL_METRIC_NAME = 'FrontDeskWebAcl';

/** Metrics for every rule, so that a false positive shows in CloudWatch before anyone files a ticket. */
const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

const managedRuleGroup = (
  priority: number,
  name: string,
  ruleActionOverrides?: wafv2.CfnWebACL.RuleActionOverrideProperty[],
): wafv2.CfnWebACL.RuleProperty => ({
  name,
  priority,
  overrideAction: { none: {} },
  statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ruleActionOverrides } },
  visibilityConfig: visibility(name),
});

/**
 * AWS WAF in front of the API stage: AWS managed rule groups (IP reputation, common rule set, known bad
 * inputs), a rate limit per client address, CloudWatch metrics per rule, and a log of what WAF blocked
 * or counted, with the token and the body kept out of every log and sample.
 */
export class WebFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WebFirewallProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      description: 'Front Desk: managed rule groups and a rate limit per client address',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(WEB_ACL_METRIC_NAME),
      rules: [
        managedRuleGroup(0, 'AWSManagedRulesAmazonIpReputationList'),
        {
          name: 'RateLimitPerAddress',
          priority: 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: props.requestsPerAddressPer5Minutes ?? 1500,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
            },
          },
          visibilityConfig: visibility('RateLimitPerAddress'),
        },
        // SizeRestrictions_BODY blocks bodies over 8 KB, but the contract accepts referrals up to 64 KiB
        // and answers 413 problem+json above that itself (CONTRACT.md, POST /referrals). Count, do not
        // block: the other rules of the set still inspect the first 8 KB of every body, the match is
        // still labelled and logged, and the function keeps the contract's limit and error.
        managedRuleGroup(2, 'AWSManagedRulesCommonRuleSet', [
          { name: 'SizeRestrictions_BODY', actionToUse: { count: {} } },
        ]),
        managedRuleGroup(3, 'AWSManagedRulesKnownBadInputsRuleSet'),
      ],
      // Applies to logs and sampled requests alike: the bearer token is a credential, and bodies carry
      // identity numbers, names and health fields that rule match details would otherwise quote.
      // https://docs.aws.amazon.com/waf/latest/developerguide/data-protection-masking.html
      dataProtectionConfig: {
        dataProtections: [
          { field: { fieldType: 'SINGLE_HEADER', fieldKeys: ['authorization'] }, action: 'SUBSTITUTION' },
          { field: { fieldType: 'BODY' }, action: 'SUBSTITUTION' },
        ],
      },
    });

    new wafv2.CfnWebACLAssociation(this, 'StageAssociation', {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });

    // WAF delivers only to log groups named aws-waf-logs-…, and wants the ARN without the trailing `:*`.
    // https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html
    const logGroupName = `aws-waf-logs-${stack.stackName}`;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName,
      retention: logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.encryptionKey,
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [
        stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      // Client addresses are personal data too: keep only the requests WAF blocked or counted, which is
      // what tuning the rules needs; allowed traffic is in the API's access log already.
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: ['BLOCK', 'COUNT', 'EXCLUDED_AS_COUNT'].map((action) => ({
              ActionCondition: { Action: action },
            })),
          },
        ],
      },
    });
    logging.node.addDependency(this.logGroup);
  }

  /**
   * Requests the web ACL blocked, every rule together (`Rule` = `ALL`). WAF names the `WebACL` and
   * `Rule` dimensions by the visibility configs' metric names, not by the resources' names.
   * https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html
   */
  metricBlockedRequests(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/WAFV2',
      metricName: 'BlockedRequests',
      dimensionsMap: { WebACL: WEB_ACL_METRIC_NAME, Rule: 'ALL', Region: Stack.of(this).region },
      period: Duration.minutes(5),
      statistic: 'Sum',
      ...props,
    });
  }
}
