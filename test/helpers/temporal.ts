/** Temporal environments for tests, built on the project's own binaries (scripts/temporal/binaries.ts). */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { inject } from 'vitest';
import { loadToolingConfig } from '../../scripts/temporal/config';
import { createTimeSkippingEnvironment } from '../../scripts/temporal/test-environment';
import { dataConverter } from '../../src/temporal/data-converter';
import { testKeyring } from '../fixtures/keyring';

/** The product's data converter with the test keys: what every test client uses. */
export const testDataConverter = dataConverter(testKeyring);
/** The same, as a worker has it: a payload refused on its way into an onboarding comes as a value. */
export const testWorkerConverter = dataConverter(testKeyring, { refusalsAsValues: true });

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
