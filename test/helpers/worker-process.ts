/**
 * A worker process of the test's own (scripts/worker-process.ts on the run's workflow bundle), for
 * the tests that SIGKILL a worker mid-call. It is killed when the test finishes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject, onTestFinished } from 'vitest';
import { WorkerProcess } from '../../scripts/spawned-worker';
import { projectRoot } from '../../scripts/temporal/config';

export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'worker-process-'));
  const bundle = join(dir, 'workflows.js');
  writeFileSync(bundle, inject('workflowBundleCode'));
  const worker = new WorkerProcess('worker', env, join(dir, 'worker.log'), {
    script: join(projectRoot, 'scripts', 'worker-process.ts'),
    args: [bundle],
  });
  onTestFinished(() => worker.kill('SIGKILL'));
  await worker.start();
  return worker;
}
