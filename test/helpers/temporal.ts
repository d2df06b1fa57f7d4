/** Temporal environments for tests, built on the project's own binaries (scripts/temporal/binaries.ts). */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { inject } from 'vitest';
import { loadToolingConfig } from '../../scripts/temporal/config';
import { createTimeSkippingEnvironment } from '../../scripts/temporal/test-environment';
import { dataConverter, onboardingDataKeys } from '../../src/temporal/data-converter';
import { resolveDataKeys } from '../../src/temporal/data-keys/resolve';
import { testKeyring } from '../fixtures/keyring';

/**
 * Each onboarding's data key, in the store the embedded default uses (files in the cache folder),
 * so an API or codec server a test starts from the configuration reads the same keys.
 */
const storeConfig = { TEMPORAL_CACHE_DIR: process.env['TEMPORAL_CACHE_DIR'], DATA_KEY_STORE_URL: undefined };
export const testDataKeys = resolveDataKeys(storeConfig, testKeyring);
const workerDataKeys = resolveDataKeys(storeConfig, testKeyring, 'worker', testDataKeys.store);

/** The product's data converter with the test keys: what every test client uses. */
export const testDataConverter = dataConverter(testKeyring, {
  erasedAsValues: true,
  ...onboardingDataKeys(testDataKeys),
});
/** The same, as a worker has it: a payload refused on its way into an onboarding comes as a value. */
export const testWorkerConverter = dataConverter(testKeyring, {
  refusalsAsValues: true,
  ...onboardingDataKeys(workerDataKeys),
});

/** The dev server started once for the whole run by global-setup.ts. */
export function devServerEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({
    address: inject('temporalAddress'),
    client: { dataConverter: testDataConverter },
  });
}

/** A time-skipping test server of this test file's own, with the onboarding's search attributes. */
export function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return createTimeSkippingEnvironment(loadToolingConfig(), testDataConverter);
}

/** A task queue no other test uses. */
export const uniqueTaskQueue = (name: string): string => `${name}-${Math.random().toString(36).slice(2, 10)}`;
