/**
 * Section 6 of `npm run bench`: a burst of POST /referrals at stepped rates, 10 → 50 → 100 → 200
 * requests/s, with idle gaps between the steps, as agency systems catching up after an outage would
 * send them. Figures only, never a test: every answer should be a 2xx and nothing should fail.
 *
 * Each step offers `rate × STEP_SECONDS` requests at `rate` per second (autocannon's overallRate, at
 * most MAX_CONNECTIONS at a time) and waits for every answer, so each step is bounded in count; a step
 * still running after STEP_LIMIT_SECONDS is stopped (its unanswered requests are reported as cut off).
 * Every request is a new person (bench/lib/referral-body.ts, people BURST_FIRST_INDEX on: born in
 * 1980 after those of sections 3 and 4, never the seeded cases' years) with its own Idempotency-Key.
 * All traffic goes to 127.0.0.1.
 *
 * This file is also the load generator's program: bench/run.ts imports it, and it forks itself with
 * BENCH_BURST set, so that sending requests does not share an event loop with the handlers measured.
 */
import { fileURLToPath } from 'node:url';
import autocannon, { type AutocannonOptions, type AutocannonRequest } from 'autocannon';
import type { LocalStack } from '../local/runtime.js';
import { runChild, type Tracker } from './e2e.js';
import { runAsChild } from './lib/child.js';
import { benchReferral } from './lib/referral-body.js';
import { fixed, note, section, table } from './lib/report.js';

export const BURST_RATES = [10, 50, 100, 200] as const;
const STEP_SECONDS = 5;
const GAP_SECONDS = 5;
const STEP_LIMIT_SECONDS = 60;
const MAX_CONNECTIONS = 50;
/** After the largest warm-up + load of section 3 (200 + 5,000); the ≈ 1,800 people after it are still born in 1980. */
const BURST_FIRST_INDEX = 5200;
const SELF = fileURLToPath(import.meta.url);

type BurstInput = {
  url: string;
  token: string;
  runId: string;
  rates: number[];
  stepSeconds: number;
  gapSeconds: number;
  stepLimitSeconds: number;
  firstIndex: number;
};

export type BurstStep = {
  targetRate: number;
  connections: number;
  sent: number;
  status2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  cutOff: number;
  seconds: number;
  achievedRate: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  statusCounts: Record<string, number>;
  /** A few answers other than 2xx, to explain them. */
  failures: string[];
};

/** The next person: one counter for all steps (autocannon may prepare a request it never sends). */
let next = 0;

async function step(input: BurstInput, rate: number): Promise<BurstStep> {
  const amount = rate * input.stepSeconds;
  const connections = Math.min(MAX_CONNECTIONS, rate);
  const statusCounts: Record<string, number> = {};
  const failures: string[] = [];
  const request: AutocannonRequest = {
    method: 'POST',
    path: '/referrals',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${input.token}` },
    setupRequest: (req) => {
      const index = next++;
      return {
        ...req,
        body: JSON.stringify(benchReferral(index)),
        headers: { ...req.headers, 'idempotency-key': `burst-${input.runId}-${index}` },
      };
    },
    onResponse: (status, body) => {
      statusCounts[status] = (statusCounts[status] ?? 0) + 1;
      if ((status < 200 || status > 299) && failures.length < 5)
        failures.push(`${status} ${body.slice(0, 300)}`);
    },
  };
  const options: AutocannonOptions & { overallRate: number } = {
    url: input.url,
    connections,
    amount,
    overallRate: rate,
    timeout: 10,
    requests: [request],
  };
  const started = performance.now();
  const instance = autocannon(options);
  const limit = setTimeout(() => instance.stop(), input.stepLimitSeconds * 1000);
  const result = await instance;
  clearTimeout(limit);
  const seconds = (performance.now() - started) / 1000;
  const answered = Object.values(statusCounts).reduce((sum, count) => sum + count, 0);
  const status2xx = Object.entries(statusCounts)
    .filter(([status]) => status.startsWith('2'))
    .reduce((sum, [, count]) => sum + count, 0);
  // autocannon counts a request a rate-limited connection holds back as sent too: at most `amount` went out.
  const out = Math.min(result.requests.sent, amount);
  return {
    targetRate: rate,
    connections,
    sent: out,
    status2xx,
    non2xx: answered - status2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    cutOff: Math.max(0, out - answered - result.errors - result.timeouts),
    seconds,
    achievedRate: answered / seconds,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    statusCounts,
    failures,
  };
}

async function measure(input: BurstInput): Promise<BurstStep[]> {
  const steps: BurstStep[] = [];
  next = input.firstIndex;
  for (const [index, rate] of input.rates.entries()) {
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, input.gapSeconds * 1000));
    steps.push(await step(input, rate));
  }
  return steps;
}

/** Runs the burst against the local stack, prints a row per step and returns the figures. */
export async function burstSection(stack: LocalStack, track: Tracker, runId: string) {
  section(
    `6. Burst: POST /referrals at ${BURST_RATES.join(' → ')} requests/s, ${STEP_SECONDS} s of requests each, ${GAP_SECONDS} s idle between`,
  );
  const url = `http://127.0.0.1:${stack.port}`;
  const input: BurstInput = {
    url,
    token: await stack.issueToken('employment-officer'),
    runId,
    rates: [...BURST_RATES],
    stepSeconds: STEP_SECONDS,
    gapSeconds: GAP_SECONDS,
    stepLimitSeconds: STEP_LIMIT_SECONDS,
    firstIndex: BURST_FIRST_INDEX,
  };
  const limitMs = (BURST_RATES.length * (STEP_LIMIT_SECONDS + GAP_SECONDS) + 30) * 1000;
  const steps = await runChild<BurstInput, BurstStep[]>(
    SELF,
    'BENCH_BURST',
    input,
    limitMs,
    track,
    'The burst',
  );
  console.log(
    table(
      [
        'target/s',
        'connections',
        'sent',
        '2xx',
        'non-2xx',
        'errors',
        'p50 ms',
        'p99 ms',
        'max ms',
        'answered/s',
        'seconds',
      ],
      steps.map((entry) => [
        entry.targetRate,
        entry.connections,
        entry.sent,
        entry.status2xx,
        entry.non2xx,
        entry.errors + entry.timeouts + entry.cutOff,
        fixed(entry.latencyMs.p50, 0),
        fixed(entry.latencyMs.p99, 0),
        fixed(entry.latencyMs.max, 0),
        fixed(entry.achievedRate, 1),
        fixed(entry.seconds, 1),
      ]),
    ),
  );
  const errors = steps.reduce((sum, entry) => sum + entry.errors + entry.timeouts + entry.cutOff, 0);
  const non2xx = steps.reduce((sum, entry) => sum + entry.non2xx, 0);
  note(
    errors === 0 && non2xx === 0
      ? 'Every request was answered with a 2xx: 0 errors.'
      : `Expected 0 errors and 0 non-2xx; got ${errors} errors (connection errors, timeouts after 10 s, cut off after ${STEP_LIMIT_SECONDS} s) and ${non2xx} non-2xx.`,
  );
  for (const entry of steps)
    for (const failure of entry.failures) note(`${entry.targetRate}/s answer: ${failure}`);
  note(
    `Each step offers target × ${STEP_SECONDS} requests at the target rate (at most ${MAX_CONNECTIONS} at a time) and ` +
      'waits for every answer: where the local stack cannot keep up, a step takes longer than ' +
      `${STEP_SECONDS} s and answered/s shows what it managed. Each request a new person with its own Idempotency-Key; ` +
      'the table holds the cases of sections 3–5; screening goes on in the same process meanwhile.',
  );
  return { stepSeconds: STEP_SECONDS, gapSeconds: GAP_SECONDS, maxConnections: MAX_CONNECTIONS, steps };
}

if (process.env.BENCH_BURST) runAsChild('BENCH_BURST', measure);
