import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyDataDir, prepareDataDir } from '../../local/data-dir.js';
import { superviseEngine } from '../../local/engines.js';
import { freePort } from '../../local/ports.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { referralBody } from '../helpers/referrals.js';

/** Retries `probe` until it returns something, or fails with what it last saw. */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Nothing within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * The local runtime on a data directory (CONTRACT.md v1.1, "Local runtime additions"): a stored
 * case outlives a restart, and an engine that dies is started again on the same data while GET
 * /health says it is down. Every stack in this file runs on the same ports, as the functions keep
 * their cold-start environment for the whole process.
 */
describe('the local runtime on a data directory', () => {
  let dataDir: string;
  let ports: { port: number; dynamoPort: number; sqsPort: number };
  let stack: LocalStack | undefined;
  let referral: { referralId: string; caseId: string } | undefined;

  const url = () => `http://localhost:${ports.port}`;
  const health = async () => (await fetch(`${url()}/health`)).status;
  const tokenFor = (user: string) => (stack as LocalStack).issueToken(user);
  const submit = async () => {
    const response = await fetch(`${url()}/referrals`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${await tokenFor('employment-officer')}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(referralBody('employment-service')),
    });
    expect(response.status).toBe(202);
    return (await response.json()) as { referralId: string; caseId: string };
  };
  const statusOf = async (referralId: string) => {
    const response = await fetch(`${url()}/referrals/${referralId}`, {
      headers: { Authorization: `Bearer ${await tokenFor('employment-officer')}` },
    });
    return response.status === 200
      ? ((await response.json()) as { status: string; caseId: string })
      : undefined;
  };
  const routed = (referralId: string, timeoutMs = 60_000) =>
    eventually(async () => {
      const view = await statusOf(referralId);
      return view?.status === 'ROUTED' ? view : undefined;
    }, timeoutMs);
  /** The stack as `npm start` runs it, but quiet and with a re-drive that runs every second. */
  const start = (options: { screeningConsumer?: boolean } = {}) =>
    startLocalStack({
      ...ports,
      dataDir,
      quiet: true,
      web: false,
      visibilityTimeoutSeconds: 1,
      redriveEverySeconds: 1,
      redriveOlderThanSeconds: 0,
      ...options,
    });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'frontdesk-data-'));
    ports = { port: await freePort(), dynamoPort: await freePort(), sqsPort: await freePort() };
  });

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('routes a case stored before a restart whose screening message the restart lost', async () => {
    // The screening queue's consumer is disabled, so the message waits on the queue when the stack stops.
    stack = await start({ screeningConsumer: false });
    const dynamoPid = stack.engines().dynamodb.pid as number;
    referral = await submit();
    expect((await statusOf(referral.referralId))?.status).toBe('RECEIVED');
    await stack.stop();
    stack = undefined;
    expect(isRunning(dynamoPid)).toBe(false);
    expect(readdirSync(dataDir)).toContain('shared-local-instance.db');

    stack = await start();

    // fauxqs starts empty: only the scheduled re-drive, reading the stored case, can route it now.
    const view = await routed(referral.referralId);
    expect(view.caseId).toBe(referral.caseId);
  }, 180_000);

  it('restarts DynamoDB Local killed with SIGKILL on the same data; /health is not 200 meanwhile', async () => {
    const running = stack as LocalStack;
    const before = running.engines().dynamodb.pid as number;
    expect(await health()).toBe(200);

    process.kill(before, 'SIGKILL');

    expect(await health()).toBe(503);
    await eventually(async () => ((await health()) === 200 ? true : undefined), 120_000);
    const after = running.engines().dynamodb;
    expect(after).toMatchObject({ external: false, state: 'up' });
    expect(after.pid).not.toBe(before);
    expect(isRunning(before)).toBe(false);
    // The case stored before the kill is still there, and a new referral goes all the way again.
    expect(await statusOf((referral as { referralId: string }).referralId)).toMatchObject({
      status: 'ROUTED',
    });
    const next = await submit();
    await routed(next.referralId);
  }, 180_000);

  it('restarts the SQS engine killed with SIGKILL, with its queues; /health is not 200 meanwhile', async () => {
    const running = stack as LocalStack;
    const before = running.engines().sqs.pid as number;

    process.kill(before, 'SIGKILL');

    expect(await health()).toBe(503);
    await eventually(async () => ((await health()) === 200 ? true : undefined), 60_000);
    expect(running.engines().sqs.pid).not.toBe(before);
    const next = await submit();
    await routed(next.referralId);
  }, 120_000);

  it('leaves no engine running after stop()', async () => {
    const { dynamodb, sqs } = (stack as LocalStack).engines();

    await stack?.stop();
    stack = undefined;

    expect(isRunning(dynamodb.pid as number)).toBe(false);
    expect(isRunning(sqs.pid as number)).toBe(false);
  }, 60_000);
});

describe('--fresh', () => {
  it('empties a data directory the runtime made', () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-fresh-'));
    try {
      prepareDataDir(dir);
      writeFileSync(join(dir, 'shared-local-instance.db'), 'data');
      expect(prepareDataDir(dir)).toEqual({ hadData: true });

      emptyDataDir(dir);

      expect(readdirSync(dir)).toEqual([]);
      expect(prepareDataDir(dir)).toEqual({ hadData: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to empty a directory the runtime did not make, and deletes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-not-ours-'));
    try {
      writeFileSync(join(dir, 'thesis.tex'), 'years of work');

      expect(() => emptyDataDir(dir)).toThrow(/did not make that directory/);
      expect(readdirSync(dir)).toEqual(['thesis.tex']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an engine that dies', () => {
  /** A stand-in engine: `die()` is what a SIGKILL looks like to the supervisor. */
  const fakeEngines = (startsThatWork: number) => {
    let starts = 0;
    const exits: Array<(reason: string) => void> = [];
    return {
      start: async (onUnexpectedExit: (reason: string) => void) => {
        starts += 1;
        if (starts > startsThatWork) throw new Error('port 8000 is in use');
        exits.push(onUnexpectedExit);
        return { pid: 1000 + starts, stop: async () => undefined };
      },
      die: () => exits.at(-1)?.('exited with SIGKILL'),
      starts: () => starts,
    };
  };
  const quietly = { log: () => undefined, logError: () => undefined, restartNote: 'on the same data' };

  it('is started again and prepared again', async () => {
    const engines = fakeEngines(2);
    let prepared = 0;
    const fatal: Error[] = [];
    const engine = await superviseEngine({
      name: 'DynamoDB Local',
      start: engines.start,
      prepare: async () => {
        prepared += 1;
      },
      onFatal: (error) => fatal.push(error),
      ...quietly,
    });

    engines.die();

    expect(engine.state()).toBe('restarting');
    await eventually(async () => (engine.state() === 'up' ? true : undefined), 5000);
    expect(engine.current().pid).toBe(1002);
    expect(prepared).toBe(2);
    expect(fatal).toEqual([]);
    await engine.stop();
  });

  it('is given up on after three failed starts: onFatal, and it stays down', async () => {
    const engines = fakeEngines(1);
    const fatal: Error[] = [];
    const engine = await superviseEngine({
      name: 'DynamoDB Local',
      start: engines.start,
      prepare: async () => undefined,
      onFatal: (error) => fatal.push(error),
      ...quietly,
    });

    engines.die();

    await eventually(async () => (fatal.length > 0 ? true : undefined), 10_000);
    expect(fatal[0]?.message).toBe('DynamoDB Local died and could not be restarted: port 8000 is in use');
    expect(engine.state()).toBe('down');
    expect(engines.starts()).toBe(4);
    await engine.stop();
  }, 15_000);
});

describe('npm start', () => {
  const npmStart = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'local/start.ts', ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      killSignal: 'SIGINT',
      // Never the repository's .frontdesk/ or the default ports, should it start after all.
      env: {
        ...process.env,
        FRONTDESK_DATA_DIR: join(tmpdir(), 'frontdesk-never-made'),
        PORT: '0',
        DYNAMODB_PORT: '0',
        SQS_PORT: '0',
        ...env,
      },
    });

  it('refuses an argument it does not know, and exits 1 before starting anything', () => {
    const result = npmStart(['--frsh']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Unknown argument --frsh. npm start takes --fresh only.');
  }, 60_000);

  it('refuses --fresh with DYNAMODB_ENDPOINT, whose data it cannot empty', () => {
    const result = npmStart(['--fresh'], { DYNAMODB_ENDPOINT: 'http://localhost:1' });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--fresh empties the local data directory, but DYNAMODB_ENDPOINT');
  }, 60_000);
});
