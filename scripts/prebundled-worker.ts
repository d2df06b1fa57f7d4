/**
 * A worker in a process of its own, on workflow code bundled beforehand (its path is the first
 * argument), so a restart takes a moment instead of a bundling: for the runs and tests that kill
 * workers with SIGKILL (chaos, the crash tests) and the stack's deploy of another build. Its
 * configuration comes from the environment, and the worker is the real one (src/worker.ts): address,
 * namespace, TLS, task queue, keys, providers' base URLs, rate limits, deployment version, identity,
 * metrics. It prints `worker ready` once it polls.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig } from '../src/config';
import { createWorker, installRuntime } from '../src/worker';

async function main(): Promise<void> {
  const bundle = process.argv[2];
  if (bundle === undefined) throw new Error('usage: prebundled-worker.ts <workflow bundle path>');
  const config = loadConfig();
  if (config.TEMPORAL_METRICS_ADDRESS !== undefined) installRuntime(config);
  else Runtime.install({ logger: new DefaultLogger('WARN') });
  const { worker } = await createWorker(config, { workflowBundlePath: bundle });
  console.log('worker ready');
  await worker.run();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
