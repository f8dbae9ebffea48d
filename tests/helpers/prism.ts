import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { freePort } from '../../local/ports.js';

/** Prism's command line, run with this Node (no npx, no shell: the test owns the one process). */
const PRISM_CLI = createRequire(import.meta.url).resolve('@stoplight/prism-cli/dist/index.js');

export type Prism = {
  /** The proxy, e.g. http://127.0.0.1:4010 */
  url: string;
  /** What Prism printed (its log names every violation it found). */
  output(): string;
  stop(): Promise<void>;
};

/** One violation of the document, as Prism reports it in the `sl-violations` header. */
export type Violation = {
  location: string[];
  severity: 'Error' | 'Warning' | 'Information' | 'Hint';
  code?: string | number;
  message: string;
};

/** Prism's problem type when `--errors` turns a violation into an error answer of its own. */
export const PRISM_VIOLATIONS = 'https://stoplight.io/prism/errors#VIOLATIONS';

/** The violations Prism found in one exchange (none when the header is absent). */
export function violationsOf(response: Response): Violation[] {
  const header = response.headers.get('sl-violations');
  if (!header) return [];
  if (header.startsWith('Too many violations!')) {
    return [{ location: ['response'], severity: 'Error', message: header }];
  }
  return JSON.parse(header) as Violation[];
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts `prism proxy <document> <upstream>` on a free port of 127.0.0.1 and waits until it listens.
 * With `errors`, Prism answers a request that violates the document itself (401, 422, 415) without
 * forwarding it, and turns a response that violates it into a 500 of type PRISM_VIOLATIONS; without,
 * it forwards everything and names what it found in the `sl-violations` header only.
 */
export async function startPrismProxy(options: {
  document: string;
  upstream: string;
  errors: boolean;
  timeoutMs?: number;
}): Promise<Prism> {
  const port = await freePort();
  const args = [PRISM_CLI, 'proxy', options.document, options.upstream];
  args.push('--host', '127.0.0.1', '--port', String(port), `--errors=${options.errors}`);
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    // No colours in the log; nothing of the test's environment that Prism does not need.
    env: { PATH: process.env.PATH, NODE_ENV: 'test', FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const prism: Prism = {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: () => stopProcess(child),
  };
  const timeoutMs = options.timeoutMs ?? 20_000;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Prism did not listen within ${timeoutMs} ms:\n${output}`)),
        timeoutMs,
      );
      const onData = () => {
        if (/Prism is listening on/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`Prism exited (${code ?? signal}) before it listened:\n${output}`));
      });
    });
  } catch (error) {
    await prism.stop();
    throw error;
  }
  return prism;
}
