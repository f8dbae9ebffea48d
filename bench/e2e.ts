import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchReferral } from './lib/referral-body.js';
import type { Accepted, LoadInput, LoadOutput } from './load.js';

const LOAD = fileURLToPath(new URL('./load.ts', import.meta.url));

export type Tracker = (stop: () => void) => () => void;

/** Runs `work` over `items`, at most `concurrency` at a time; takes no new item once `isStopped`. */
export async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
  isStopped: () => boolean = () => false,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !isStopped()) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** A few referrals before the measured run, so the JIT of DynamoDB Local and of the handlers is warm. */
export async function warmUp(
  base: string,
  token: string,
  count: number,
  runId: string,
  isStopped: () => boolean,
): Promise<Accepted[]> {
  const indexes = Array.from({ length: count }, (_, index) => index);
  const accepted = await pool(
    indexes,
    5,
    async (index) => {
      const response = await fetch(`${base}/referrals`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'idempotency-key': `bench-${runId}-${index}`,
        },
        body: JSON.stringify(benchReferral(index)),
        signal: AbortSignal.timeout(10_000),
      });
      const body = await response.text();
      if (response.status !== 202) throw new Error(`Warm-up referral answered ${response.status}: ${body}`);
      return JSON.parse(body) as Accepted;
    },
    isStopped,
  );
  return accepted.filter(Boolean);
}

/**
 * Runs a measuring script of the bench in its own process: its input as JSON in the environment
 * variable `variable`, its figures as one IPC message. Killed after `limitMs` or when the bench stops.
 */
export function runChild<Input, Output>(
  file: string,
  variable: string,
  input: Input,
  limitMs: number,
  track: Tracker,
  name: string,
): Promise<Output> {
  return new Promise((resolve, reject) => {
    const child = fork(file, [], {
      env: { ...process.env, [variable]: JSON.stringify(input) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let output: Output | undefined;
    const untrack = track(() => child.kill('SIGTERM'));
    const timer = setTimeout(() => child.kill('SIGTERM'), limitMs);
    child.on('message', (message) => {
      output = message as Output;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      untrack();
      if (output) resolve(output);
      else reject(new Error(`${name} stopped without figures (exit ${code ?? signal})`));
    });
  });
}

/** Runs the load generator (bench/load.ts) in its own process and waits for its figures. */
export function runLoad(input: LoadInput, limitMs: number, track: Tracker): Promise<LoadOutput> {
  return runChild(LOAD, 'BENCH_LOAD', input, limitMs, track, 'The load generator');
}

export type ReferralView = {
  referralId: string;
  caseId: string;
  status: string;
  history: { at: string; event: string; team?: string }[];
};

/**
 * Polls GET /referrals/{id} until every referral's case has left RECEIVED (or the time is up).
 * Polling only reads; the figures come from the server's own timestamps in the history.
 */
export async function waitUntilRouted(
  base: string,
  token: string,
  referralIds: readonly string[],
  options: { limitMs: number; concurrency: number; isStopped: () => boolean },
): Promise<{ views: Map<string, ReferralView>; polls: number; waitedMs: number }> {
  const started = Date.now();
  const views = new Map<string, ReferralView>();
  let pending = [...referralIds];
  let polls = 0;
  while (pending.length > 0 && Date.now() - started < options.limitMs && !options.isStopped()) {
    await pool(
      pending,
      options.concurrency,
      async (referralId) => {
        polls++;
        const response = await fetch(`${base}/referrals/${referralId}`, {
          headers: { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(10_000),
        }).catch(() => undefined);
        if (!response?.ok) return;
        const view = (await response.json()) as ReferralView;
        if (view.status !== 'RECEIVED') views.set(referralId, view);
      },
      options.isStopped,
    );
    pending = pending.filter((referralId) => !views.has(referralId));
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { views, polls, waitedMs: Date.now() - started };
}

/** The server's own times of one referral: received (its POST) and the first routing of its case. */
export function routingTimes(view: ReferralView): { receivedAt: number; routedAt: number } | undefined {
  const received = view.history.find((step) => step.event === 'received');
  const routed = view.history
    .filter((step) => step.event === 'routed')
    .map((step) => Date.parse(step.at))
    .sort((a, b) => a - b)[0];
  if (!received || routed === undefined) return undefined;
  return { receivedAt: Date.parse(received.at), routedAt: routed };
}
