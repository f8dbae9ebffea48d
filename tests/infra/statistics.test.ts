import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEPLOYMENT } from '../../shared/config/deployment.js';
import {
  findingsOf,
  functionsByName,
  ofType,
  type Resource,
  synthesize,
  type Violation,
} from '../helpers/synth-stack.js';

/** infra/constructs/statistics.ts: the monthly snapshot of open cases, and the statistics functions' rights. */
describe('Statistics', () => {
  let resources: Record<string, Resource>;
  let report: { pluginReports: { violations: Violation[] }[] };

  beforeAll(() => {
    ({ resources, report } = synthesize(DEFAULT_DEPLOYMENT, {
      bundle: false,
      props: { statsSuppressionThreshold: 7 },
    }));
  }, 120_000);

  it('has no unacknowledged cdk-nag finding', () => {
    expect(findingsOf(report)).toEqual([]);
  });

  it('snapshots open cases on the first of every month just after midnight, Stockholm time', () => {
    const schedules = ofType(resources, 'AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(1);
    const [, schedule] = schedules[0]!;
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: 'cron(5 0 1 * ? *)',
      ScheduleExpressionTimezone: 'Europe/Stockholm',
      State: 'ENABLED',
    });
    const snapshot = functionsByName(resources).get('snapshot-stats');
    expect(snapshot).toBeDefined();
    expect(JSON.stringify(schedule.Properties?.Target?.Arn)).toContain(snapshot!.id);
    expect(schedule.Properties?.Target?.RetryPolicy).toMatchObject({ MaximumRetryAttempts: 3 });
  });

  it('serves the statistics routes and follow-ups from their own functions, with the configured threshold', () => {
    const functions = functionsByName(resources);
    for (const name of [
      'get-stats',
      'get-stats-indicators',
      'get-stats-equity',
      'post-case-follow-up',
      'snapshot-stats',
    ]) {
      const fn = functions.get(name);
      expect(fn, name).toBeDefined();
      expect(fn!.fn.Properties?.Environment?.Variables?.STATS_SUPPRESSION_THRESHOLD, name).toBe('7');
    }
    const paths = ofType(resources, 'AWS::ApiGateway::Resource').map(
      ([, resource]) => resource.Properties?.PathPart,
    );
    expect(paths).toEqual(expect.arrayContaining(['stats', 'indicators', 'equity', 'follow-ups']));
  });

  it('refuses a threshold below 3 at synth', () => {
    expect(() =>
      synthesize(DEFAULT_DEPLOYMENT, { bundle: false, props: { statsSuppressionThreshold: 2 } }),
    ).toThrow(/at least 3/);
  });
});
