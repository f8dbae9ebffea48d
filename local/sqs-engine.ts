import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type EngineProcess, superviseEngine } from './engine-process.js';

export type SqsEngine = EngineProcess;

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
  const client = new SQSClient({
    endpoint: `http://127.0.0.1:${options.port}`,
    region: options.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    return await superviseEngine(child, {
      name: 'The SQS engine',
      port: options.port,
      timeoutMs: 30_000,
      pollMs: 50,
      probe: () => client.send(new ListQueuesCommand({}), { abortSignal: AbortSignal.timeout(1000) }),
      hint: (printed) => (printed.includes('EADDRINUSE') ? ` Port ${options.port} is in use.` : ''),
      ...(options.onUnexpectedExit ? { onUnexpectedExit: options.onUnexpectedExit } : {}),
    });
  } finally {
    client.destroy();
  }
}
