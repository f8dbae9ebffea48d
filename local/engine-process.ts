import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalRuntimeError } from './errors.js';

/** A local engine (DynamoDB Local, the SQS engine) running in a process of its own. */
export type EngineProcess = { endpoint: string; pid: number | undefined; stop(): Promise<void> };

/** The last few kilobytes the engine printed, to explain a failed start. */
function tailOf(child: ChildProcess) {
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => output.trim();
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Watches an engine's child process: keeps the tail of what it prints, tells `onUnexpectedExit` when
 * it dies after it was ready (and not stopped), stops it with SIGTERM then SIGKILL, and waits until
 * `probe` answers. A start that fails (the process exits, or no answer within `timeoutMs`) stops the
 * child and throws a LocalRuntimeError naming the engine, the reason and what it printed.
 */
export async function superviseEngine(
  child: ChildProcess,
  options: {
    /** How the engine is named in errors: "DynamoDB Local", "The SQS engine". */
    name: string;
    port: number;
    timeoutMs: number;
    pollMs: number;
    probe: () => Promise<unknown>;
    /** A hint for a failed start, from what the engine printed (or ''). */
    hint?: (printed: string) => string;
    onUnexpectedExit?: (reason: string) => void;
  },
): Promise<EngineProcess> {
  const output = tailOf(child);
  let stopping = false;
  let ready = false;
  let exitReason: string | undefined;
  child.once('error', (error) => {
    exitReason = error.message;
  });
  child.once('exit', (code, signal) => {
    exitReason ??= `exited with ${signal ?? `code ${code}`}`;
    if (!stopping && ready) options.onUnexpectedExit?.(`${exitReason}\n${output()}`);
  });
  const stop = async () => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, 5000))) {
      child.kill('SIGKILL');
      await waitForExit(child, 5000);
    }
  };
  try {
    const deadline = Date.now() + options.timeoutMs;
    while (!ready) {
      if (exitReason) {
        const printed = output();
        throw new LocalRuntimeError(
          `${options.name} did not start: ${exitReason}.${options.hint?.(printed) ?? ''}\n${printed}`,
        );
      }
      if (Date.now() > deadline)
        throw new LocalRuntimeError(
          `${options.name} did not answer within ${options.timeoutMs / 1000} s.\n${output()}`,
        );
      try {
        await options.probe();
        ready = true;
      } catch {
        await sleep(options.pollMs);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint: `http://127.0.0.1:${options.port}`, pid: child.pid, stop };
}
