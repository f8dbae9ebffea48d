import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    // DynamoDB Local is a JVM on a 2-core machine: integration tests get time, not retries.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Few workers: every integration file starts its own SQS engine and shares the one DynamoDB Local.
    maxWorkers: 2,
    typecheck: { enabled: false },
    // Functions log through shared/logger.ts (Powertools' variables); tests that read logs set their own
    // level. Metrics (EMF lines on stdout) likewise: off, except where a test reads them.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_DEV: 'false', POWERTOOLS_METRICS_DISABLED: 'true' },
  },
});
