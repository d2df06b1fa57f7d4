/**
 * Runs once per `vitest run` of the integration tier: starts one Temporal dev server (the real
 * server, SQLite in memory, the project's search attributes registered) for every test file that
 * needs a real clock, and hands its address to the test files. Time-skipping servers are per file
 * (see temporal.ts): skipped time is global to a server, so files running in parallel must not share one.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestProject } from 'vitest/node';
import { resolveBinary, toExecutable } from '../../scripts/temporal/binaries';
import { loadToolingConfig } from '../../scripts/temporal/config';
import { searchAttributeKeys } from '../../src/search-attributes';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalCliSource: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const config = loadToolingConfig();
  const cli = await resolveBinary('cli', config, { log: (line) => console.log(line) });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: toExecutable(cli, config),
      ip: '127.0.0.1',
      searchAttributes: searchAttributeKeys,
      log: { format: 'pretty', level: 'error' },
    },
  });
  console.log(
    `Temporal dev server for tests at ${env.address} (${cli.source}: ${cli.path ?? 'SDK download'})`,
  );
  project.provide('temporalAddress', env.address);
  project.provide('temporalCliSource', cli.source);
  return () => env.teardown();
}
