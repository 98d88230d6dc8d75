import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * The fault drills (pnpm test:faults): each kills or stalls something on purpose, on private
 * MariaDB/Redis servers of its own (test/faults/servers.ts), so they run one file at a time.
 */
export default defineConfig({
  resolve: {
    // One graphql for tests and the packages they import, or graphql-js refuses objects from "another realm".
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    // Decorated classes need the metadata polyfill that every entry point imports first.
    setupFiles: ['reflect-metadata'],
    include: ['test/faults/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
