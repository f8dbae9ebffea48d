/**
 * Child process of bench/run.ts: the load generator, kept out of the process that runs the stack so
 * that sending requests does not share an event loop with the handlers it measures.
 * Sends `count` POST /referrals with autocannon, `connections` at a time; every request gets a new
 * body (a different person) and a new Idempotency-Key through `setupRequest`.
 * Input: the BENCH_LOAD environment variable (JSON LoadInput). Output: one LoadOutput over IPC.
 */
import autocannon, { type AutocannonRequest } from 'autocannon';
import { runAsChild } from './lib/child.js';
import { benchReferral } from './lib/referral-body.js';

export type LoadInput = {
  /** Base URL of the API, e.g. http://127.0.0.1:41234 */
  url: string;
  token: string;
  count: number;
  connections: number;
  /** Requests per second over all connections; 0: as fast as the connections allow. */
  rate: number;
  /** Index of the first benchmark person (bench/lib/referral-body.ts); warm-up used the ones before. */
  firstIndex: number;
  /** Send an Idempotency-Key with every request, as an agency system that retries would. */
  idempotency: boolean;
  runId: string;
  timeoutSeconds: number;
};

export type Accepted = { referralId: string; caseId: string; attachedToExistingCase: boolean };

export type LoadOutput = {
  accepted: Accepted[];
  statusCounts: Record<string, number>;
  /** A few bodies of answers other than 202, to explain them. */
  failures: string[];
  /** Seconds from the first request to the last answer (autocannon's own clock). */
  durationSeconds: number;
  requestsSent: number;
  responses: number;
  errors: number;
  timeouts: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; average: number };
};

async function measure(input: LoadInput) {
  const accepted: Accepted[] = [];
  const statusCounts: Record<string, number> = {};
  const failures: string[] = [];
  let next = input.firstIndex;

  const request: AutocannonRequest = {
    method: 'POST',
    path: '/referrals',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${input.token}` },
    setupRequest: (req) => {
      const index = next++;
      return {
        ...req,
        body: JSON.stringify(benchReferral(index)),
        headers: {
          ...req.headers,
          ...(input.idempotency ? { 'idempotency-key': `bench-${input.runId}-${index}` } : {}),
        },
      };
    },
    onResponse: (status, body) => {
      statusCounts[status] = (statusCounts[status] ?? 0) + 1;
      if (status === 202) {
        accepted.push(JSON.parse(body) as Accepted);
      } else if (failures.length < 5) {
        failures.push(`${status} ${body.slice(0, 500)}`);
      }
    },
  };

  const result = await autocannon({
    url: input.url,
    connections: input.connections,
    amount: input.count,
    ...(input.rate > 0 ? { overallRate: input.rate } : {}),
    timeout: input.timeoutSeconds,
    requests: [request],
  });
  const output: LoadOutput = {
    accepted,
    statusCounts,
    failures,
    durationSeconds: result.duration,
    requestsSent: result.requests.sent,
    responses: Object.values(statusCounts).reduce((sum, count) => sum + count, 0),
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      average: result.latency.average,
    },
  };
  return output;
}

runAsChild('BENCH_LOAD', measure);
