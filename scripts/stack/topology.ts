/**
 * The production topology on this machine: PostgreSQL, the Temporal server (the project's build of
 * it, ops/temporal/server) on the repository's configuration, the identity provider (Dex), two Web
 * UI servers (the operators' and a read-only one) behind its login, decoding through the codec
 * server, the HTTP service, the provider simulators (their webhooks to the service) and two workers
 * in processes of their own, each with its metrics endpoint, as one worker deployment version made
 * current (Worker Versioning). `npm run stack` runs it until Ctrl-C; `npm run test:stack` drives
 * onboardings through it while killing a worker, restarting the server and deploying a new build,
 * and logs in to its Web UIs.
 * Temporal takes mutual TLS only: each client connects with a certificate of its own, from the
 * stack's development authority (scripts/stack/certificates.ts): worker-1, worker-2 (and any
 * worker added later, by its name), api, ui, and admin for the ops scripts. It authorizes every
 * call: the Web UI servers' only with the signed-in user's token, which Dex issued. The codec
 * server does not connect to Temporal, and has none; it decodes for the users' tokens and the
 * CLI's token. The HTTP service and Dex serve HTTPS with certificates of the same authority; this
 * process (the simulators' webhooks, a test's calls, the codec server's fetches from Dex) trusts
 * it, as compose's simulators do through NODE_EXTRA_CA_CERTS; the Go servers are told it by
 * SSL_CERT_FILE.
 */
import { toolingPoliciesEnv } from '../tooling-policies';
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startApi, type RunningApi } from '../../src/api';
import { startCodecServer } from '../../src/codec-server';
import { loadConfig, type Config } from '../../src/config';
import { resolveApiKeys } from '../../src/http/api-keys';
import { sha256Hex } from '../../src/http/credentials';
import { startSimulators, type Simulators } from '../../simulators';
import { loadSimulatorConfig } from '../../simulators/config';
import { Child } from '../child-process';
import { SpawnedWorker, type WorkerEntry } from '../spawned-worker';
import { cacheDir, resolveBinary } from '../temporal/binaries';
import { loadToolingConfig, projectRoot } from '../temporal/config';
import { waitForPort } from '../temporal/dev-server';
import { ensureStackBinaries } from './binaries';
import {
  certificatesDir,
  ensureCertificates,
  tlsEnv,
  trustAuthority,
  type Certificates,
} from './certificates';
import type { StackConfig } from './config';
import { startDex } from './dex';
import { writeEndpoints } from './endpoints';
import { CLIENTS, ensureLogins, GROUPS, type Logins } from './logins';
import { startHttpsFront } from './https-front';
import { dataKeyStoreUrl, postgresFromUrl, startLocalPostgres, type Postgres } from './postgres';
import { migrateSchemas } from './schema';
import { SERVER_NAME, serverAuthEnv, TemporalServer } from './server';

export interface Stack {
  config: Config;
  server: TemporalServer;
  simulators: Simulators;
  workers: SpawnedWorker[];
  /** The HTTP service: its https URL, the development API key, the authority that signed its certificate. */
  api: { url: string; key: string; caFile: string };
  /** The operators' Web UI. */
  uiUrl: string;
  /** The read-only Web UI. */
  viewerUiUrl: string;
  /** Dex, the issuer of the users' tokens. */
  issuer: string;
  /** Who logs in, and the stack's other secrets (`.temporal/stack/login`). */
  logins: Logins;
  /** The codec server: where it serves, and the file its audit lines go to. */
  codec: { url: string; log: string };
  /** The workers' worker deployment and build id. */
  deployment: { name: string; buildId: string };
  /** Where the logs are (the server's, the UI server's, each worker's). */
  logs: string;
  /** The development authority and the certificates it issued (`.temporal/stack/certs`). */
  certificates: Certificates;
  /** A worker of another build on this stack (a deploy), stopped with the stack. */
  addWorker(name: string, buildId: string, entry?: WorkerEntry): Promise<SpawnedWorker>;
  /** Makes a build of the deployment current: new onboardings start on it (ops/temporal/release.sh). */
  release(buildId: string): Promise<void>;
  stop(): Promise<void>;
}

const gitHead = (): string | undefined => {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: projectRoot }).toString().trim();
  } catch {
    return undefined;
  }
};

export async function startStack(
  stackConfig: StackConfig,
  options: {
    log: (line: string) => void;
    autoSignMs?: number;
    /** Where PostgreSQL's data and the logs go (default `.temporal/stack`); a test gives a folder of its own. */
    dataDir?: string;
  },
): Promise<Stack> {
  const { log } = options;
  const tooling = loadToolingConfig();
  const cache = cacheDir(tooling);
  const dataDir = options.dataDir ?? join(cache, 'stack');
  const logs = join(dataDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const binaries = await ensureStackBinaries(cache, log);
    const cli = await resolveBinary('cli', tooling, { log });
    if (cli.path === undefined)
      throw new Error('the temporal CLI was not found: run npm run temporal:binaries');
    const certificates = ensureCertificates(certificatesDir(cache), {
      clients: ['admin', 'api', 'ui', 'worker-1', 'worker-2'],
      log,
    });
    trustAuthority(certificates.caFile);
    const logins = ensureLogins(join(cache, 'stack', 'login'));
    const uiUrl = `http://127.0.0.1:${stackConfig.STACK_UI_PORT}`;
    const viewerUiUrl = `http://127.0.0.1:${stackConfig.STACK_VIEWER_UI_PORT}`;
    const dex = await startDex({
      binary: binaries.dex,
      port: stackConfig.STACK_DEX_PORT,
      tls: certificates.dexServer,
      dataDir: join(dataDir, 'dex'),
      uiUrls: { operators: uiUrl, viewers: viewerUiUrl },
      logins,
      logFile: join(logs, 'dex.log'),
      log,
    });
    cleanups.push(() => dex.stop());
    // The Go servers fetch from Dex over HTTPS: they trust the stack's authority (and no other).
    const trustDex = { SSL_CERT_FILE: certificates.caFile };
    const db: Postgres = stackConfig.POSTGRES_URL
      ? postgresFromUrl(stackConfig.POSTGRES_URL)
      : await startLocalPostgres(join(dataDir, 'postgres'), stackConfig.STACK_POSTGRES_PORT, log);
    cleanups.push(() => db.stop());
    await migrateSchemas(binaries, db, log);

    const server = new TemporalServer(
      binaries.server,
      cli.path,
      db,
      { frontend: stackConfig.STACK_TEMPORAL_PORT, metrics: stackConfig.STACK_TEMPORAL_METRICS_PORT },
      { server: certificates.server, admin: certificates.client('admin') },
      serverAuthEnv(dex, certificates.caFile),
      join(logs, 'temporal-server.log'),
      log,
    );
    cleanups.push(() => server.stop());
    await server.start();

    const uiOrigins = [uiUrl, viewerUiUrl].join(',');
    const env = {
      TEMPORAL_ADDRESS: server.address,
      CODEC_SERVER_PORT: String(stackConfig.STACK_CODEC_PORT),
      CODEC_SERVER_CORS_ORIGINS: uiOrigins,
      API_PORT: String(stackConfig.STACK_API_PORT),
      DATA_KEY_STORE_URL: dataKeyStoreUrl(db),
      ...toolingPoliciesEnv(),
    };
    // The codec server decodes for the Web UIs' users (their token, forwarded by the browser) and
    // for the CLI's token; its audit lines go to a log of their own.
    const codecLog = join(logs, 'codec-server.log');
    const codecAudit = createWriteStream(codecLog, { flags: 'a' });
    cleanups.push(() => new Promise((resolve) => codecAudit.end(resolve)));
    const codecHttp = await startCodecServer(
      loadConfig({
        ...process.env,
        ...env,
        CODEC_SERVER_TOKENS: `cli:decode+encode+command:${sha256Hex(logins.codecCliToken)}`,
        CODEC_SERVER_OIDC_ISSUER: dex.issuer,
        CODEC_SERVER_OIDC_AUDIENCES: Object.values(CLIENTS).join(','),
        CODEC_SERVER_OIDC_DECODE_GROUPS: Object.values(GROUPS).join(','),
        CODEC_SERVER_OIDC_COMMAND_GROUPS: GROUPS.operators,
      }),
      { port: 0, log: (line) => codecAudit.write(`${line}\n`) },
    );
    cleanups.push(() => codecHttp.close());
    // The Web UI sends its users' tokens to an https:// codec endpoint only.
    const codec = await startHttpsFront(
      codecHttp.url,
      certificates.codecServer,
      stackConfig.STACK_CODEC_PORT,
    );
    cleanups.push(() => codec.close());
    // The Web UI servers on the repository's configuration (ops/temporal-ui), as compose mounts it:
    // the operators' and the read-only one, each an OIDC client of its own.
    const webUi = (name: string, url: string, client: keyof typeof CLIENTS, readOnly: boolean) => {
      const ui = new Child(
        name,
        binaries.ui,
        ['--root', join(projectRoot, 'ops'), '--config', 'temporal-ui', '--env', 'production', 'start'],
        {
          env: {
            ...process.env,
            TEMPORAL_ADDRESS: server.address,
            TEMPORAL_UI_HOST: '127.0.0.1',
            TEMPORAL_UI_PORT: new URL(url).port,
            TEMPORAL_CODEC_ENDPOINT: codec.url,
            TEMPORAL_CORS_ORIGINS: uiOrigins,
            TEMPORAL_DISABLE_WRITE_ACTIONS: String(readOnly),
            TEMPORAL_AUTH_PROVIDER_URL: dex.issuer,
            TEMPORAL_AUTH_CLIENT_ID: CLIENTS[client],
            TEMPORAL_AUTH_CLIENT_SECRET: logins.clientSecrets[client],
            TEMPORAL_AUTH_CALLBACK_URL: `${url}/auth/sso/callback`,
            ...trustDex,
            ...tlsEnv(certificates.client('ui'), SERVER_NAME),
          },
          output: join(logs, `${name.replace(/ /g, '-')}.log`),
        },
      );
      cleanups.push(() => ui.stop());
      const died = ui.exited.then(() => {
        throw new Error(`${name} exited at start; its last lines:\n${ui.tail()}`);
      });
      return Promise.race([waitForPort('127.0.0.1', Number(new URL(url).port), 60_000), died]);
    };
    await Promise.all([
      webUi('ui-server', uiUrl, 'operators', false),
      webUi('ui-server read-only', viewerUiUrl, 'viewers', true),
    ]);

    const simulators = await startSimulators(loadSimulatorConfig(), {
      randomPorts: true,
      autoSignMs: options.autoSignMs ?? 2_000,
      webhookBaseUrl: `https://127.0.0.1:${stackConfig.STACK_API_PORT}/webhooks`,
    });
    cleanups.push(() => simulators.close());
    const config = loadConfig({
      ...process.env,
      ...env,
      ...simulators.baseUrls,
      ...tlsEnv(certificates.client('api'), SERVER_NAME),
      API_TLS_CERT_PATH: certificates.apiServer.cert,
      API_TLS_KEY_PATH: certificates.apiServer.key,
    });
    const api: RunningApi = await startApi(config, { log: () => undefined });
    cleanups.push(() => api.close());

    const deployment = {
      name: stackConfig.STACK_DEPLOYMENT_NAME,
      buildId: stackConfig.STACK_BUILD_ID ?? gitHead() ?? 'local',
    };
    const workers: SpawnedWorker[] = [];
    let metricsPort = stackConfig.STACK_WORKER_METRICS_PORT;
    const newWorker = (name: string, buildId: string, entry?: WorkerEntry) => {
      const worker = new SpawnedWorker(
        name,
        {
          ...env,
          ...simulators.baseUrls,
          TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${metricsPort++}`,
          TEMPORAL_WORKER_IDENTITY: name,
          TEMPORAL_DEPLOYMENT_NAME: deployment.name,
          TEMPORAL_BUILD_ID: buildId,
          ...tlsEnv(certificates.client(name), SERVER_NAME),
        },
        join(logs, `${name}.log`),
        entry,
      );
      workers.push(worker);
      return worker;
    };
    cleanups.push(async () => {
      await Promise.all(workers.map((w) => w.kill('SIGTERM')));
    });
    const release = (buildId: string) => server.release(deployment.name, buildId);
    await Promise.all(
      [newWorker('worker-1', deployment.buildId), newWorker('worker-2', deployment.buildId)].map((w) =>
        w.start(),
      ),
    );
    await release(deployment.buildId);

    const removeEndpoints = writeEndpoints(cache, {
      temporal: server.address,
      namespace: config.TEMPORAL_NAMESPACE,
      api: api.url,
      ui: uiUrl,
      simulators: simulators.baseUrls,
    });
    cleanups.push(async () => removeEndpoints());

    return {
      config,
      server,
      simulators,
      workers,
      api: {
        url: api.url,
        key: resolveApiKeys(config).developmentKey ?? '',
        caFile: certificates.caFile,
      },
      uiUrl,
      viewerUiUrl,
      issuer: dex.issuer,
      logins,
      codec: { url: codec.url, log: codecLog },
      deployment,
      logs,
      certificates,
      addWorker: async (name, buildId, entry) => {
        const worker = newWorker(name, buildId, entry);
        await worker.start();
        return worker;
      },
      release,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
