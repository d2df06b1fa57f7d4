/**
 * The time-skipping test server from the project's own binary (./binaries.ts), with the
 * onboarding's search attributes registered: what the tests and `npm run record:histories` run on.
 * Development only (it needs the dev dependency @temporalio/testing); the worker never imports it.
 */
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { searchAttributeKeys } from '../../src/search-attributes';
import { resolveBinary, toExecutable } from './binaries';
import type { ToolingConfig } from './config';
import { indexedValueType } from './search-attributes';

export async function createTimeSkippingEnvironment(
  config: ToolingConfig,
  dataConverter?: DataConverter,
): Promise<TestWorkflowEnvironment> {
  const testServer = await resolveBinary('test-server', config);
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: toExecutable(testServer, config) },
    ...(dataConverter ? { client: { dataConverter } } : {}),
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(searchAttributeKeys.map((k) => [k.name, indexedValueType(k.type)])),
  });
  return env;
}
