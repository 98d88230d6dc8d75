import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The fault drills (pnpm test:faults): each kills or stalls something on purpose, on private
 * MariaDB/Redis servers of its own (test/faults/servers.ts), so they run one file at a time and need
 * none of the main suite's global set-up.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    globalSetup: [],
    include: ['test/faults/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
