import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS } from './config/metrics.js';
import { logger } from './logger.js';

/**
 * Business metrics as CloudWatch embedded metric format lines (Powertools Metrics, no PutMetricData),
 * published at once: each is one event of a request, not a total over an invocation.
 */
const metrics = new Metrics({ namespace: METRICS.namespace, serviceName: METRICS.service, logger });

export function countReferralReceived(): void {
  metrics.addMetric(METRICS.referralsReceived, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}

/** The lead time of one team from routed to accepted, in seconds, by team (a single metric: flushed at once). */
export function recordLeadTimeToAccept(team: string, routedAt: string, acceptedAt: string): void {
  const seconds = (Date.parse(acceptedAt) - Date.parse(routedAt)) / 1000;
  if (!Number.isFinite(seconds) || seconds < 0) return;
  const single = metrics.singleMetric();
  single.addDimension('team', team);
  single.addMetric(METRICS.leadTimeToAccept, MetricUnit.Seconds, Math.round(seconds));
}
