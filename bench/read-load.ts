/**
 * Child process of bench/run.ts (section 5): the read load, kept out of the process that runs the
 * stack as bench/load.ts is. For every target (an endpoint and the paths to send it to), first
 * `warmup` untimed GETs; then `count` timed GETs per target in `rounds` rounds that take the targets
 * in turn, so that whatever else the machine does falls on every target alike. `connections` requests
 * at a time; the i-th timed request of a target goes to `paths[i % paths.length]`, the warm-up ones to
 * `paths[count]`, `paths[count + 1]`, …. Each is timed from sending to the last byte of the body with
 * performance.now() (autocannon's histogram keeps whole milliseconds only).
 * Input: the BENCH_READ_LOAD environment variable (JSON ReadInput). Output: one ReadOutput over IPC.
 */
import { pool } from './e2e.js';
import { runAsChild } from './lib/child.js';

export type ReadInput = {
  /** Base URL of the API, e.g. http://127.0.0.1:41234 */
  url: string;
  token: string;
  targets: { name: string; paths: string[] }[];
  /** Timed requests per target, over all rounds. */
  count: number;
  rounds: number;
  connections: number;
  /** Untimed requests per target before the first round. */
  warmup: number;
  timeoutMs: number;
};

export type TargetOutput = {
  name: string;
  /** Latency of every 200 answer in milliseconds, per round. */
  roundsMs: number[][];
  statusCounts: Record<string, number>;
  /** A few bodies of answers other than 200, to explain them. */
  failures: string[];
  errors: number;
  /** Seconds the timed rounds of this target took, added up. */
  durationSeconds: number;
  /** Bytes of the 200 bodies, added up (to show what was read). */
  bodyBytes: number;
};

export type ReadOutput = { targets: TargetOutput[] };

async function measure(input: ReadInput) {
  const headers = { authorization: `Bearer ${input.token}` };
  const get = (path: string) =>
    fetch(`${input.url}${path}`, { headers, signal: AbortSignal.timeout(input.timeoutMs) });
  const range = (from: number, length: number) => Array.from({ length }, (_, index) => from + index);

  for (const target of input.targets) {
    await pool(range(input.count, input.warmup), input.connections, async (index) => {
      const response = await get(target.paths[index % target.paths.length] as string).catch(() => undefined);
      await response?.arrayBuffer();
    });
  }

  const outputs: TargetOutput[] = input.targets.map((target) => ({
    name: target.name,
    roundsMs: [],
    statusCounts: {},
    failures: [],
    errors: 0,
    durationSeconds: 0,
    bodyBytes: 0,
  }));
  const perRound = Math.ceil(input.count / input.rounds);
  for (let round = 0; round < input.rounds; round++) {
    const indexes = range(round * perRound, Math.min(perRound, input.count - round * perRound));
    for (const [position, target] of input.targets.entries()) {
      const output = outputs[position] as TargetOutput;
      const latencies: number[] = [];
      const started = performance.now();
      await pool(indexes, input.connections, async (index) => {
        const sent = performance.now();
        try {
          const response = await get(target.paths[index % target.paths.length] as string);
          const body = await response.text();
          const elapsed = performance.now() - sent;
          output.statusCounts[response.status] = (output.statusCounts[response.status] ?? 0) + 1;
          if (response.status === 200) {
            latencies.push(elapsed);
            output.bodyBytes += Buffer.byteLength(body);
          } else if (output.failures.length < 5) {
            output.failures.push(`${response.status} ${body.slice(0, 500)}`);
          }
        } catch (error) {
          output.errors++;
          if (output.failures.length < 5) {
            output.failures.push(error instanceof Error ? error.message : String(error));
          }
        }
      });
      output.durationSeconds += (performance.now() - started) / 1000;
      output.roundsMs.push(latencies);
    }
  }
  const result: ReadOutput = { targets: outputs };
  return result;
}

runAsChild('BENCH_READ_LOAD', measure);
