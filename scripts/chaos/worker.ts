/**
 * The chaos run's worker, in a process of its own so it can be killed with SIGKILL: configuration
 * from the environment like the real worker's (TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE,
 * TEMPORAL_ENCRYPTION_KEYS, the providers' base URLs), and the workflow code prebundled once by
 * the run (its path is the first argument), so a restart takes a moment instead of a bundling.
 */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { loadConfig } from '../../src/config';
import { buildProviders } from '../../src/providers';
import { calledProviders } from '../../src/providers/registry';
import { OnboardingWorkers } from '../../src/temporal/onboarding-workers';
import { dataConverter } from '../../src/temporal/data-converter';
import { resolveKeyring } from '../../src/temporal/keyring';

async function main(): Promise<void> {
  const bundle = process.argv[2];
  if (bundle === undefined) throw new Error('usage: worker.ts <workflow bundle path>');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = loadConfig();
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  // The onboarding's worker and one per provider task queue (src/temporal/onboarding-workers.ts).
  const worker = await OnboardingWorkers.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowBundle: { codePath: bundle },
    activities: createActivities({
      providers: buildProviders(config),
      rateLimits: config.PROVIDER_RATE_LIMITS,
    }),
    dataConverter: dataConverter(resolveKeyring(config)),
    providers: calledProviders,
    rateLimits: config.PROVIDER_RATE_LIMITS,
  });
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
