/**
 * The onboarding worker: configuration from the environment, provider clients built once per
 * process (their tokens cached here), activities registered, workflow code prebundled when built.
 * `npm run worker` runs it until SIGINT/SIGTERM, then drains in-flight activities and exits.
 */
import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import { createActivities } from './activities';
import { createEventActivities } from './events/delivery';
import { eventSetupOf } from './events/endpoints';
import { resolveEvidenceKey } from './evidence/keys';
import { bulkRepairActivities } from './activities/bulk-repair';
import { type Config } from './config';
import { loadConfigFor } from './production';
import { loadCreditPolicies } from './credit-policies';
import { buildProviders, type Providers } from './providers';
import { onTokenFetched } from './providers/token-cache';
import {
  OnboardingWorkers,
  polledProviderQueues,
  type OnboardingWorkersOptions,
} from './temporal/onboarding-workers';
import { providerTaskQueue } from './temporal/provider-queues';
import { temporalConnectionSettings } from './temporal/connection';
import { codecOptions, dataConverter } from './temporal/data-converter';
import { connectWhenReachable } from './temporal/reachable';
import { resolveKeyring, type Keyring } from './temporal/keyring';
import type { DataKeys } from './temporal/data-keys/data-keys';
import { resolveDataKeys } from './temporal/data-keys/resolve';
import { retentionActivities } from './activities/retention';
import { erasureActivities } from './activities/erasure';
import { ensureRetentionSchedule } from './temporal/retention-schedule';
import { signatureSweepActivities } from './activities/signature-sweep';
import { ensureSignatureSweepSchedules } from './temporal/signature-sweep-schedules';
import { signingProviderNames } from './providers/registry';
import { workflowSource } from './temporal/workflow-source';
import { startTracing, type Tracing } from './tracing/exporter';
import { clientTracingInterceptors } from './tracing/client-tracing';
import { workerTracingOptions } from './tracing/worker-tracing';

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
    /** Each onboarding's data key (default: the configured store, src/temporal/data-keys/resolve.ts). */
    dataKeys?: DataKeys;
    /** Workflow code bundled beforehand (default: src/temporal/workflow-source.ts). */
    workflowBundlePath?: string;
    /** This process's tracing (src/tracing/exporter.ts): the worker's tasks and calls make spans. */
    tracing?: Tracing;
  } = {},
): Promise<{
  worker: OnboardingWorkers;
  providers: Providers;
  connection: NativeConnection;
  ownsConnection: boolean;
  dataKeys: DataKeys;
  client: Client;
}> {
  const settings = temporalConnectionSettings(config);
  // Refuses to start outside loopback without TEMPORAL_ENCRYPTION_KEYS, before connecting anywhere.
  const keyring = options.keyring ?? resolveKeyring(config);
  const dataKeys = options.dataKeys ?? resolveDataKeys(config, keyring, 'worker');
  const clientKeys = options.dataKeys ?? resolveDataKeys(config, keyring, 'client', dataKeys.store);
  const ownsConnection = options.connection === undefined;
  const connection =
    options.connection ??
    (await connectWhenReachable(settings.address, () =>
      NativeConnection.connect({
        address: settings.address,
        ...(settings.tls ? { tls: settings.tls } : {}),
        ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
      }),
    ));
  const providers = options.providers ?? buildProviders(config);
  const events = eventSetupOf(config);
  // The activities that send onboardings updates (bulk repair) or read them (retention): a client on this connection.
  const client = new Client({
    connection,
    namespace: settings.namespace,
    dataConverter: dataConverter(keyring, codecOptions(config, 'client', clientKeys)),
    ...(options.tracing ? { interceptors: clientTracingInterceptors() } : {}),
  });
  const worker = await OnboardingWorkers.create({
    connection,
    namespace: settings.namespace,
    taskQueue: options.taskQueue ?? config.TEMPORAL_TASK_QUEUE,
    activities: {
      ...createActivities({
        providers,
        rateLimits: config.PROVIDER_RATE_LIMITS,
        policies: loadCreditPolicies(config),
        evidenceKey: resolveEvidenceKey(config),
        events,
        signatureSweepMs: config.SIGNATURE_SWEEP_SECONDS * 1_000,
        applicantFirst: config.TASK_QUEUE_PRIORITY === 'on',
      }),
      ...createEventActivities(events.routes),
      ...bulkRepairActivities(client),
      ...erasureActivities(client, clientKeys),
      ...retentionActivities(client, clientKeys, config.PERSONAL_DATA_RETENTION_HOURS * 3_600_000),
      ...signatureSweepActivities(client, providers.signing, config.SIGNATURE_SWEEP_CHECKS_PER_SECOND),
    },
    dataConverter: dataConverter(keyring, codecOptions(config, 'worker', dataKeys)),
    ...(options.workflowBundlePath !== undefined
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : workflowSource(options.tracing !== undefined)),
    ...(options.tracing ? workerTracingOptions(options.tracing) : {}),
    shutdownGraceTime: '30 seconds',
    rateLimits: config.PROVIDER_RATE_LIMITS,
    drainingQueues: config.PROVIDER_QUEUES_DRAINING,
    ...(config.TEMPORAL_MAX_CACHED_WORKFLOWS !== undefined
      ? { maxCachedWorkflows: config.TEMPORAL_MAX_CACHED_WORKFLOWS }
      : {}),
    ...deploymentOptions(config),
    ...(config.TEMPORAL_WORKER_IDENTITY !== undefined ? { identity: config.TEMPORAL_WORKER_IDENTITY } : {}),
  });
  return { worker, providers, connection, ownsConnection, dataKeys, client };
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
  const tracing = startTracing(config, 'worker');
  const { worker, providers, connection, ownsConnection, dataKeys, client } = await createWorker(config, {
    ...(tracing ? { tracing } : {}),
  });
  await ensureRetentionSchedule(client, { taskQueue: config.TEMPORAL_TASK_QUEUE }).catch((err: unknown) =>
    // The worker's other work goes on: the next start tries again, and the docs say how to check it.
    console.warn(
      `could not set up the retention schedule: ${err instanceof Error ? err.message : String(err)}`,
    ),
  );
  if (config.SIGNATURE_SWEEP_SECONDS > 0)
    await ensureSignatureSweepSchedules(client, {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      everySeconds: config.SIGNATURE_SWEEP_SECONDS,
      providers: signingProviderNames,
    }).catch((err: unknown) =>
      // Parked onboardings still wake on webhooks, reminders and their daily check meanwhile.
      console.warn(
        `could not set up the signature sweep schedules: ${err instanceof Error ? err.message : String(err)}`,
      ),
    );
  const done = worker.run().finally(async () => {
    await tracing?.shutdown();
    await providers.close();
    await dataKeys.store.close();
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
 * The process's Temporal runtime: its logger (workerLogger) and, with TEMPORAL_METRICS_ADDRESS, a Prometheus endpoint
 * (`http://<address>/metrics`) with the SDK's metrics (task latencies, schedule-to-start, polls,
 * cache) and the onboarding's own (`credit_onboarding_*`: started, ended by outcome, time per
 * stage, provider calls and retries, token fetches).
 */
export function installRuntime(config: Config, level: LogLevel = 'INFO'): void {
  Runtime.install({
    logger: workerLogger(level),
    ...(config.TEMPORAL_METRICS_ADDRESS !== undefined
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.TEMPORAL_METRICS_ADDRESS } } } }
      : {}),
  });
  if (config.TEMPORAL_METRICS_ADDRESS === undefined) return;
  const tokenFetches = Runtime.instance().metricMeter.createCounter(
    'credit_onboarding_provider_token_fetches',
    'tokens',
    'Provider tokens fetched by this worker',
  );
  onTokenFetched((provider) => tokenFetches.add(1, { provider }));
}

/**
 * The SDK's logger, except that a provider queue's worker saying it polls no workflows is not a
 * warning: it exists to run that provider's activities alone (src/temporal/onboarding-workers.ts).
 */
function workerLogger(level: LogLevel): DefaultLogger {
  const logger = new DefaultLogger(level);
  const log = logger.log.bind(logger);
  logger.log = (entryLevel, message, meta) =>
    log(entryLevel === 'WARN' && message === NO_WORKFLOWS ? 'DEBUG' : entryLevel, message, meta);
  return logger;
}
const NO_WORKFLOWS = 'No workflows registered, not polling for workflow tasks';

async function main(): Promise<void> {
  const config = loadConfigFor('worker');
  installRuntime(config);
  const running = await startWorker(config);
  const queues = polledProviderQueues({
    rateLimits: config.PROVIDER_RATE_LIMITS,
    drainingQueues: config.PROVIDER_QUEUES_DRAINING,
  }).map((p) => providerTaskQueue(config.TEMPORAL_TASK_QUEUE, p));
  console.log(
    `credit-onboarding worker on ${config.TEMPORAL_ADDRESS} namespace ${config.TEMPORAL_NAMESPACE} task queue ${config.TEMPORAL_TASK_QUEUE}` +
      (queues.length > 0 ? ` (and ${queues.join(', ')})` : '') +
      (config.TEMPORAL_BUILD_ID
        ? `, deployment ${config.TEMPORAL_DEPLOYMENT_NAME} build ${config.TEMPORAL_BUILD_ID}`
        : '') +
      (config.TEMPORAL_METRICS_ADDRESS
        ? `, metrics on http://${config.TEMPORAL_METRICS_ADDRESS}/metrics`
        : '') +
      (config.OTEL_EXPORTER_OTLP_ENDPOINT ? ', traces over OTLP' : ''),
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
