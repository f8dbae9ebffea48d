import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_DEPLOYMENT,
  type DeploymentConfig,
  deadLetterQueueName,
  screeningQueueName,
  teamQueueName,
} from '../../shared/config/deployment.js';
import { METRICS } from '../../shared/config/metrics.js';
import {
  findingsOf,
  functionsByName,
  ofType,
  type Resource,
  synthesize,
  type Violation,
} from '../helpers/synth-stack.js';

const ALARM_EMAIL = 'drift@kommun.example';
/** Two teams with service levels of their own; the others keep the default P2D. */
const DEPLOYMENT: DeploymentConfig = {
  ...DEFAULT_DEPLOYMENT,
  serviceLevels: { 'labour-market-unit': 'P3D', 'front-desk': 'PT4H' },
};
const DAY = 24 * 60 * 60;

type Alarm = Record<string, any>;
const alarmsOf = (resources: Record<string, Resource>): Alarm[] =>
  ofType(resources, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties ?? {});
const dimension = (alarm: Alarm, name: string) =>
  (alarm.Dimensions as { Name: string; Value: unknown }[] | undefined)?.find((d) => d.Name === name)?.Value;
/** The logical id a `Ref` or `Fn::GetAtt` points at. */
const target = (value: any): string | undefined => value?.Ref ?? value?.['Fn::GetAtt']?.[0];
const queueIdNamed = (resources: Record<string, Resource>, name: string) =>
  ofType(resources, 'AWS::SQS::Queue').find(([, queue]) => queue.Properties?.QueueName === name)?.[0];

describe('Monitoring', () => {
  let template: Template;
  let resources: Record<string, Resource>;
  let report: { pluginReports: { violations: Violation[] }[] };
  let alarms: Alarm[];
  let topicId: string;

  beforeAll(() => {
    ({ template, resources, report } = synthesize(DEPLOYMENT, {
      bundle: false,
      props: { alarmEmail: ALARM_EMAIL },
    }));
    alarms = alarmsOf(resources);
    [[topicId]] = ofType(resources, 'AWS::SNS::Topic') as [[string, Resource]];
  }, 120_000);

  it('has no unacknowledged cdk-nag AwsSolutions or HIPAA Security finding', () => {
    expect(findingsOf(report)).toEqual([]);
  });

  it('sends every alarm, and its end, to one topic encrypted with the stack key', () => {
    expect(ofType(resources, 'AWS::SNS::Topic')).toHaveLength(1);
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': ['DataKey', 'Arn'] },
    });
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions, alarm.AlarmDescription).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions, alarm.AlarmDescription).toEqual([{ Ref: topicId }]);
    }
  });

  it('lets CloudWatch use the key to publish to the encrypted topic', () => {
    const [[, key]] = ofType(resources, 'AWS::KMS::Key') as [[string, Resource]];
    const statements = key.Properties?.KeyPolicy.Statement as any[];
    expect(statements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
  });

  it('mails the alarmEmail address', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: ALARM_EMAIL,
      TopicArn: { Ref: topicId },
    });
  });

  it('alarms on any message in every dead-letter queue, the screening queue’s included', () => {
    const prefix = DEPLOYMENT.queuePrefix;
    const names = [
      screeningQueueName(prefix),
      ...DEPLOYMENT.teams.map((team) => teamQueueName(prefix, team)),
    ];
    for (const name of names.map(deadLetterQueueName)) {
      const queueId = queueIdNamed(resources, name);
      const alarm = alarms.find(
        (a) =>
          a.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          target(dimension(a, 'QueueName')) === queueId,
      );
      expect(alarm, name).toMatchObject({
        Namespace: 'AWS/SQS',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
    expect(alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible')).toHaveLength(
      names.length,
    );
  });

  it("alarms when a team queue's oldest message is older than the team's service level, in calendar days", () => {
    const expected: Record<string, number> = {
      'front-desk': 4 * 60 * 60,
      'labour-market-unit': 3 * DAY,
      'employment-service': 2 * DAY,
      'social-insurance': 2 * DAY,
      'partner-programmes': 2 * DAY,
    };
    for (const [team, seconds] of Object.entries(expected)) {
      const queueId = queueIdNamed(resources, teamQueueName(DEPLOYMENT.queuePrefix, team));
      const alarm = alarms.find(
        (a) =>
          a.MetricName === 'ApproximateAgeOfOldestMessage' && target(dimension(a, 'QueueName')) === queueId,
      );
      expect(alarm, team).toMatchObject({ Threshold: seconds, ComparisonOperator: 'GreaterThanThreshold' });
    }
  });

  it('alarms on API 5xx', () => {
    const alarm = alarms.find((a) => a.Namespace === 'AWS/ApiGateway' && a.MetricName === '5XXError');
    expect(alarm).toMatchObject({ Statistic: 'Sum', Threshold: 5 });
    expect(dimension(alarm!, 'ApiName')).toEqual(expect.any(String));
  });

  it('alarms on the errors and the throttles of every function', () => {
    const functions = functionsByName(resources);
    expect(functions.size).toBeGreaterThan(10);
    for (const [name, { id }] of functions) {
      for (const metric of ['Errors', 'Throttles']) {
        const alarm = alarms.find(
          (a) =>
            a.Namespace === 'AWS/Lambda' &&
            a.MetricName === metric &&
            target(dimension(a, 'FunctionName')) === id,
        );
        expect(alarm, `${metric} of ${name}`).toMatchObject({
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        });
      }
    }
  });

  it('alarms when the re-drive finds cases stuck before ROUTED on two runs in a row', () => {
    const alarm = alarms.find(
      (a) => a.Namespace === METRICS.namespace && a.MetricName === METRICS.stuckCasesRedriven,
    );
    expect(alarm).toMatchObject({
      Dimensions: [{ Name: 'service', Value: METRICS.service }],
      Threshold: 1,
      EvaluationPeriods: 2,
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms when WAF blocks surge', () => {
    const alarm = alarms.find((a) => a.Namespace === 'AWS/WAFV2' && a.MetricName === 'BlockedRequests');
    expect(alarm).toMatchObject({ Statistic: 'Sum', Threshold: 300 });
    // WAF's dimensions carry the visibility config's metric names, not the resources' names.
    const [[, webAcl]] = ofType(resources, 'AWS::WAFv2::WebACL') as [[string, Resource]];
    expect(dimension(alarm!, 'WebACL')).toBe(webAcl.Properties?.VisibilityConfig.MetricName);
    expect(dimension(alarm!, 'Rule')).toBe('ALL');
    expect(dimension(alarm!, 'Region')).toBe('eu-north-1');
  });

  it('has one dashboard with the flow, lead times, the queues, the errors, the stuck cases and the cost drivers', () => {
    const dashboards = ofType(resources, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]![1].Properties?.DashboardBody);
    for (const text of [
      'Referrals in',
      'NumberOfMessagesSent',
      'ApproximateAgeOfOldestMessage',
      '5XXError',
      'Throttles',
      METRICS.stuckCasesRedriven,
      METRICS.referralsReceived,
      METRICS.leadTimeToAccept,
      'ConsumedWriteCapacityUnits',
      'ConsumedReadCapacityUnits',
      'Invocations',
      'Duration',
    ]) {
      expect(body, text).toContain(text);
    }
  });
});

describe('Monitoring without alarmEmail', () => {
  it('has the topic but no subscription', () => {
    const { template } = synthesize(DEFAULT_DEPLOYMENT, { bundle: false });

    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('refuses an alarmEmail that is not an address', () => {
    expect(() =>
      synthesize(DEFAULT_DEPLOYMENT, { bundle: false, props: { alarmEmail: 'ops at kommun' } }),
    ).toThrow(/alarmEmail/);
  });
});
