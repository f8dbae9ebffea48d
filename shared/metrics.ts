import { METRICS } from './config/metrics.js';

/**
 * Business metrics as CloudWatch embedded metric format lines on stdout (no PutMetricData), each
 * published at once: one event of a request, not a total over an invocation. The lines are the ones
 * Powertools Metrics wrote (the FrontDesk namespace, the `service` dimension first, the metric's own
 * dimensions after it), without its 15 KiB in the bundles of the functions that publish. As in
 * Powertools, POWERTOOLS_METRICS_DISABLED switches them off or on, and when it is unset POWERTOOLS_DEV
 * switches them off; read once, when the module loads.
 */
export type MetricUnit = 'Count' | 'Seconds';

const TRUTHY = new Set(['1', 'y', 'yes', 't', 'true', 'on']);
const isTrue = (value: string | undefined) => TRUTHY.has(value?.trim().toLowerCase() ?? '');

const disabled =
  process.env.POWERTOOLS_METRICS_DISABLED !== undefined
    ? isTrue(process.env.POWERTOOLS_METRICS_DISABLED)
    : isTrue(process.env.POWERTOOLS_DEV);

/** One metric, one EMF document: dimensions `service` and then the given ones, in that order. */
export function publishMetric(
  name: string,
  unit: MetricUnit,
  value: number,
  dimensions: Readonly<Record<string, string>> = {},
): void {
  if (disabled) return;
  const dimensionValues = { service: METRICS.service, ...dimensions };
  const document = {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: METRICS.namespace,
          Dimensions: [Object.keys(dimensionValues)],
          Metrics: [{ Name: name, Unit: unit }],
        },
      ],
    },
    ...dimensionValues,
    [name]: value,
  };
  process.stdout.write(`${JSON.stringify(document)}\n`);
}

export function countReferralReceived(): void {
  publishMetric(METRICS.referralsReceived, 'Count', 1);
}

/** The lead time of one team from routed to accepted, in seconds, by team. */
export function recordLeadTimeToAccept(team: string, routedAt: string, acceptedAt: string): void {
  const seconds = (Date.parse(acceptedAt) - Date.parse(routedAt)) / 1000;
  if (!Number.isFinite(seconds) || seconds < 0) return;
  publishMetric(METRICS.leadTimeToAccept, 'Seconds', Math.round(seconds), { team });
}
