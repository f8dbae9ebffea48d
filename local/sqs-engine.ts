import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LocalRuntimeError } from './errors.js';

export type SqsEngine = { endpoint: string; pid: number | undefined; stop(): Promise<void> };

/**
 * The child's program: fauxqs on the given port, quiet, and gone as soon as its parent is (its
 * stdin closes then), so that a killed `npm start` leaves no engine behind.
 */
const PROGRAM = `
import { startFauxqs } from 'fauxqs';
process.stdin.on('end', () => process.exit(0)).resume();
await startFauxqs({ port: Number(process.env.FAUXQS_PORT), logger: false, defaultRegion: process.env.FAUXQS_DEFAULT_REGION });
`;

/** Where `fauxqs` resolves from (the repository root). */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

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
 * Starts fauxqs (the SQS JSON protocol, in memory) in a process of its own, so that it can die (and
 * be restarted) apart from the runtime, as DynamoDB Local can; waits until it answers ListQueues.
 */
export async function startSqsEngine(options: {
  port: number;
  region: string;
  onUnexpectedExit?: (reason: string) => void;
}): Promise<SqsEngine> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', PROGRAM], {
    cwd: ROOT,
    env: { ...process.env, FAUXQS_PORT: String(options.port), FAUXQS_DEFAULT_REGION: options.region },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  });
  let stopping = false;
  let ready = false;
  let exitReason: string | undefined;
  child.once('error', (error) => {
    exitReason = error.message;
  });
  child.once('exit', (code, signal) => {
    exitReason ??= `exited with ${signal ?? `code ${code}`}`;
    if (!stopping && ready) options.onUnexpectedExit?.(`${exitReason}\n${output.trim()}`);
  });

  const endpoint = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, 5000))) {
      child.kill('SIGKILL');
      await waitForExit(child, 5000);
    }
  };

  const client = new SQSClient({
    endpoint,
    region: options.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    const deadline = Date.now() + 30_000;
    while (!ready) {
      if (exitReason) {
        const busy = output.includes('EADDRINUSE') ? ` Port ${options.port} is in use.` : '';
        throw new LocalRuntimeError(`The SQS engine did not start: ${exitReason}.${busy}\n${output.trim()}`);
      }
      if (Date.now() > deadline)
        throw new LocalRuntimeError(`The SQS engine did not answer within 30 s.\n${output.trim()}`);
      try {
        await client.send(new ListQueuesCommand({}), { abortSignal: AbortSignal.timeout(1000) });
        ready = true;
      } catch {
        await sleep(50);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, pid: child.pid, stop };
}
