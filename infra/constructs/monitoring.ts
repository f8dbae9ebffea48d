import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type DeploymentConfig, serviceLevelsOf } from '../../shared/config/deployment.js';
import { METRICS } from '../../shared/config/metrics.js';
import { REDRIVE } from '../../shared/config/resources.js';
import type { LambdaFunction } from './lambda-function.js';

export interface MonitoringProps {
  readonly deployment: DeploymentConfig;
  /** Encrypts the alarm topic (the stack's customer-managed key). */
  readonly encryptionKey: kms.IKey;
  /** An address the topic mails every alarm to (context alarmEmail); none: subscribe later. */
  readonly alarmEmail?: string;
  /** Team id → the team's queue. */
  readonly teamQueues: Readonly<Record<string, sqs.IQueue>>;
  /** Dead-letter queue name → the queue: every queue a message can end in. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  /** Function name (`functions/<fn>.ts`) → its house function. */
  readonly functions: ReadonlyMap<string, LambdaFunction>;
  readonly restApi: apigateway.RestApi;
  /** Requests the web ACL blocked, every rule together (WebFirewall.metricBlockedRequests). */
  readonly wafBlockedRequests: cloudwatch.IMetric;
  readonly table: dynamodb.ITable;
  /**
   * Blocked requests in five minutes that count as a surge. The rate limit alone blocks one address
   * after 1,500 requests in five minutes, so a few hundred blocks is someone hammering, not a stray scan.
   * @default 300
   */
  readonly wafBlockedSurge?: number;
}

const FIVE_MINUTES = Duration.minutes(5);
const SECONDS_PER_DAY = 24 * 60 * 60;

/** `front-desk` → `FrontDesk`, for construct ids. */
const pascalCase = (id: string) =>
  id
    .split(/[^a-zA-Z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/**
 * Alarms on everything that means a case waits unseen or a request failed, all sent to one SNS topic
 * (encrypted with the stack's key; `-c alarmEmail=…` subscribes an address), and one dashboard with
 * the flow, the teams' queues, the errors and the cost drivers. What each alarm means and what to do:
 * README, "Runbook".
 */
export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `Front Desk alarms (${props.deployment.municipalityName})`,
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    // CloudWatch publishes to an encrypted topic only when the key policy lets it use the key.
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    props.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToTheEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    if (props.alarmEmail !== undefined) {
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(props.alarmEmail)) {
        throw new Error(`alarmEmail: "${props.alarmEmail}" is not an e-mail address`);
      }
      // SNS mails a confirmation link first; nothing arrives until someone follows it.
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    // Any message in any dead-letter queue: something failed five times and nobody will retry it.
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarm(`DeadLetter${pascalCase(name)}`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        alarmDescription: `A message is in the dead-letter queue ${name}. Runbook: "Dead-letter queue" (npm run dlq -- --queue ${name}).`,
      });
    }

    // The oldest message on a team's queue is older than the team's service level: the team (or its
    // system) is behind. The service level counts working days (Monday–Friday, Swedish public holidays
    // excluded) and CloudWatch can only compare a number of seconds, so a working-day-exact alarm is not
    // possible: days count as calendar days here. Over a weekend or a holiday the alarm can therefore
    // fire before the case is overdue by the calendar; the escalation sweep (case.escalated) is exact.
    const serviceLevel = serviceLevelsOf(props.deployment);
    for (const [team, queue] of Object.entries(props.teamQueues)) {
      const level = serviceLevel(team);
      const seconds = level.days * SECONDS_PER_DAY + Math.ceil(level.milliseconds / 1000);
      this.alarm(`QueueAge${pascalCase(team)}`, {
        metric: queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        threshold: seconds,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        alarmDescription: `The oldest message on team ${team}'s queue has waited more than its service level (${seconds} s, days counted as calendar days). Runbook: "Team queue age".`,
      });
    }

    // A few 5xx can be a DynamoDB hiccup a retry absorbs; five in five minutes is not.
    this.alarm('Api5xx', {
      metric: props.restApi.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
      threshold: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: 'The API answered 5 or more 5xx in five minutes. Runbook: "API 5xx".',
    });

    // The functions map their own errors to problem+json, so a function error is an unhandled failure
    // or a timeout: every one counts. So does every throttle (the account's concurrency ran out).
    for (const [name, fn] of props.functions) {
      this.alarm(`Errors${pascalCase(name)}`, {
        metric: fn.function.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: `Function ${name} failed (error or timeout). Runbook: "Function errors".`,
      });
      this.alarm(`Throttles${pascalCase(name)}`, {
        metric: fn.function.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: `Function ${name} was throttled. Runbook: "Throttles".`,
      });
    }

    // Cases stuck before ROUTED, as the re-drive counts them (functions/redrive-cases.ts). One run that
    // re-drives a case is the design working (a failed hand-over, fixed); stuck cases on two runs in a
    // row mean the re-drive is not getting them through.
    const stuckCases = new cloudwatch.Metric({
      namespace: METRICS.namespace,
      metricName: METRICS.stuckCasesRedriven,
      dimensionsMap: { service: METRICS.service },
      period: Duration.minutes(REDRIVE.everyMinutes),
      statistic: 'Maximum',
    });
    this.alarm('StuckCases', {
      metric: stuckCases,
      threshold: 1,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: `The re-drive found cases stuck before ROUTED on two runs in a row (${REDRIVE.everyMinutes} minutes apart). Runbook: "Stuck cases".`,
    });

    const wafSurge = props.wafBlockedSurge ?? 300;
    this.alarm('WafBlockedSurge', {
      metric: props.wafBlockedRequests,
      threshold: wafSurge,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: `AWS WAF blocked ${wafSurge} or more requests in five minutes. Runbook: "WAF blocks surging".`,
    });

    this.dashboard = this.buildDashboard(props, stuckCases, stack.region);
  }

  /** Every alarm tells the topic when it fires and when it is over; no data is no alarm. */
  private alarm(
    id: string,
    props: Omit<cloudwatch.AlarmProps, 'evaluationPeriods'> & { evaluationPeriods?: number },
  ) {
    const alarm = new cloudwatch.Alarm(this, id, {
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...props,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }

  private buildDashboard(props: MonitoringProps, stuckCases: cloudwatch.Metric, region: string) {
    const sum = { period: FIVE_MINUTES, statistic: 'Sum' } as const;
    const max = { period: FIVE_MINUTES, statistic: 'Maximum' } as const;
    const teams = Object.entries(props.teamQueues);
    const functions = [...props.functions];
    const submit = props.functions.get('submit-referral');
    const graph = (
      title: string,
      left: cloudwatch.IMetric[],
      extra: Partial<cloudwatch.GraphWidgetProps> = {},
    ) => new cloudwatch.GraphWidget({ title, left, width: 12, height: 6, region, ...extra });

    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
    });
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 }),
    );
    // Business metrics the functions publish as EMF (shared/metrics.ts).
    const business = (metricName: string, statistic: string, label: string, team?: string) =>
      new cloudwatch.Metric({
        namespace: METRICS.namespace,
        metricName,
        dimensionsMap: { service: METRICS.service, ...(team ? { team } : {}) },
        period: Duration.hours(1),
        statistic,
        label,
      });
    dashboard.addWidgets(
      graph('Referrals in (stored referrals; a replayed Idempotency-Key does not count)', [
        business(METRICS.referralsReceived, 'Sum', 'referrals in'),
        ...(submit ? [submit.function.metricInvocations({ ...sum, label: 'POST /referrals calls' })] : []),
      ]),
      graph(
        'Routed: messages sent to each team queue',
        teams.map(([team, queue]) => queue.metricNumberOfMessagesSent({ ...sum, label: team })),
        { stacked: true },
      ),
    );
    dashboard.addWidgets(
      graph(
        'Team queue depth (visible messages)',
        teams.map(([team, queue]) => queue.metricApproximateNumberOfMessagesVisible({ ...max, label: team })),
      ),
      graph(
        'Team queue age (oldest message, seconds)',
        teams.map(([team, queue]) => queue.metricApproximateAgeOfOldestMessage({ ...max, label: team })),
      ),
    );
    dashboard.addWidgets(
      graph(
        'Errors: API 5xx/4xx and dead-letter queues',
        [
          props.restApi.metricServerError({ ...sum, label: 'API 5xx' }),
          props.restApi.metricClientError({ ...sum, label: 'API 4xx' }),
        ],
        {
          right: Object.entries(props.deadLetterQueues).map(([name, queue]) =>
            queue.metricApproximateNumberOfMessagesVisible({ ...max, label: name }),
          ),
        },
      ),
      graph(
        'Function errors',
        functions.map(([name, fn]) => fn.function.metricErrors({ ...sum, label: name })),
      ),
    );
    dashboard.addWidgets(
      graph(
        'Function throttles',
        functions.map(([name, fn]) => fn.function.metricThrottles({ ...sum, label: name })),
      ),
      graph('Stuck cases re-driven, and WAF blocks', [stuckCases.with({ label: 'stuck cases re-driven' })], {
        right: [props.wafBlockedRequests],
      }),
    );
    dashboard.addWidgets(
      graph('Cost driver: DynamoDB consumed capacity', [
        props.table.metricConsumedWriteCapacityUnits({ ...sum, label: 'write units' }),
        props.table.metricConsumedReadCapacityUnits({ ...sum, label: 'read units' }),
      ]),
      graph(
        'Cost driver: Lambda invocations',
        functions.map(([name, fn]) => fn.function.metricInvocations({ ...sum, label: name })),
      ),
    );
    dashboard.addWidgets(
      graph(
        'Lead time: routed → accepted, median per team (seconds)',
        teams.map(([team]) => business(METRICS.leadTimeToAccept, 'p50', team, team)),
      ),
      graph(
        'Cost driver: Lambda duration (sum, ms)',
        functions.map(([name, fn]) => fn.function.metricDuration({ ...sum, label: name })),
      ),
    );
    return dashboard;
  }
}
