/**
 * The onboarding under test, for real: the four simulators over loopback HTTP, the real provider
 * clients and activities, a worker on a real Temporal server (time-skipping or dev server), and the
 * client backend code uses.
 */
import { testPolicies } from './policies';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, inject } from 'vitest';
import { createActivities } from '../../src/activities';
import { bulkRepairActivities } from '../../src/activities/bulk-repair';
import { retentionActivities } from '../../src/activities/retention';
import { erasureActivities } from '../../src/activities/erasure';
import { signatureSweepActivities } from '../../src/activities/signature-sweep';
import { Client } from '@temporalio/client';
import { dataConverter, onboardingDataKeys } from '../../src/temporal/data-converter';
import type { DataKeys } from '../../src/temporal/data-keys/data-keys';
import { testKeyring } from '../fixtures/keyring';
import { OnboardingClient } from '../../src/client';
import { loadConfig, type Config } from '../../src/config';
import type { OnboardingInputDraft } from '../../src/domain/input';
import type { OnboardingStatus } from '../../src/domain/onboarding';
import { resolveEvidenceKey } from '../../src/evidence/keys';
import { buildProviders, type Providers } from '../../src/providers';
import { OnboardingWorkers } from '../../src/temporal/onboarding-workers';
import { startSimulators, type Simulators } from '../../simulators';
import { loadSimulatorConfig } from '../../simulators/config';
import { createEventActivities } from '../../src/events/delivery';
import { eventSetupOf } from '../../src/events/endpoints';
import {
  devServerEnv,
  testDataKeys,
  testWorkerConverter,
  timeSkippingEnv,
  uniqueTaskQueue,
} from './temporal';

export { cpfs, newOnboardingId, onboardingInput } from './inputs';

export interface HarnessOptions {
  /** Signers sign by themselves after this many ms (real time); null = only on demand. */
  autoSignMs?: number | null;
  /** How long simulated SMS tokens live (real time). */
  smsTokenTtlMs?: number;
  /** How the Assine Bem simulator reads what its document leaves open (default: ours). */
  assineBemReading?: 'ours' | 'other';
  /** Events to a receiver (EVENT_ENDPOINTS, EVENT_SIGNING_SECRETS, EVENT_RETRY_FIRST_MS); read when the harness is created. */
  events?: { endpoints: string; secrets: string; firstRetryMs: number };
  /** Data keys in a store of the test's own (default: the tests' shared store, test/helpers/temporal.ts). */
  dataKeys?: DataKeys;
  /** The retention period the retention sweep applies (default: a week). */
  retentionMs?: number;
  /** The signature sweep's interval the worker's routes give (SIGNATURE_SWEEP_SECONDS, in ms; default: off). */
  signatureSweepMs?: number;
  /** TASK_QUEUE_PRIORITY as the worker has it: on unless false. */
  applicantFirst?: boolean;
}

export interface Harness {
  env: TestWorkflowEnvironment;
  simulators: Simulators;
  providers: Providers;
  config: Config;
  client: OnboardingClient;
  taskQueue: string;
  /**
   * Runs `fn` while the worker polls; the worker stops when `fn` ends, and later runs need
   * `newWorker()`. Queries (even of a finished workflow) need a polling worker: query inside `fn`.
   */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** A fresh worker on the same task queue (for crash and restart tests). */
  newWorker(): Promise<OnboardingWorkers>;
  close(): Promise<void>;
}

export async function createHarness(
  env: TestWorkflowEnvironment,
  options: HarnessOptions = {},
): Promise<Harness> {
  const overrides: Record<string, string> = {
    SIMULATOR_SMS_TOKEN_TTL_MS: String(options.smsTokenTtlMs ?? 5 * 60_000),
    SIMULATOR_ASSINEBEM_READING: options.assineBemReading ?? 'ours',
  };
  const simulators = await startSimulators(loadSimulatorConfig(overrides), {
    randomPorts: true,
    autoSignMs: options.autoSignMs === undefined ? 0 : options.autoSignMs,
  });
  const config = loadConfig({
    ...simulators.baseUrls,
    ...(options.events
      ? {
          EVENT_ENDPOINTS: options.events.endpoints,
          EVENT_SIGNING_SECRETS: options.events.secrets,
          EVENT_RETRY_FIRST_MS: String(options.events.firstRetryMs),
        }
      : {}),
  });
  const events = eventSetupOf(config);
  const providers = buildProviders(config);
  const taskQueue = uniqueTaskQueue('onboarding');
  const dataKeys = options.dataKeys ?? testDataKeys;
  const temporalClient = options.dataKeys
    ? new Client({
        connection: env.connection,
        namespace: env.namespace ?? 'default',
        dataConverter: dataConverter(testKeyring, {
          erasedAsValues: true,
          ...onboardingDataKeys(options.dataKeys),
        }),
      })
    : env.client;
  const newWorker = () =>
    OnboardingWorkers.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { code: inject('workflowBundleCode') },
      activities: {
        ...createActivities({
          providers,
          policies: testPolicies,
          evidenceKey: resolveEvidenceKey(config),
          events,
          ...(options.signatureSweepMs ? { signatureSweepMs: options.signatureSweepMs } : {}),
          applicantFirst: options.applicantFirst ?? true,
        }),
        ...createEventActivities(events.routes),
        ...bulkRepairActivities(temporalClient),
        ...erasureActivities(temporalClient, dataKeys),
        ...retentionActivities(temporalClient, dataKeys, options.retentionMs ?? 7 * 86_400_000),
        ...signatureSweepActivities(temporalClient, providers.signing, 50),
      },
      dataConverter: options.dataKeys
        ? dataConverter(testKeyring, { refusalsAsValues: true, ...onboardingDataKeys(options.dataKeys) })
        : testWorkerConverter,
    });
  const client = new OnboardingClient(temporalClient, taskQueue, undefined, dataKeys);
  return {
    env,
    simulators,
    providers,
    config,
    client,
    taskQueue,
    // Each run gets its own worker: runUntil shuts the worker down when fn ends.
    run: async (fn) => (await newWorker()).runUntil(fn),
    newWorker,
    close: async () => {
      await providers.close();
      await simulators.close();
    },
  };
}

/**
 * Waits until the onboarding sleeps between signature checks: its envelope is out and its first
 * status check has answered. A cancel sent then races no activity completion, which the
 * time-skipping test server can refuse (ACTIVITY_UNKNOWN), leaving the workflow task stuck.
 */
export function idleOnSignatures(
  h: { client: OnboardingClient },
  onboardingId: string,
): Promise<OnboardingStatus> {
  return waitForStatus(
    h.client,
    onboardingId,
    (s) =>
      s.stage === 'waiting_signatures' &&
      s.references.envelopeId !== undefined &&
      s.signature?.nextCheck !== undefined,
  );
}

/** Polls the status query until `predicate` holds (real time; queries do not move the time-skipping clock). */
export async function waitForStatus(
  client: OnboardingClient,
  onboardingId: string,
  predicate: (s: OnboardingStatus) => boolean,
  timeoutMs = 20_000,
): Promise<OnboardingStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: OnboardingStatus | undefined;
  for (;;) {
    try {
      last = await client.status(onboardingId);
      if (predicate(last)) return last;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) {
      throw new Error(`status never matched; last stage ${last?.stage}, outcome ${last?.outcome?.status}`);
    }
    await sleep(50);
  }
}

/** Waits for the SMS token stage, then types the token the simulator sent for the current transaction. */
export async function answerSmsToken(h: Harness, onboardingId: string, token?: string) {
  const status = await waitForStatus(
    h.client,
    onboardingId,
    (s) => s.stage === 'sms_token' || s.outcome !== undefined,
  );
  if (status.outcome) throw new Error(`the onboarding ended before the SMS token: ${status.outcome.status}`);
  const sent = await h.simulators.datatrust.smsTokenFor(status.references.dataTrustTransactionId!);
  return h.client.validateSmsToken(onboardingId, token ?? sent);
}

/**
 * One onboarding from start to outcome, the applicant typing the token the simulator sent; returns
 * the outcome and the final status (queried while the worker still polls).
 */
export async function onboardToOutcome(h: Harness, input: OnboardingInputDraft) {
  return h.run(async () => {
    const { started } = await h.client.start(input);
    const answer = await answerSmsToken(h, input.onboardingId);
    const outcome = await h.client.result(input.onboardingId);
    return { started, answer, outcome, status: await h.client.status(input.onboardingId) };
  });
}

/** A token that is not the one the simulator sent. */
export const wrongToken = (right: string): string => (right === '000000' ? '111111' : '000000');

/**
 * Registers this test file's hooks: a Temporal server (its own time-skipping server, or the run's
 * dev server) before the tests, and everything closed after them. `harness()` adds one harness on
 * that server (its own simulators and task queue), usable inside tests.
 */
export function useOnboardingServer(server: 'time-skipping' | 'dev-server') {
  let env: TestWorkflowEnvironment | undefined;
  const created: Harness[] = [];
  beforeAll(async () => {
    env = server === 'dev-server' ? await devServerEnv() : await timeSkippingEnv();
  });
  afterAll(async () => {
    for (const h of created) await h.close();
    await env?.teardown();
  });
  return {
    harness(options: HarnessOptions = {}): Harness {
      let real: Harness | undefined;
      beforeAll(async () => {
        real = await createHarness(env!, options);
        created.push(real);
      });
      // Stands for the harness that beforeAll creates, so tests can hold it in a top-level const.
      return new Proxy({} as Harness, {
        get(_target, key) {
          if (!real) throw new Error('the harness exists only inside tests (it is created in beforeAll)');
          return real[key as keyof Harness];
        },
      });
    },
  };
}
