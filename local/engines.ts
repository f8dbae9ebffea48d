import { LocalRuntimeError } from './errors.js';

/** A process the runtime started and can start again: DynamoDB Local or the SQS engine. */
export type Engine = { pid: number | undefined; stop(): Promise<void> };

export type EngineState = 'up' | 'restarting' | 'down';

export type SupervisedEngine<E extends Engine> = {
  readonly name: string;
  /** The engine as it runs now (a new one after a restart). */
  current(): E;
  state(): EngineState;
  stop(): Promise<void>;
};

/** More restarts than this within RESTART_WINDOW_MS is a crash loop: the runtime gives up. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
/** Attempts to start the engine again after one death, a second apart. */
const ATTEMPTS = 3;

const firstLine = (text: string) => text.split('\n', 1)[0] ?? text;

/**
 * Starts an engine and keeps it running: when it exits on its own, says so on the console and starts
 * it again on the same port and data, then runs `prepare` again (create what is missing). When it
 * cannot (three failed attempts, or a crash loop), it calls `onFatal` and stays down.
 */
export async function superviseEngine<E extends Engine>(options: {
  name: string;
  start(onUnexpectedExit: (reason: string) => void): Promise<E>;
  /** After every start: create the tables or queues that are missing. */
  prepare(engine: E): Promise<void>;
  /** How the restart treats the data, e.g. "on the same data in .frontdesk/". */
  restartNote: string;
  log: (line: string) => void;
  logError: (line: string, error?: unknown) => void;
  onFatal: (error: Error) => void;
}): Promise<SupervisedEngine<E>> {
  let state: EngineState = 'up';
  let stopped = false;
  let restarting: Promise<void> | undefined;
  const restarts: number[] = [];

  const startPrepared = async () => {
    const engine = await options.start(onUnexpectedExit);
    try {
      await options.prepare(engine);
    } catch (error) {
      await engine.stop();
      throw error;
    }
    return engine;
  };

  async function restart(reason: string) {
    const began = Date.now();
    restarts.push(began);
    while (restarts.length > 0 && (restarts[0] ?? 0) < began - RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length > MAX_RESTARTS) {
      state = 'down';
      options.onFatal(
        new LocalRuntimeError(
          `${options.name} died ${restarts.length} times within a minute (${firstLine(reason)}); not restarting it again.`,
        ),
      );
      return;
    }
    options.logError(
      `${options.name} stopped unexpectedly (it ${firstLine(reason)}); restarting it ${options.restartNote}…`,
    );
    let lastError: unknown;
    for (let attempt = 1; attempt <= ATTEMPTS && !stopped; attempt += 1) {
      try {
        const next = await startPrepared();
        if (stopped) {
          await next.stop();
          return;
        }
        engine = next;
        state = 'up';
        options.logError(
          `${options.name} is running again (restarted in ${((Date.now() - began) / 1000).toFixed(1)} s).`,
        );
        return;
      } catch (error) {
        lastError = error;
        if (attempt < ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    if (stopped) return;
    state = 'down';
    const why = lastError instanceof Error ? lastError.message : String(lastError);
    options.onFatal(new LocalRuntimeError(`${options.name} died and could not be restarted: ${why}`));
  }

  function onUnexpectedExit(reason: string) {
    if (stopped || state !== 'up') return;
    state = 'restarting';
    restarting = restart(reason).finally(() => {
      restarting = undefined;
    });
  }

  let engine = await startPrepared();
  return {
    name: options.name,
    current: () => engine,
    state: () => state,
    async stop() {
      stopped = true;
      await restarting;
      await engine.stop();
    },
  };
}
