/**
 * The production topology (`npm run stack`: Temporal built from its Go module on PostgreSQL, the
 * Web UI server, the codec server, the API, the simulators and two workers as one worker
 * deployment version) under what production meets: a worker SIGKILLed, the Temporal server
 * restarted on its database, a deploy of an incompatible build. And docker-compose.yml, read by
 * the parser Docker Compose itself uses, runs the same configuration files.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnboardingClient, type OnboardingInputDraft } from '../../src/client';
import { workflowIdFor } from '../../src/messages';
import { signingProviderNames, type SigningProviderName } from '../../src/providers/registry';
import { dataConverter, failureConverterPath } from '../../src/temporal/data-converter';
import { resolveKeyring } from '../../src/temporal/keyring';
import { ClientCalls, driveOnboarding, type Driven } from '../../scripts/chaos/drive';
import { chaosInputs } from '../../scripts/chaos/inputs';
import { objectViolations, openEnvelopes, tallyObjects } from '../../scripts/chaos/objects';
import { providerStates } from '../../scripts/chaos/simulator-reads';
import { cacheDir } from '../../scripts/temporal/binaries';
import { loadToolingConfig, projectRoot } from '../../scripts/temporal/config';
import { STACK_VERSIONS } from '../../scripts/stack/binaries';
import { loadStackConfig } from '../../scripts/stack/config';
import { startStack, type Stack } from '../../scripts/stack/topology';
import { prebundledWorker } from '../../scripts/spawned-worker';

const log = (line: string) => console.log(`[stack] ${line}`);

let stack: Stack;
let connection: Connection;
let client: OnboardingClient;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stack-test-'));
  // PostgreSQL runs as its own user when this is root, and must reach its folder inside.
  chmodSync(dataDir, 0o755);
  stack = await startStack(loadStackConfig(), { log, autoSignMs: 1_000, dataDir });
  connection = await Connection.connect({ address: stack.server.address });
  client = new OnboardingClient(
    new Client({ connection, dataConverter: dataConverter(resolveKeyring(stack.config)) }),
    stack.config.TEMPORAL_TASK_QUEUE,
  );
});

afterAll(async () => {
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
      CODEC_UI_TOKEN: 'placeholder',
      API_KEYS: 'ops:placeholder',
      BUILD_ID: 'b1',
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
          entrypoint?: string[];
          command?: string[];
          volumes?: Array<{ source: string; target: string }>;
          deploy?: { replicas?: number };
          environment?: Record<string, string>;
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
    expect(s['temporal']?.image).toMatch(/^temporalio\/server:/);
    expect(mounts('temporal')).toContain(`${join(ops, 'temporal')} -> /etc/temporal/config`);
    expect(s['temporal']?.command?.join(' ')).toContain('--env production');
    expect(s['temporal-schema']?.entrypoint).toEqual(['sh', '/etc/credit-onboarding/schema.sh']);
    expect(s['temporal-setup']?.entrypoint).toEqual(['sh', '/etc/credit-onboarding/setup.sh']);
    expect(s['worker-release']?.entrypoint).toEqual(['sh', '/etc/credit-onboarding/release.sh']);
    for (const name of ['temporal-schema', 'temporal-setup', 'worker-release'])
      expect(mounts(name)).toContain(`${join(ops, 'temporal')} -> /etc/credit-onboarding`);
    expect(mounts('temporal-ui')).toContain(
      `${join(ops, 'temporal-ui', 'production.yaml')} -> /home/ui-server/config/production.yaml`,
    );
    // The same versions as the stack builds.
    expect(s['temporal']?.image?.split(':')[1]).toBe(STACK_VERSIONS.server.replace(/^v/, ''));
    expect(s['temporal-ui']?.image?.split(':')[1]).toBe(STACK_VERSIONS.ui.replace(/^v/, ''));
    // Two workers of one deployment version.
    expect(s['worker']?.deploy?.replicas).toBe(2);
    expect(s['worker']?.environment).toMatchObject({ TEMPORAL_BUILD_ID: 'b1' });

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
