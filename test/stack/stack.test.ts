/**
 * The production topology (`npm run stack`: Temporal built from its Go module on PostgreSQL, the
 * Web UI server, the codec server, the API, the simulators and two workers as one worker
 * deployment version) under what production meets: a worker SIGKILLed, the Temporal server
 * restarted on its database, a deploy of an incompatible build; and who reaches Temporal: mutual
 * TLS, each client with its own certificate, none without one or with another authority's. And
 * docker-compose.yml, read by the parser Docker Compose itself uses, runs the same configuration
 * files and certificate layout.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnboardingClient, type OnboardingInputDraft } from '../../src/client';
import { loadConfig } from '../../src/config';
import { workflowIdFor } from '../../src/messages';
import { signingProviderNames, type SigningProviderName } from '../../src/providers/registry';
import { temporalConnectionSettings } from '../../src/temporal/connection';
import { configuredDataConverter, failureConverterPath } from '../../src/temporal/data-converter';
import type { DataKeys } from '../../src/temporal/data-keys/data-keys';
import { PostgresDataKeyStore } from '../../src/temporal/data-keys/postgres-store';
import { ClientCalls, driveOnboarding, type Driven } from '../../scripts/chaos/drive';
import { chaosInputs } from '../../scripts/chaos/inputs';
import { objectViolations, openEnvelopes, tallyObjects } from '../../scripts/chaos/objects';
import { providerStates } from '../../scripts/chaos/simulator-reads';
import { cacheDir } from '../../scripts/temporal/binaries';
import { loadToolingConfig, projectRoot } from '../../scripts/temporal/config';
import { STACK_VERSIONS } from '../../scripts/stack/binaries';
import {
  certificatesDir,
  COMPOSE_CLIENTS,
  ensureCertificates,
  tlsEnv,
} from '../../scripts/stack/certificates';
import { loadStackConfig } from '../../scripts/stack/config';
import { CLIENTS, GROUPS } from '../../scripts/stack/logins';
import { SERVER_NAME } from '../../scripts/stack/server';
import { startStack, type Stack } from '../../scripts/stack/topology';
import { prebundledWorker } from '../../scripts/spawned-worker';

const log = (line: string) => console.log(`[stack] ${line}`);

let stack: Stack;
let connection: Connection;
let client: OnboardingClient;
let dataKeys: DataKeys;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stack-test-'));
  // PostgreSQL runs as its own user when this is root, and must reach its folder inside.
  chmodSync(dataDir, 0o755);
  stack = await startStack(loadStackConfig(), { log, autoSignMs: 1_000, dataDir });
  // The test drives onboardings as a lender's backend would, through the product's client: with
  // the API's certificate, a writer in the namespace (ops/temporal/server/claims.go).
  const settings = clientSettings('api');
  connection = await Connection.connect({ address: settings.address, tls: settings.tls });
  // Its data keys in the stack's PostgreSQL, as the API and the workers have them.
  const configured = configuredDataConverter(stack.config);
  dataKeys = configured.dataKeys;
  client = new OnboardingClient(
    new Client({ connection, dataConverter: configured.dataConverter }),
    stack.config.TEMPORAL_TASK_QUEUE,
    undefined,
    dataKeys,
  );
});

/** The product's connection settings (src/temporal/connection.ts) for a client of the stack named `name`. */
function clientSettings(name: string) {
  return temporalConnectionSettings(
    loadConfig({
      ...process.env,
      TEMPORAL_ADDRESS: stack.server.address,
      ...tlsEnv(stack.certificates.client(name), SERVER_NAME),
    }),
  );
}

afterAll(async () => {
  await dataKeys?.store.close();
  await connection?.close();
  await stack?.stop();
});

/** Drives onboardings as a lender's backend would, repeating calls that meet the server down. */
function drive(inputs: OnboardingInputDraft[], calls: ClientCalls): Promise<Driven[]> {
  const driver = {
    calls,
    smsTokenFor: (id: string) => stack.simulators.datatrust.smsTokenFor(id),
    deadline: Date.now() + 8 * 60_000,
    signal: new AbortController().signal,
    pollMs: 500,
  };
  return Promise.all(inputs.map((input) => driveOnboarding(driver, input)));
}

async function metricTotal(url: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(url)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** The identities of the workers that completed each onboarding's workflow and activity tasks. */
async function workersOf(onboardingId: string): Promise<Set<string>> {
  const history = await client.client.workflow.getHandle(workflowIdFor(onboardingId)).fetchHistory();
  const identities = new Set<string>();
  for (const e of history.events ?? []) {
    const identity =
      e.workflowTaskCompletedEventAttributes?.identity ?? e.activityTaskStartedEventAttributes?.identity;
    if (identity) identities.add(identity);
  }
  return identities;
}

describe('docker-compose.yml', () => {
  it('is a valid Compose file, read by compose-go, and runs the configuration files the stack runs', async () => {
    const env = {
      ...process.env,
      TEMPORAL_ENCRYPTION_KEYS: 'k1:placeholder',
      EVIDENCE_SIGNING_KEY: 'placeholder',
      API_KEYS: 'ops:placeholder',
      DEX_OPERATOR_PASSWORD_HASH: '$2b$10$operatorplaceholderhash',
      DEX_VIEWER_PASSWORD_HASH: '$2b$10$viewerplaceholderhash',
      WEB_UI_OPERATORS_CLIENT_SECRET: 'operators-secret-placeholder',
      WEB_UI_VIEWERS_CLIENT_SECRET: 'viewers-secret-placeholder',
      BUILD_ID: 'b1',
      POSTGRES_PASSWORD: 'placeholder-password',
      GOPATH: join(cacheDir(loadToolingConfig()), 'go'),
      GOFLAGS: '-modcacherw',
      GOTOOLCHAIN: 'local',
    };
    const check = (args: string[]) =>
      promisify(execFile)('go', ['run', '.', join(projectRoot, 'docker-compose.yml'), ...args], {
        cwd: join(projectRoot, 'scripts', 'stack', 'compose-check'),
        env,
        maxBuffer: 16 * 1024 * 1024,
      });
    const { stdout } = await check(['simulators']);
    const project = JSON.parse(stdout) as {
      services: Record<
        string,
        {
          image?: string;
          build?: { target?: string };
          entrypoint?: string[];
          command?: string[];
          volumes?: Array<{ source: string; target: string; read_only?: boolean }>;
          deploy?: { replicas?: number };
          environment?: Record<string, string>;
          ports?: Array<{ target: number; published?: string; host_ip?: string }>;
        }
      >;
    };
    const s = project.services;
    const mounts = (name: string) => (s[name]?.volumes ?? []).map((v) => `${v.source} -> ${v.target}`);
    const ops = join(projectRoot, 'ops');

    // No auto-setup: the server image on the repository's config, an explicit schema step.
    expect(Object.values(s).map((x) => x.image ?? '')).not.toContainEqual(
      expect.stringContaining('auto-setup'),
    );
    // The project's build of the server (ops/temporal/server) on Temporal's image, without
    // --allow-no-auth: every call is authorized.
    expect(s['temporal']?.build?.target).toBe('temporal-server');
    const dockerfile = readFileSync(join(projectRoot, 'Dockerfile'), 'utf8');
    const serverImage = /^FROM (temporalio\/server:\S+) AS temporal-server$/m.exec(dockerfile)?.[1];
    expect(mounts('temporal')).toContain(`${join(ops, 'temporal')} -> /etc/temporal/config`);
    expect(s['temporal']?.command?.join(' ')).toContain('--env production');
    expect(s['temporal']?.command?.join(' ')).not.toContain('--allow-no-auth');
    expect(s['temporal-schema']?.entrypoint).toEqual(['sh', '/etc/credit-onboarding/schema.sh']);
    expect(s['temporal-setup']?.entrypoint).toEqual(['sh', '/etc/credit-onboarding/setup.sh']);
    expect(s['worker-release']?.entrypoint).toEqual(['sh', '/etc/credit-onboarding/release.sh']);
    for (const name of ['temporal-schema', 'temporal-setup', 'worker-release'])
      expect(mounts(name)).toContain(`${join(ops, 'temporal')} -> /etc/credit-onboarding`);
    for (const ui of ['temporal-ui', 'temporal-ui-readonly'])
      expect(mounts(ui), ui).toContain(
        `${join(ops, 'temporal-ui', 'production.yaml')} -> /home/ui-server/config/production.yaml`,
      );
    expect(mounts('dex')).toContain(`${join(ops, 'dex', 'config.yaml')} -> /etc/dex/config.yaml`);
    expect(s['dex']?.command).toEqual(['dex', 'serve', '/etc/dex/config.yaml']);
    // The same versions as the stack builds.
    expect(serverImage?.split(':')[1]).toBe(STACK_VERSIONS.server.replace(/^v/, ''));
    for (const ui of ['temporal-ui', 'temporal-ui-readonly'])
      expect(s[ui]?.image?.split(':')[1], ui).toBe(STACK_VERSIONS.ui.replace(/^v/, ''));
    expect(s['dex']?.image).toBe(`ghcr.io/dexidp/dex:${STACK_VERSIONS.dex}`);
    // Two workers of one deployment version.
    expect(s['worker']?.deploy?.replicas).toBe(2);
    expect(s['worker']?.environment).toMatchObject({ TEMPORAL_BUILD_ID: 'b1' });

    // Mutual TLS: the server and each client mount their principal's folder of the layout the
    // stack uses (`npm run certificates` makes compose's set), read-only, and nothing else of it.
    const certs = ensureCertificates(certificatesDir(), { clients: COMPOSE_CLIENTS });
    const tlsMount = (name: string) =>
      (s[name]?.volumes ?? []).filter((v) => v.target === '/etc/temporal-tls');
    const principals = {
      temporal: 'temporal',
      'temporal-setup': 'admin',
      'worker-release': 'admin',
      'temporal-ui': 'ui',
      'temporal-ui-readonly': 'ui',
      worker: 'worker',
      api: 'api',
    } as const;
    for (const [service, principal] of Object.entries(principals)) {
      expect(tlsMount(service), service).toEqual([
        expect.objectContaining({ source: join(certs.dir, principal), read_only: true }),
      ]);
      for (const file of ['ca.pem', 'cert.pem', 'key.pem'])
        expect(existsSync(join(certs.dir, principal, file)), `${principal}/${file}`).toBe(true);
    }
    expect(Object.values(principals).filter((p) => p !== 'temporal')).toEqual(
      expect.arrayContaining([...COMPOSE_CLIENTS]),
    );
    // No service is given the authority's key; the codec server does not connect to Temporal.
    for (const [name, service] of Object.entries(s))
      for (const v of service.volumes ?? []) expect(v.source, name).not.toContain(join(certs.dir, 'ca'));
    expect(tlsMount('codec-server')).toEqual([]);
    // The variables the configuration files refuse to start without are set, to the mounted files.
    const required = (file: string) =>
      [
        ...(/range list ((?:"[A-Z_]+" ?)+)/.exec(readFileSync(file, 'utf8'))?.[1] ?? '').matchAll(
          /"([A-Z_]+)"/g,
        ),
      ].map((m) => m[1]!);
    const serverVariables = required(join(ops, 'temporal', 'production.yaml'));
    expect(serverVariables).toEqual(
      expect.arrayContaining(['POSTGRES_PASSWORD', 'TEMPORAL_SERVER_TLS_CERT_FILE']),
    );
    for (const v of serverVariables) expect(s['temporal']?.environment?.[v], v).toBeTruthy();
    expect(s['temporal']?.environment?.['TEMPORAL_SERVER_TLS_KEY_FILE']).toBe('/etc/temporal-tls/key.pem');
    const clientVariables = required(join(ops, 'temporal-ui', 'production.yaml'));
    expect(clientVariables).toEqual(expect.arrayContaining(['TEMPORAL_TLS_CERT_PATH']));
    for (const service of [
      'temporal-ui',
      'temporal-ui-readonly',
      'temporal-setup',
      'worker-release',
      'worker',
      'api',
    ])
      for (const v of clientVariables)
        expect(s[service]?.environment?.[v], `${service} ${v}`).toMatch(/^\/etc\/temporal-tls\//);

    // Login: each Web UI an OIDC client of its own, the read-only one without write actions; Dex,
    // the Web UIs, the codec server and the Temporal server name one issuer, which the browser and
    // the containers both reach (docs/production.md); every secret from .env.
    const uiAuthVariables = [
      ...readFileSync(join(ops, 'temporal-ui', 'production.yaml'), 'utf8').matchAll(
        /range list ((?:"[A-Z_]+" ?)+)/g,
      ),
    ]
      .slice(1)
      .flatMap((m) => [...m[1]!.matchAll(/"([A-Z_]+)"/g)].map((v) => v[1]!));
    expect(uiAuthVariables).toEqual(expect.arrayContaining(['TEMPORAL_AUTH_CLIENT_SECRET']));
    const ui = s['temporal-ui']?.environment ?? {};
    const readOnly = s['temporal-ui-readonly']?.environment ?? {};
    for (const v of uiAuthVariables) {
      expect(ui[v], `temporal-ui ${v}`).toBeTruthy();
      expect(readOnly[v], `temporal-ui-readonly ${v}`).toBeTruthy();
    }
    expect([ui['TEMPORAL_AUTH_CLIENT_ID'], readOnly['TEMPORAL_AUTH_CLIENT_ID']]).toEqual([
      CLIENTS.operators,
      CLIENTS.viewers,
    ]);
    expect([ui['TEMPORAL_DISABLE_WRITE_ACTIONS'], readOnly['TEMPORAL_DISABLE_WRITE_ACTIONS']]).toEqual([
      'false',
      'true',
    ]);
    expect(ui['TEMPORAL_AUTH_CLIENT_SECRET']).toBe('operators-secret-placeholder');
    expect(readOnly['TEMPORAL_AUTH_CLIENT_SECRET']).toBe('viewers-secret-placeholder');
    expect(ui['TEMPORAL_CODEC_ENDPOINT']).toMatch(/^https:\/\//);
    const issuer = s['dex']?.environment?.['DEX_ISSUER'];
    expect(issuer).toMatch(/^https:\/\//);
    expect([
      ui['TEMPORAL_AUTH_PROVIDER_URL'],
      readOnly['TEMPORAL_AUTH_PROVIDER_URL'],
      s['codec-server']?.environment?.['CODEC_SERVER_OIDC_ISSUER'],
      s['temporal']?.environment?.['TEMPORAL_SERVER_AUTH_ISSUER'],
    ]).toEqual([issuer, issuer, issuer, issuer]);
    expect(s['temporal']?.environment).toMatchObject({
      TEMPORAL_SERVER_AUTH_AUDIENCES: Object.values(CLIENTS).join(','),
      TEMPORAL_SERVER_AUTH_WRITER_GROUPS: GROUPS.operators,
      TEMPORAL_SERVER_AUTH_READER_GROUPS: GROUPS.viewers,
    });
    expect(s['codec-server']?.environment).toMatchObject({
      CODEC_SERVER_OIDC_AUDIENCES: Object.values(CLIENTS).join(','),
      CODEC_SERVER_OIDC_DECODE_GROUPS: Object.values(GROUPS).join(','),
    });
    expect(s['dex']?.environment).toMatchObject({
      DEX_OPERATOR_PASSWORD_HASH: '$2b$10$operatorplaceholderhash',
      DEX_WEB_UI_OPERATORS_SECRET: 'operators-secret-placeholder',
      DEX_WEB_UI_VIEWERS_SECRET: 'viewers-secret-placeholder',
    });
    // Dex serves HTTPS with the authority's `dex` certificate (its key mounted nowhere else).
    expect(s['dex']?.volumes).toContainEqual(
      expect.objectContaining({ source: join(certs.dir, 'dex'), target: '/etc/dex-tls', read_only: true }),
    );
    for (const [name, service] of Object.entries(s))
      if (name !== 'dex')
        for (const v of service.volumes ?? []) expect(v.source, name).not.toBe(join(certs.dir, 'dex'));
    // No default for a secret: without one, compose refuses the file and names it.
    for (const secret of ['DEX_VIEWER_PASSWORD_HASH', 'WEB_UI_VIEWERS_CLIENT_SECRET']) {
      const refusal = await promisify(execFile)('go', ['run', '.', join(projectRoot, 'docker-compose.yml')], {
        cwd: join(projectRoot, 'scripts', 'stack', 'compose-check'),
        env: { ...env, [secret]: '' },
      }).catch((err: unknown) => err as { code: number; stderr: string });
      expect(refusal, secret).toMatchObject({ code: 1, stderr: expect.stringContaining(secret) });
    }
    // PostgreSQL's password comes from the environment (.env), with no default.
    for (const service of ['postgresql', 'temporal-schema', 'temporal'])
      expect(s[service]?.environment?.['POSTGRES_PASSWORD'], service).toBe('placeholder-password');

    // The API serves HTTPS with the authority's `api-https` certificate (or the lender's folder),
    // and the simulators check it when they deliver webhooks.
    const apiTls = { source: join(certs.dir, 'api-https'), target: '/etc/api-tls', read_only: true };
    for (const service of ['api', 'simulators'])
      expect(s[service]?.volumes, service).toContainEqual(expect.objectContaining(apiTls));
    expect(s['api']?.environment).toMatchObject({
      API_TLS_CERT_PATH: '/etc/api-tls/cert.pem',
      API_TLS_KEY_PATH: '/etc/api-tls/key.pem',
    });
    expect(s['simulators']?.environment).toMatchObject({
      SIMULATOR_WEBHOOK_BASE_URL: 'https://api:8088/webhooks',
      NODE_EXTRA_CA_CERTS: '/etc/api-tls/ca.pem',
    });

    // Published: the API on every interface; everything else on 127.0.0.1 only; Temporal's
    // frontend and PostgreSQL not at all.
    const published = Object.entries(s).flatMap(([name, service]) =>
      (service.ports ?? []).map((p) => `${name} ${p.host_ip ?? '*'}:${p.published}`),
    );
    expect(published.filter((p) => !p.includes(' 127.0.0.1:'))).toEqual(['api *:8088']);
    expect(s['temporal']?.ports ?? []).toEqual([]);
    expect(s['postgresql']?.ports ?? []).toEqual([]);

    // A file that breaks the specification is refused (so the check above can fail).
    const broken = join(mkdtempSync(join(tmpdir(), 'compose-')), 'docker-compose.yml');
    writeFileSync(broken, 'services:\n  temporal:\n    image: temporalio/server:1.29.1\n    ports: 7233\n');
    const refused = await promisify(execFile)('go', ['run', '.', broken], {
      cwd: join(projectRoot, 'scripts', 'stack', 'compose-check'),
      env,
    }).catch((err: unknown) => err as { code: number; stderr: string });
    expect(refused).toMatchObject({ code: 1 });
  });
});

/**
 * Connects to the stack's Temporal as `tls` says and lists its namespaces; what it got, or why not.
 * One call, no retries (no interceptors): a retry timer left behind would call on the closed channel.
 */
async function reachTemporal(tls?: ConnectionOptions['tls']): Promise<string> {
  const attempt = Connection.lazy({
    address: stack.server.address,
    connectTimeout: '3s',
    interceptors: [],
    ...(tls ? { tls } : {}),
  });
  try {
    const { namespaces } = await attempt.withDeadline(Date.now() + 5_000, () =>
      attempt.workflowService.listNamespaces({}),
    );
    return `listed ${namespaces.map((n) => n.namespaceInfo?.name).join(', ')}`;
  } catch (err) {
    return `refused: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    await attempt.close();
  }
}

/**
 * The TLS handshake alone, as gRPC opens it, with these credentials: how the server ended it, or
 * `accepted` when it kept the connection. (The SDK's error says only that it could not connect.)
 */
function handshake(
  credentials: { ca: Buffer; cert?: Buffer; key?: Buffer },
  port = Number(stack.server.address.split(':').at(-1)),
): Promise<string> {
  return new Promise((resolve) => {
    let settled = false;
    const socket = tlsConnect({
      host: '127.0.0.1',
      port,
      servername: SERVER_NAME,
      ALPNProtocols: ['h2'],
      ...credentials,
    });
    const done = (answer: string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(answer);
    };
    socket.on('error', (err) => done(`refused: ${err.message}`));
    socket.on('close', () => done('refused: the server closed the connection'));
    // With TLS 1.3 the server judges the client's certificate after the client's last message:
    // its alert comes just after the handshake seems done, so read for a moment.
    socket.on('secureConnect', () => setTimeout(() => done('accepted'), 1_500));
    socket.resume();
  });
}

describe('who reaches Temporal: mutual TLS', () => {
  const ca = () => readFileSync(stack.certificates.caFile);

  it('a client without a certificate cannot', async () => {
    const plain = await reachTemporal();
    log(`no TLS: ${plain}`);
    expect(plain).toMatch(/^refused: /);
    // One that speaks TLS and trusts the server, but has no certificate of its own.
    const anonymous = await reachTemporal({ serverRootCACertificate: ca(), serverNameOverride: SERVER_NAME });
    log(`TLS without a client certificate: ${anonymous}`);
    expect(anonymous).toMatch(/^refused: /);
    const refusal = await handshake({ ca: ca() });
    log(`its handshake: ${refusal}`);
    expect(refusal).toMatch(/^refused: .*alert certificate required/i);
    // So do the frontend's HTTP API, history's and matching's gRPC ports, and the four services'
    // membership ports (scripts/stack/server.ts: the frontend's port + 10, + 1, + 2; - 700, - 699,
    // - 698, - 694). The worker service serves no gRPC.
    const frontend = Number(stack.server.address.split(':').at(-1));
    const ports = [10, 1, 2, -700, -699, -698, -694].map((offset) => frontend + offset);
    for (const port of ports)
      expect(`${port} ${await handshake({ ca: ca() }, port)}`).toMatch(
        new RegExp(`^${port} refused: .*alert certificate required`, 'i'),
      );
  });

  it('a client with a certificate from another authority cannot', async () => {
    const foreign = ensureCertificates(mkdtempSync(join(tmpdir(), 'foreign-ca-')), { clients: ['intruder'] });
    const intruder = foreign.client('intruder');
    const pair = { crt: readFileSync(intruder.cert), key: readFileSync(intruder.key) };
    // It trusts the stack's server, so that what fails is the server refusing it.
    const answer = await reachTemporal({
      serverRootCACertificate: ca(),
      serverNameOverride: SERVER_NAME,
      clientCertPair: pair,
    });
    log(`another authority's certificate: ${answer}`);
    expect(answer).toMatch(/^refused: /);
    const refusal = await handshake({ ca: ca(), cert: pair.crt, key: pair.key });
    log(`its handshake: ${refusal}`);
    expect(refusal).toMatch(/^refused: .*alert (unknown ca|bad certificate)/i);

    // The same attempts with a certificate of the stack's authority are let in; what they may do
    // then is the authorizer's: a principal it does not know may do nothing, `admin` may list.
    const own = stack.certificates.client('stack-test');
    expect(await handshake({ ca: ca(), cert: readFileSync(own.cert), key: readFileSync(own.key) })).toBe(
      'accepted',
    );
    expect(await reachTemporal(clientSettings('stack-test').tls)).toMatch(/^refused: .*PERMISSION_DENIED/);
    expect(await reachTemporal(clientSettings('admin').tls)).toMatch(/^listed .*\bdefault\b/);
  });

  it('the workers, the API and the Web UI server connect, each with its own certificate', async () => {
    const { pollers } = await connection.workflowService.describeTaskQueue({
      namespace: stack.config.TEMPORAL_NAMESPACE,
      taskQueue: { name: stack.config.TEMPORAL_TASK_QUEUE },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    expect((pollers ?? []).map((p) => p.identity)).toEqual(expect.arrayContaining(['worker-1', 'worker-2']));
    // Each of its own: no two share a certificate.
    const principals = ['worker-1', 'worker-2', 'api', 'ui', 'admin'];
    const subjects = principals.map(
      (name) => new X509Certificate(readFileSync(stack.certificates.client(name).cert)),
    );
    expect(subjects.map((c) => c.subject.split('\n').find((l) => l.startsWith('CN=')))).toEqual(
      principals.map((name) => `CN=${name}`),
    );
    expect(new Set(subjects.map((c) => c.fingerprint256)).size).toBe(principals.length);

    // The API lists onboardings through Temporal's visibility: it connected.
    const listed = await fetch(`${stack.api.url}/v1/onboardings`, {
      headers: { authorization: `Bearer ${stack.api.key}` },
    });
    expect(listed.status).toBe(200);
    // Over HTTPS only: a request in clear gets no answer from it.
    const inClear = await fetch(`${stack.api.url.replace(/^https:/, 'http:')}/v1/onboardings`, {
      headers: { authorization: `Bearer ${stack.api.key}` },
    }).then(
      (res) => `HTTP ${res.status}`,
      (err: unknown) => `refused: ${String(err)}`,
    );
    expect(inClear).toMatch(/^refused|^HTTP 400/);

    // The Web UI servers answer nothing without a user's token; with one, what they answer from
    // Temporal is in test/stack/login.test.ts.
    for (const url of [stack.uiUrl, stack.viewerUiUrl])
      expect((await fetch(`${url}/api/v1/namespaces`)).status, url).toBe(401);
  });
});

describe('on the stack', () => {
  it('50 onboardings complete through a worker SIGKILL and a server restart, creating nothing twice, on both workers', async () => {
    const inputs = chaosInputs(50, 7).map((input) => ({
      ...input,
      onboardingId: input.onboardingId.replace(/^chaos-/, 'stack-'),
    }));
    const calls = new ClientCalls(client);
    const startedBefore = await Promise.all(
      stack.workers.map((w) => metricTotal(w.metricsUrl, 'credit_onboarding_started')),
    );
    const driving = drive(inputs, calls);

    await sleep(4_000);
    const [worker1, worker2] = stack.workers;
    log('SIGKILL worker-1');
    await worker1!.kill('SIGKILL');
    await sleep(1_000);
    await worker1!.start();
    log('worker-1 started again');
    await sleep(3_000);
    log('restarting the Temporal server');
    await stack.server.restart();
    log('Temporal server restarted');

    const driven = await driving;
    await calls.cancel(1_000);
    expect(
      driven
        .filter((d) => d.status !== 'completed')
        .map((d) => `${d.onboardingId}: ${d.status} ${d.lastError ?? ''}`),
    ).toEqual([]);

    const onboardings = inputs.map((input) => ({
      onboardingId: input.onboardingId,
      provider: input.signingProvider as SigningProviderName,
      completed: true,
    }));
    expect(new Set(onboardings.map((o) => o.provider)).size).toBe(signingProviderNames.length);
    const states = await providerStates(stack.simulators);
    // Objects of earlier tests on this stack are no onboarding of this run's: only this run's are checked.
    const violations = objectViolations(
      tallyObjects(states, onboardings),
      openEnvelopes(states, onboardings),
      onboardings,
    ).filter((v) => !/belong to no onboarding|the simulator counted|\(no onboarding\)/.test(v));
    expect(violations).toEqual([]);
    // The signing simulators' webhooks reached the API over HTTPS, its certificate checked (some
    // may have failed while the server restarted).
    for (const provider of signingProviderNames) {
      const { webhookDeliveries, webhookFailures } = (
        states as unknown as Record<
          string,
          { counts: { webhookDeliveries: number; webhookFailures: number } }
        >
      )[provider]!.counts;
      expect(webhookDeliveries - webhookFailures, provider).toBeGreaterThan(0);
    }

    // Both workers took work: their names are in the histories.
    const identities = new Set<string>();
    for (const o of onboardings) for (const id of await workersOf(o.onboardingId)) identities.add(id);
    expect([...identities]).toEqual(expect.arrayContaining(['worker-1', 'worker-2']));

    // The business metrics moved (worker-1's counters restarted with its process).
    const started = await Promise.all(
      stack.workers.map((w) => metricTotal(w.metricsUrl, 'credit_onboarding_started')),
    );
    expect(started[1]! - startedBefore[1]!).toBeGreaterThan(0);
    const ended = await Promise.all(
      stack.workers.map((w) =>
        metricTotal(w.metricsUrl, 'credit_onboarding_ended', { outcome: 'completed' }),
      ),
    );
    expect(ended.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    const calls2 = await metricTotal(worker2!.metricsUrl, 'credit_onboarding_provider_calls', {
      result: 'ok',
    });
    expect(calls2).toBeGreaterThan(0);
  });

  it("erases an onboarding's personal data by destroying its data key in PostgreSQL; its record still reads", async () => {
    const [input] = chaosInputs(1, 11).map((i) => ({
      ...i,
      onboardingId: i.onboardingId.replace(/^chaos-/, 'erase-'),
    }));
    const [driven] = await drive([input!], new ClientCalls(client));
    expect(driven!.status).toBe('completed');
    const workflowId = workflowIdFor(input!.onboardingId);
    const store = new PostgresDataKeyStore(stack.config.DATA_KEY_STORE_URL!);
    try {
      expect(await store.get(workflowId)).toMatchObject({ state: 'active' });
      expect(await client.erasePersonalData(input!.onboardingId)).toMatchObject({
        state: 'erased',
        cause: 'request',
      });
      const entry = await store.get(workflowId);
      expect(entry).toMatchObject({ state: 'erased' });
      expect(JSON.stringify(entry)).not.toContain(input!.applicant.name);
    } finally {
      await store.close();
    }
    const status = await client.status(input!.onboardingId);
    expect(status).toMatchObject({
      stage: 'finished',
      outcome: { status: 'completed' },
      personalData: { cause: 'request' },
    });
  });

  it("keeps closed onboardings for the namespace's configured retention (7 days unless TEMPORAL_RETENTION says)", async () => {
    const { config } = await connection.workflowService.describeNamespace({
      namespace: stack.config.TEMPORAL_NAMESPACE,
    });
    expect(Number(config?.workflowExecutionRetentionTtl?.seconds)).toBe(7 * 86_400);
  });

  it('a deploy of an incompatible build: onboardings started on A finish on A, new ones start on B', async () => {
    const buildA = stack.deployment.buildId;
    const providers = signingProviderNames;
    const inputsA = chaosInputs(providers.length, 21).map((input, i) => ({
      ...input,
      onboardingId: `deploy-a-${i}`,
      signingProvider: providers[i]!,
    }));
    const inputsB = chaosInputs(providers.length, 22).map((input, i) => ({
      ...input,
      onboardingId: `deploy-b-${i}`,
      signingProvider: providers[i]!,
    }));
    // A's onboardings start, and wait at the SMS token while the deploy happens.
    for (const input of inputsA) await client.start(input);
    for (const input of inputsA) {
      for (;;) {
        if ((await client.status(input.onboardingId)).stage === 'sms_token') break;
        await sleep(200);
      }
    }

    const dir = mkdtempSync(join(tmpdir(), 'build-b-'));
    const { code } = await bundleWorkflowCode({
      workflowsPath: join(projectRoot, 'test', 'fixtures', 'onboarding-build-b.ts'),
      failureConverterPath,
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    writeFileSync(join(dir, 'workflows.js'), code);
    await stack.addWorker('worker-b', 'build-b', prebundledWorker(join(dir, 'workflows.js')));
    await stack.release('build-b');

    const calls = new ClientCalls(client);
    // Starting A's again with the same input is answered with the running onboarding.
    const driven = await drive([...inputsA, ...inputsB], calls);
    await calls.cancel(1_000);
    expect(driven.map((d) => `${d.onboardingId} ${d.status}`)).toEqual(
      [...inputsA, ...inputsB].map((i) => `${i.onboardingId} completed`),
    );

    const versionOf = async (id: string) => {
      const { raw } = await client.client.workflow.getHandle(workflowIdFor(id)).describe();
      return raw.workflowExecutionInfo?.versioningInfo?.deploymentVersion?.buildId;
    };
    for (const i of inputsA) expect(await versionOf(i.onboardingId)).toBe(buildA);
    for (const i of inputsB) expect(await versionOf(i.onboardingId)).toBe('build-b');
    // Every workflow task of A's onboardings ran on A's workers, B's on B's.
    for (const i of inputsA)
      expect([...(await workersOf(i.onboardingId))].filter((w) => w === 'worker-b')).toEqual([]);
    for (const i of inputsB) expect(await workersOf(i.onboardingId)).toContain('worker-b');

    await stack.release(buildA);
  });
});
