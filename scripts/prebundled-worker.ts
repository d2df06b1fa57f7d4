/**
 * A worker in a process of its own, on workflow code bundled beforehand (its path is the first
 * argument), so a restart takes a moment instead of a bundling: for the runs and tests that kill
 * workers with SIGKILL (chaos, the crash tests) and the stack's deploy of another build. Its
 * configuration comes from the environment like the real worker's (src/worker.ts): address,
 * namespace, TLS, task queue, keys, providers' base URLs, rate limits, deployment version, identity,
 * metrics. It prints `worker ready` once it polls.
 */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createActivities } from '../src/activities';
import { resolveEvidenceKey } from '../src/evidence/keys';
import { loadConfig } from '../src/config';
import { buildProviders } from '../src/providers';
import { OnboardingWorkers } from '../src/temporal/onboarding-workers';
import { loadCreditPolicies } from '../src/credit-policies';
import { temporalConnectionSettings } from '../src/temporal/connection';
import { codecOptions, dataConverter } from '../src/temporal/data-converter';
import { resolveKeyring } from '../src/temporal/keyring';
import { deploymentOptions, installRuntime } from '../src/worker';

async function main(): Promise<void> {
  const bundle = process.argv[2];
  if (bundle === undefined) throw new Error('usage: prebundled-worker.ts <workflow bundle path>');
  const config = loadConfig();
  if (config.TEMPORAL_METRICS_ADDRESS !== undefined) installRuntime(config);
  else Runtime.install({ logger: new DefaultLogger('WARN') });
  const settings = temporalConnectionSettings(config);
  const connection = await NativeConnection.connect({
    address: settings.address,
    ...(settings.tls ? { tls: settings.tls } : {}),
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
  });
  const worker = await OnboardingWorkers.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowBundle: { codePath: bundle },
    activities: createActivities({
      providers: buildProviders(config),
      rateLimits: config.PROVIDER_RATE_LIMITS,
      policies: loadCreditPolicies(config),
      evidenceKey: resolveEvidenceKey(config),
    }),
    dataConverter: dataConverter(resolveKeyring(config), codecOptions(config, 'worker')),
    rateLimits: config.PROVIDER_RATE_LIMITS,
    ...deploymentOptions(config),
    ...(config.TEMPORAL_WORKER_IDENTITY !== undefined ? { identity: config.TEMPORAL_WORKER_IDENTITY } : {}),
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
