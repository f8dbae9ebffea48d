/**
 * Runs `task` every `everySeconds`, like an EventBridge schedule: the first run one period after
 * start, and never two runs at once (a slow run pushes the next one back).
 */
export function startSchedule(everySeconds: number, task: () => Promise<void>) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const next = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = task().finally(next);
    }, everySeconds * 1000);
  };
  next();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
