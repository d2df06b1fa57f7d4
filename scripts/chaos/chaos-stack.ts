/**
 * What a chaos run stands on, all on loopback and all its own: a Temporal dev server on free ports
 * with its database in the run's folder (so it can be restarted on it), the provider simulators
 * with the fault profile, a supervised worker process and the client, sharing a keyring made for
 * the run.
 */
import { toolingPoliciesEnv } from '../tooling-policies';
import { randomBytes } from 'node:crypto';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { OnboardingClient } from '../../src/client';
import { dataConverter, failureConverterPath, onboardingDataKeys } from '../../src/temporal/data-converter';
import { resolveDataKeys } from '../../src/temporal/data-keys/resolve';
import { parseKeyring } from '../../src/temporal/keyring';
import { workflowsPath } from '../../src/temporal/workflow-source';
import { startSimulators, type Simulators } from '../../simulators';
import { loadSimulatorConfig } from '../../simulators/config';
import { freePorts } from '../free-ports';
import { prebundledWorker } from '../spawned-worker';
import { loadToolingConfig } from '../temporal/config';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { ClientCalls } from './drive';
import { chaosFaultRules } from './profile';
import { track, WorkerSupervisor } from './processes';

const TASK_QUEUE = 'chaos';

export interface ChaosStack {
  simulators: Simulators;
  supervisor: WorkerSupervisor;
  calls: ClientCalls;
  /** Stops the dev server and starts it again on the same database file and ports; the ms it was down. */
  restartServer(): Promise<number>;
  /** Stops everything started so far, the last started first. */
  stop(): Promise<void>;
}

export async function startChaosStack(options: {
  /** The run's folder: database, workflow bundle, worker log, keys. */
  dir: string;
  seed: number;
  autoSignMs: number;
  workflowCode: string | undefined;
  log: (line: string) => void;
}): Promise<ChaosStack> {
  const { dir, log } = options;
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch(() => undefined);
  };
  try {
    // The workflow code, bundled once for every worker start.
    const bundlePath = join(dir, 'workflows.js');
    const code =
      options.workflowCode ??
      (await bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: quietLogger })).code;
    writeFileSync(bundlePath, code);

    const tooling = loadToolingConfig();
    const [port, uiPort] = (await freePorts(2)) as [number, number];
    const serverOptions = { dbFile: join(dir, 'temporal.sqlite'), port, uiPort, stdio: 'ignore' as const };
    let server: DevServer = await startDevServer(tooling, serverOptions);
    track(server.process);
    stops.push(() => server.stop());
    log(`Temporal dev server at ${server.address}, database ${serverOptions.dbFile}`);

    const simulators = await startSimulators(
      loadSimulatorConfig({
        SIMULATOR_FAULTS: JSON.stringify(chaosFaultRules()),
        SIMULATOR_FAULT_SEED: String(options.seed),
        // Longer than any run: a token typed late is a slow run, not an expired token.
        SIMULATOR_SMS_TOKEN_TTL_MS: String(60 * 60_000),
      }),
      { randomPorts: true, autoSignMs: options.autoSignMs, webhookBaseUrl: null },
    );
    stops.push(() => simulators.close());

    const keys = `chaos-${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64')}`;
    writeFileSync(join(dir, 'encryption-keys'), `${keys}\n`, { mode: 0o600 });
    const workerLog = createWriteStream(join(dir, 'worker.log'));
    stops.push(() => new Promise((resolve) => workerLog.end(resolve)));
    const supervisor = new WorkerSupervisor({
      entry: prebundledWorker(bundlePath),
      // Only what the worker needs: none of this shell's provider settings or credentials.
      env: {
        ...pick(process.env, ['PATH', 'HOME', 'TMPDIR', 'LANG']),
        ...simulators.baseUrls,
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_TASK_QUEUE: TASK_QUEUE,
        TEMPORAL_ENCRYPTION_KEYS: keys,
        // The run's own cache: its data keys (and development secrets) die with it, as its server does.
        TEMPORAL_CACHE_DIR: dir,
        ...toolingPoliciesEnv(),
      },
      log: workerLog,
    });
    supervisor.start();
    stops.push(() => supervisor.stop());
    await withTimeout(supervisor.whenReady(), 60_000, 'the first worker did not start within 60 s');

    const connection = await Connection.connect({ address: server.address });
    stops.push(() => connection.close());
    const keyring = parseKeyring(keys);
    const dataKeys = resolveDataKeys({ TEMPORAL_CACHE_DIR: dir, DATA_KEY_STORE_URL: undefined }, keyring);
    const client = new Client({
      connection,
      dataConverter: dataConverter(keyring, onboardingDataKeys(dataKeys)),
    });
    const calls = new ClientCalls(new OnboardingClient(client, TASK_QUEUE, undefined, dataKeys));
    stops.push(() => calls.cancel(15_000));

    return {
      simulators,
      supervisor,
      calls,
      restartServer: async () => {
        const down = Date.now();
        await server.stop();
        server = await startDevServer(tooling, serverOptions);
        track(server.process);
        return Date.now() - down;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function pick(env: NodeJS.ProcessEnv, names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((n) => (env[n] === undefined ? [] : [[n, env[n]]])));
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message: string) => console.error(message),
};
