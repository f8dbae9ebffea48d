/**
 * Every HTTP route of the API and the function that serves it. The CDK stack and the local runtime
 * both build from this list, so a route cannot exist in one and not the other.
 */
export type Route = {
  method: 'GET' | 'POST';
  /** API Gateway path syntax: `{name}` for a path parameter. */
  path: string;
  /** The file under `functions/` (without `.ts`) whose `handler` serves it. */
  fn: string;
  /** `false` only for the two public documents; everything else needs a token. */
  authorized: boolean;
};

export const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/health', fn: 'get-health', authorized: false },
  { method: 'GET', path: '/openapi.json', fn: 'get-openapi', authorized: false },
  { method: 'POST', path: '/referrals', fn: 'submit-referral', authorized: true },
  { method: 'GET', path: '/referrals', fn: 'list-referrals', authorized: true },
  { method: 'GET', path: '/referrals/{referralId}', fn: 'get-referral', authorized: true },
  { method: 'GET', path: '/cases', fn: 'list-cases', authorized: true },
  { method: 'GET', path: '/cases/{caseId}', fn: 'get-case', authorized: true },
  { method: 'POST', path: '/cases/{caseId}/events', fn: 'post-case-event', authorized: true },
  { method: 'POST', path: '/cases/{caseId}/notes', fn: 'post-case-note', authorized: true },
  { method: 'GET', path: '/cases/{caseId}/audit', fn: 'get-case-audit', authorized: true },
  { method: 'POST', path: '/cases/{caseId}/follow-ups', fn: 'post-case-follow-up', authorized: true },
  { method: 'GET', path: '/stats', fn: 'get-stats', authorized: true },
  { method: 'GET', path: '/stats/indicators', fn: 'get-stats-indicators', authorized: true },
  { method: 'GET', path: '/stats/equity', fn: 'get-stats-equity', authorized: true },
];

/** Functions that are not behind a route: the screening consumer, the scheduled re-drive and the monthly snapshot. */
export const BACKGROUND_FUNCTIONS = ['screen-case', 'redrive-cases', 'snapshot-stats'] as const;
