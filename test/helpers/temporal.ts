/** Temporal environments for tests, built on the project's own binaries (src/temporal/binaries.ts). */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { inject } from 'vitest';
import { searchAttributeKeys } from '../../src/search-attributes';
import { loadConfig } from '../../src/config';
import { resolveBinary, toExecutable } from '../../src/temporal/binaries';

/** The dev server started once for the whole run by global-setup.ts. */
export function devServerEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({ address: inject('temporalAddress') });
}

/** A time-skipping test server of this test file's own, with the onboarding's search attributes. */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const config = loadConfig();
  const testServer = await resolveBinary('test-server', config);
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: toExecutable(testServer, config) },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      searchAttributeKeys.map((k) => [
        k.name,
        temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      ]),
    ),
  });
  return env;
}

/** A task queue no other test uses. */
export const uniqueTaskQueue = (name: string): string => `${name}-${Math.random().toString(36).slice(2, 10)}`;
