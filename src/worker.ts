/**
 * The onboarding worker: configuration from the environment, provider clients built once per
 * process (their tokens cached here), activities registered, workflow code prebundled when built.
 * `npm run worker` runs it until SIGINT/SIGTERM, then drains in-flight activities and exits.
 */
import { NativeConnection, Runtime } from '@temporalio/worker';
import { createActivities } from './activities';
import { loadConfig, type Config } from './config';
import { buildProviders, type Providers } from './providers';
import { onTokenFetched } from './providers/token-cache';
import { calledProviders } from './providers/registry';
import { OnboardingWorkers, type OnboardingWorkersOptions } from './temporal/onboarding-workers';
import { temporalConnectionSettings } from './temporal/connection';
import { dataConverter } from './temporal/data-converter';
import { resolveKeyring, type Keyring } from './temporal/keyring';
import { workflowSource } from './temporal/workflow-source';

export interface RunningWorker {
  worker: OnboardingWorkers;
  providers: Providers;
  /** Resolves when the worker has stopped (after `stop()` or a shutdown signal). */
  done: Promise<void>;
  stop(): Promise<void>;
}

export async function createWorker(
  config: Config,
  options: {
    connection?: NativeConnection;
    providers?: Providers;
    taskQueue?: string;
    keyring?: Keyring;
  } = {},
): Promise<{
  worker: OnboardingWorkers;
  providers: Providers;
  connection: NativeConnection;
  ownsConnection: boolean;
}> {
  const settings = temporalConnectionSettings(config);
  // Refuses to start outside loopback without TEMPORAL_ENCRYPTION_KEYS, before connecting anywhere.
  const keyring = options.keyring ?? resolveKeyring(config);
  const ownsConnection = options.connection === undefined;
  const connection =
    options.connection ??
    (await NativeConnection.connect({
      address: settings.address,
      ...(settings.tls ? { tls: settings.tls } : {}),
      ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    }));
  const providers = options.providers ?? buildProviders(config);
  const worker = await OnboardingWorkers.create({
    connection,
    namespace: settings.namespace,
    taskQueue: options.taskQueue ?? config.TEMPORAL_TASK_QUEUE,
    activities: createActivities({ providers, rateLimits: config.PROVIDER_RATE_LIMITS }),
    dataConverter: dataConverter(keyring),
    ...workflowSource(),
    shutdownGraceTime: '30 seconds',
    providers: calledProviders,
    rateLimits: config.PROVIDER_RATE_LIMITS,
    ...(config.TEMPORAL_MAX_CACHED_WORKFLOWS !== undefined
      ? { maxCachedWorkflows: config.TEMPORAL_MAX_CACHED_WORKFLOWS }
      : {}),
    ...deploymentOptions(config),
    ...(config.TEMPORAL_WORKER_IDENTITY !== undefined ? { identity: config.TEMPORAL_WORKER_IDENTITY } : {}),
  });
  return { worker, providers, connection, ownsConnection };
}

/**
 * Worker Versioning: with a deployment name and build id, every task queue of this process polls as
 * that deployment version, and onboardings are pinned to the version they started on, so a deploy
 * never replays a week-old onboarding on changed code. New onboardings go to the deployment's
 * current version, which an operator sets (README, Production: releases).
 */
export function deploymentOptions(config: Config): Pick<OnboardingWorkersOptions, 'workerDeploymentOptions'> {
  if (config.TEMPORAL_DEPLOYMENT_NAME === undefined || config.TEMPORAL_BUILD_ID === undefined) return {};
  return {
    workerDeploymentOptions: {
      useWorkerVersioning: true,
      version: { deploymentName: config.TEMPORAL_DEPLOYMENT_NAME, buildId: config.TEMPORAL_BUILD_ID },
      defaultVersioningBehavior: 'PINNED',
    },
  };
}

/** Starts a worker in this process; `stop()` shuts it down gracefully and closes what it opened. */
export async function startWorker(config: Config): Promise<RunningWorker> {
  const { worker, providers, connection, ownsConnection } = await createWorker(config);
  const done = worker.run().finally(async () => {
    await providers.close();
    if (ownsConnection) await connection.close();
  });
  return {
    worker,
    providers,
    done,
    stop: async () => {
      worker.shutdown();
      await done;
    },
  };
}

/**
 * The process's Temporal runtime: with TEMPORAL_METRICS_ADDRESS, a Prometheus endpoint
 * (`http://<address>/metrics`) with the SDK's metrics (task latencies, schedule-to-start, polls,
 * cache) and the onboarding's own (`credit_onboarding_*`: started, ended by outcome, time per
 * stage, provider calls and retries, token fetches).
 */
export function installRuntime(config: Config): void {
  if (config.TEMPORAL_METRICS_ADDRESS === undefined) return;
  Runtime.install({
    telemetryOptions: { metrics: { prometheus: { bindAddress: config.TEMPORAL_METRICS_ADDRESS } } },
  });
  const tokenFetches = Runtime.instance().metricMeter.createCounter(
    'credit_onboarding_provider_token_fetches',
    'tokens',
    'Provider tokens fetched by this worker',
  );
  onTokenFetched((provider) => tokenFetches.add(1, { provider }));
}

async function main(): Promise<void> {
  const config = loadConfig();
  installRuntime(config);
  const running = await startWorker(config);
  console.log(
    `credit-onboarding worker on ${config.TEMPORAL_ADDRESS} namespace ${config.TEMPORAL_NAMESPACE} task queue ${config.TEMPORAL_TASK_QUEUE}` +
      (config.TEMPORAL_BUILD_ID
        ? `, deployment ${config.TEMPORAL_DEPLOYMENT_NAME} build ${config.TEMPORAL_BUILD_ID}`
        : '') +
      (config.TEMPORAL_METRICS_ADDRESS
        ? `, metrics on http://${config.TEMPORAL_METRICS_ADDRESS}/metrics`
        : ''),
  );
  // The SDK's Runtime turns SIGINT/SIGTERM into a graceful shutdown; this resolves when it finishes.
  await running.done;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
