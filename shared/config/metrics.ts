/**
 * The business metrics the functions publish (shared/metrics.ts, as CloudWatch embedded metric format
 * lines on stdout) and the alarms and the dashboard read (infra/constructs/monitoring.ts): one name
 * for both sides, so that an alarm never watches a metric nobody publishes.
 */
export const METRICS = {
  namespace: 'FrontDesk',
  /** The `service` dimension of every metric. */
  service: 'front-desk',
  /**
   * Cases the scheduled re-drive found still waiting for screening or for a delivery to a team queue
   * (stuck before ROUTED) and handed to the screening queue again; 0 on a run that found none.
   */
  stuckCasesRedriven: 'StuckCasesRedriven',
  /** Referrals stored (a replayed Idempotency-Key does not count): "referrals in". */
  referralsReceived: 'ReferralsReceived',
  /** Seconds from a team's `routed` to its `accepted`, with the team as a dimension: the lead time. */
  leadTimeToAccept: 'LeadTimeToAcceptSeconds',
} as const;
