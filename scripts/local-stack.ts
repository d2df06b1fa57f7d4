/**
 * The embedded default in one process, for the demo and the benchmark: the Temporal dev server
 * (or the one already running), the provider simulators on their configured ports and a worker.
 */
import { toolingPoliciesEnv } from './tooling-policies';
import { loadConfig, type Config } from '../src/config';
import { startWorker, type RunningWorker } from '../src/worker';
import { startSimulators, type Simulators } from '../simulators';
import { loadSimulatorConfig } from '../simulators/config';
import { loadToolingConfig, type ToolingConfig } from './temporal/config';
import { startDevServer, waitForPort } from './temporal/dev-server';
import { registerSearchAttributes } from './temporal/search-attributes';
import { startApi } from '../src/api';
import { startCodecServer } from '../src/codec-server';
import { resolveApiKeys } from '../src/http/api-keys';

export interface LocalStack {
  config: Config;
  tooling: ToolingConfig;
  simulators: Simulators;
  worker: RunningWorker;
  /** The HTTP service (with `api: true`): its URL and an API key for it. */
  api: { url: string; key: string } | undefined;
  /** The Web UI's link to one workflow. */
  uiLink(workflowId: string): string;
  stop(): Promise<void>;
}

export async function startLocalStack(options: {
  autoSignMs: number;
  /** Start the HTTP service too, and have the simulators deliver their webhooks to it. */
  api?: boolean;
  log?: (line: string) => void;
}): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  const config = loadConfig({ ...process.env, ...toolingPoliciesEnv() });
  const tooling = loadToolingConfig();
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  };
  try {
    const [host, port] = config.TEMPORAL_ADDRESS.split(':');
    const running = await waitForPort(host ?? '127.0.0.1', Number(port ?? 7233), 300).then(
      () => true,
      () => false,
    );
    const codec = await startCodecServer(config, { log: () => undefined }).catch((err: unknown) => {
      // Another process (npm run temporal) may already serve it on its port.
      log(`Codec server not started here: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    });
    if (codec) {
      cleanups.push(() => codec.close());
      log(`Codec server at ${codec.url}`);
    }
    if (running) {
      log(`Using the Temporal server already running at ${config.TEMPORAL_ADDRESS}`);
      await registerSearchAttributes(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
    } else {
      const server = await startDevServer(tooling, {
        stdio: 'ignore',
        log,
        ...(codec ? { codecEndpoint: codec.uiEndpoint } : {}),
      });
      log(
        `Temporal dev server started at ${server.address} (${server.binary.source}), Web UI ${server.uiUrl}`,
      );
      cleanups.push(() => server.stop());
    }
    const api = options.api ? await startOrReuseApi(config, log) : undefined;
    if (api?.close) cleanups.push(api.close);
    const simulators = await startSimulators(loadSimulatorConfig(), {
      autoSignMs: options.autoSignMs,
      ...(api ? { webhookBaseUrl: `${api.url}/webhooks` } : {}),
    });
    cleanups.push(() => simulators.close());
    for (const line of simulators.describe()) log(line);
    const worker = await startWorker(config);
    cleanups.push(() => worker.stop());
    log(`Worker polling task queue ${config.TEMPORAL_TASK_QUEUE}`);
    return {
      config,
      tooling,
      simulators,
      worker,
      api: api ? { url: api.url, key: api.key } : undefined,
      uiLink: (workflowId) =>
        `http://127.0.0.1:${tooling.TEMPORAL_UI_PORT}/namespaces/${config.TEMPORAL_NAMESPACE}/workflows/${workflowId}`,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Starts the HTTP service, or uses the one `npm run api` already serves on the configured port. */
async function startOrReuseApi(
  config: Config,
  log: (line: string) => void,
): Promise<{ url: string; key: string; close?: () => Promise<void> }> {
  const key = resolveApiKeys(config).developmentKey;
  if (key === undefined) throw new Error('the local stack uses the development API key: unset API_KEYS');
  try {
    const api = await startApi(config, { log: () => undefined });
    log(`API at ${api.url} (key in .temporal/dev-api-key), OpenAPI at ${api.url}/v1/openapi.json`);
    return { url: api.url, key, close: api.close };
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    const url = `http://${config.API_HOST}:${config.API_PORT}`;
    log(`Using the API already running at ${url}`);
    return { url, key };
  }
}
