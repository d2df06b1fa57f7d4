import { defineConfig } from 'vitest/config';

/**
 * Two tiers: `unit` (test/unit: the workflow with stubbed activities on a time-skipping server,
 * activities in a mock activity environment, pure code; `npm run test:unit`) and `integration`
 * (everything else: real HTTP to the simulators, a dev server for the whole run, replay).
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
          exclude: ['test/unit/**'],
          globalSetup: ['test/helpers/workflow-bundle.ts', 'test/helpers/global-setup.ts'],
        },
      },
    ],
  },
});
