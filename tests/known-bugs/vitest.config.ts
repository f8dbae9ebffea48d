import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

/**
 * Tests of bugs found and not fixed yet: they fail today, so they are kept out of `npm test` (whose
 * include is tests/**\/*.test.ts). Run them with `npx vitest run --config tests/known-bugs/vitest.config.ts`;
 * once a bug is fixed, its test moves into tests/integration/ as a *.test.ts.
 */
export default defineConfig({ ...base, test: { ...base.test, include: ['tests/known-bugs/*.bug.ts'] } });
