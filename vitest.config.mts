import { defineConfig } from 'vitest/config';

/**
 * Three tiers: `unit` (test/unit: the workflow with stubbed activities on a time-skipping server,
 * activities in a mock activity environment, pure code; `npm run test:unit`), `integration`
 * (everything else but the stack: real HTTP to the simulators, a dev server for the whole run,
 * replay; with `unit`, what `npm test` runs) and `stack` (test/stack: the production topology on
 * PostgreSQL, `npm run test:stack`, which builds Temporal from its Go module the first time).
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
    setupFiles: ['test/helpers/setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          globalSetup: ['test/helpers/workflow-bundle.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**', 'test/stack/**'],
          globalSetup: ['test/helpers/workflow-bundle.ts', 'test/helpers/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'stack',
          include: ['test/stack/**/*.test.ts'],
          // The first run builds the Temporal server, its SQL tool and the UI server (minutes).
          hookTimeout: 30 * 60_000,
          testTimeout: 15 * 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
