/**
 * A worker process of the test's own on a harness's task queue and simulators, for the tests that
 * SIGKILL a worker mid-call (scripts/prebundled-worker.ts on the run's workflow bundle) or read the
 * real entry point's metrics (`src/worker.ts`). It is killed when the test finishes.
 */
import { testPoliciesEnv } from './policies';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject, onTestFinished } from 'vitest';
import { prebundledWorker, sourceWorker, SpawnedWorker } from '../../scripts/spawned-worker';
import { TEST_KEYS } from '../fixtures/keyring';
import type { Harness } from './onboarding';

export async function startSpawnedWorker(
  h: Harness,
  options: { entry?: 'prebundled' | 'source'; env?: Record<string, string> } = {},
): Promise<SpawnedWorker> {
  const dir = mkdtempSync(join(tmpdir(), 'spawned-worker-'));
  let entry = sourceWorker;
  if (options.entry !== 'source') {
    const bundle = join(dir, 'workflows.js');
    writeFileSync(bundle, inject('workflowBundleCode'));
    entry = prebundledWorker(bundle);
  }
  const env = {
    ...h.simulators.baseUrls,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: h.taskQueue,
    TEMPORAL_ENCRYPTION_KEYS: TEST_KEYS,
    ...testPoliciesEnv(),
    ...options.env,
  };
  const worker = new SpawnedWorker('worker', env, join(dir, 'worker.log'), entry);
  onTestFinished(() => worker.kill('SIGKILL'));
  await worker.start();
  return worker;
}
