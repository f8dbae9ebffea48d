import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { METRICS } from '../../shared/config/metrics.js';

/** The business metrics the dashboard reads (infra/constructs/monitoring.ts), as CloudWatch parses them. */
let business: typeof import('../../shared/metrics.js');
const before = process.env.POWERTOOLS_METRICS_DISABLED;

beforeAll(async () => {
  // vitest.config.ts switches metrics off for every other test; this one reads them.
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  business = await import('../../shared/metrics.js');
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = before;
});

function emfOf(act: () => void) {
  const lines: Record<string, unknown>[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => {
    if (typeof chunk === 'string' && chunk.includes('"_aws"')) lines.push(JSON.parse(chunk));
    return true;
  }) as typeof process.stdout.write);
  act();
  return lines;
}

describe('business metrics', () => {
  it('counts a referral received, at once, in the FrontDesk namespace', () => {
    const [line] = emfOf(() => business.countReferralReceived());
    expect(line).toMatchObject({ [METRICS.referralsReceived]: 1, service: METRICS.service });
    expect(JSON.stringify(line)).toContain(`"Namespace":"${METRICS.namespace}"`);
  });

  it("records a team's lead time from routed to accepted in seconds, by team", () => {
    const [line] = emfOf(() =>
      business.recordLeadTimeToAccept(
        'labour-market-unit',
        '2026-12-03T08:00:00.000Z',
        '2026-12-04T09:30:00.000Z',
      ),
    );
    expect(line).toMatchObject({ [METRICS.leadTimeToAccept]: 91_800, team: 'labour-market-unit' });
  });
});
