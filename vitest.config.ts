import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One graphql for tests and the packages they import, or graphql-js refuses objects from "another realm".
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    // Decorated classes need the metadata polyfill that every entry point imports first.
    setupFiles: ['reflect-metadata'],
    globalSetup: ['./test/src/global-setup.ts'],
    include: [
      '{packages,services,gateway,test}/*/src/**/*.{spec,test}.ts',
      '{gateway,test}/src/**/*.{spec,test}.ts',
      'console/src/**/*.spec.ts',
      'bench/src/**/*.spec.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
