/**
 * The workflow alone: the real creditOnboarding on a time-skipping test server, with its
 * activities replaced by plain functions (no HTTP, no providers). One worker per test file; each
 * onboarding gets its own script of activity answers, looked up by workflow id, and every call is
 * recorded with the workflow time it was made at.
 */
import { admit } from '../../src/activities';
import { testPolicies } from './policies';
import { calledProviders, signingProviderModule } from '../../src/providers/registry';
import { OnboardingWorkers } from '../../src/temporal/onboarding-workers';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, inject } from 'vitest';
import type { OnboardingActivities } from '../../src/activities/types';
import { OnboardingClient } from '../../src/client';
import { parseOnboardingInput } from '../../src/domain/input';
import type { OnboardingStatus } from '../../src/domain/onboarding';
import { workflowIdFor } from '../../src/messages';
import type { SignatureStatus } from '../../src/signing/contract';
import { EVIDENCE_FORMAT } from '../../src/domain/evidence';
import { signEvidence } from '../../src/evidence/signature';
import { testEvidenceKey } from '../fixtures/evidence-key';
import { onboardingInput } from './inputs';
import { testDataConverter, testWorkerConverter, timeSkippingEnv, uniqueTaskQueue } from './temporal';

export type ActivityName = keyof OnboardingActivities;
export type Script = Partial<OnboardingActivities>;

export interface ActivityCall {
  name: ActivityName;
  args: unknown[];
  /** Workflow time (the test server's clock) when the attempt was scheduled. */
  at: number;
}

/** The SMS token the default script treats as right; every other token is `Incorrect`. */
export const RIGHT_TOKEN = '123456';
export const WRONG_TOKEN = '000000';

const signed = (n: number): SignatureStatus => ({
  state: 'completed',
  signers: Array.from({ length: n }, (_, index) => ({ index, state: 'signed' as const })),
});
const pending = (n: number): SignatureStatus => ({
  state: 'pending',
  signers: Array.from({ length: n }, (_, index) => ({ index, state: 'pending' as const })),
});

/** A provider that answers everything at once and well: the happy path. */
export const defaultScript: OnboardingActivities = {
  validateOnboardingInput: async (raw) => admit(parseOnboardingInput(raw), testPolicies),
  // Every provider on a queue of its own: status checks are then activities, whose retries back off
  // on the time-skipping server's clock (a local activity's short backoffs take real time).
  providerRoutes: async () => ({ queued: [...calledProviders] }),
  startIdentityCheck: async ({ attempt }) => ({
    transactionId: `dt-${attempt}`,
    score: 85,
    insightCodes: [],
    smsTokenSent: true,
  }),
  findIdentityCheck: async () => ({}),
  checkSmsToken: async ({ smsToken }) => ({ result: smsToken === RIGHT_TOKEN ? 'Valid' : 'Incorrect' }),
  readSmsTokenState: async () => ({ result: 'Waiting' }),
  createCcbProposal: async ({ ccb }) => ({
    proposalId: 'p-1',
    number: ccb.onboardingId,
    documentKey: 'doc-1',
  }),
  findCcbProposal: async () => ({}),
  findSentEnvelope: async () => ({ found: 'nothing', conclusive: true }),
  sendForSignature: async ({ provider, signers }) => ({
    provider,
    envelopeId: 'env-1',
    signers: signers.map((s) => ({ index: s.index, providerSignerId: `signer-${s.index}` })),
    supportsReminders: signingProviderModule(provider).capabilities.reminders,
  }),
  checkSignatures: async (envelope) => signed(envelope.signers.length),
  remindSigners: async (envelope) => ({ reminded: envelope.signers.length }),
  cancelEnvelope: async () => ({ result: 'cancelled' }),
  finalizeSignedCcb: async () => ({ ccbId: 'ccb-1' }),
  signEvidence: async ({ envelope, signers, references, ...known }) =>
    signEvidence(
      {
        format: EVIDENCE_FORMAT,
        ...known,
        signedDocument: { sha256: '0'.repeat(64), bytes: 0, provider: envelope.provider },
        signers: signers.map((s) => ({ ...s, providerSignerId: `signer-${s.index}` })),
        references: { signingProvider: envelope.provider, envelopeId: envelope.envelopeId, ...references },
      },
      testEvidenceKey,
    ),
};

/** Answers `pending` for the first `times` checks, then `then` (all signed by default). */
export function pendingThen(times: number, then?: SignatureStatus): OnboardingActivities['checkSignatures'] {
  let checks = 0;
  return async (envelope) =>
    checks++ < times ? pending(envelope.signers.length) : (then ?? signed(envelope.signers.length));
}

/** Never signed. */
export const neverSigned: OnboardingActivities['checkSignatures'] = async (envelope) =>
  pending(envelope.signers.length);

/** A provider failure as the activity layer reports it: typed, final. */
export const providerFailure = (message: string) =>
  ApplicationFailure.create({ type: 'ProviderError', message, nonRetryable: true });

export interface StubbedOnboarding {
  env: TestWorkflowEnvironment;
  client: OnboardingClient;
  /** Starts an onboarding (the example input with `changes`) whose activities answer from `script`. */
  start(
    changes?: Parameters<typeof onboardingInput>[0],
    script?: Script,
  ): Promise<{ onboardingId: string; workflowId: string }>;
  /** The calls this onboarding's activities received, in order (optionally of one activity only). */
  calls(onboardingId: string, name?: ActivityName): ActivityCall[];
  /** The workflow's timers, in the order they were started, as durations in ms. */
  timers(onboardingId: string): Promise<Array<{ ms: number; summary: string | undefined }>>;
  /** Polls the status query until `predicate` holds. */
  waitFor(onboardingId: string, predicate: (s: OnboardingStatus) => boolean): Promise<OnboardingStatus>;
  /** Starts an onboarding, types the right token, and waits until it waits on signatures (or ended). */
  waitingOnSignatures(changes: Parameters<StubbedOnboarding['start']>[0], script: Script): Promise<string>;
  /**
   * The same, with no status check in flight (the first is done, the next is a timer), so a cancel
   * meets no running activity: the time-skipping test server can refuse the cancel of an activity
   * that completed in the same instant (ACTIVITY_UNKNOWN) and leave the workflow task stuck.
   */
  idleOnSignatures(changes: Parameters<StubbedOnboarding['start']>[0], script: Script): Promise<string>;
}

/** Registers the file's hooks: a time-skipping server and one worker with dispatching stub activities. */
export function useStubbedOnboarding(): StubbedOnboarding {
  let env: TestWorkflowEnvironment | undefined;
  let worker: OnboardingWorkers | undefined;
  let running: Promise<void> | undefined;
  const scripts = new Map<string, Script>();
  const calls = new Map<string, ActivityCall[]>();
  const taskQueue = uniqueTaskQueue('unit');

  const dispatch = Object.fromEntries(
    (Object.keys(defaultScript) as ActivityName[]).map((name) => [
      name,
      async (...args: unknown[]) => {
        const { info } = Context.current();
        const workflowId = info.workflowExecution?.workflowId ?? '';
        const list = calls.get(workflowId) ?? [];
        list.push({ name, args, at: info.currentAttemptScheduledTimestampMs });
        calls.set(workflowId, list);
        const impl = (scripts.get(workflowId)?.[name] ?? defaultScript[name]) as (
          ...a: unknown[]
        ) => Promise<unknown>;
        return impl(...args);
      },
    ]),
  );

  beforeAll(async () => {
    env = await timeSkippingEnv();
    worker = await OnboardingWorkers.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { code: inject('workflowBundleCode') },
      activities: dispatch,
      dataConverter: testWorkerConverter,
      drainingQueues: calledProviders,
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  const client = (): OnboardingClient => new OnboardingClient(env!.client, taskQueue);
  const harness: StubbedOnboarding = {
    get env() {
      return env!;
    },
    get client() {
      return client();
    },
    async start(changes = {}, script = {}) {
      const input = onboardingInput(changes);
      const workflowId = workflowIdFor(input.onboardingId);
      scripts.set(workflowId, script);
      await client().start(input);
      return { onboardingId: input.onboardingId, workflowId };
    },
    calls(onboardingId, name) {
      const all = calls.get(workflowIdFor(onboardingId)) ?? [];
      return name === undefined ? all : all.filter((c) => c.name === name);
    },
    async timers(onboardingId) {
      const history = await client().handle(onboardingId).fetchHistory();
      const { EventType } = temporal.api.enums.v1;
      const codec = testDataConverter.payloadCodecs![0]!;
      const timers = [];
      for (const e of history.events ?? []) {
        if (e.eventType !== EventType.EVENT_TYPE_TIMER_STARTED) continue;
        const timeout = e.timerStartedEventAttributes?.startToFireTimeout;
        const ms = Number(timeout?.seconds ?? 0) * 1000 + Math.round((timeout?.nanos ?? 0) / 1e6);
        // User metadata is a payload like any other: encrypted in history.
        const encoded = e.userMetadata?.summary;
        const [summary] = encoded ? await codec.decode([encoded as Payload]) : [];
        timers.push({
          ms,
          summary: summary?.data
            ? (JSON.parse(Buffer.from(summary.data).toString('utf8')) as string)
            : undefined,
        });
      }
      return timers;
    },
    async waitFor(onboardingId, predicate) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const s = await client().status(onboardingId);
        if (predicate(s)) return s;
        if (Date.now() > deadline) throw new Error(`status never matched; stage ${s.stage}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async waitingOnSignatures(changes, script) {
      const { onboardingId } = await harness.start(changes, script);
      await harness.waitFor(onboardingId, (s) => s.stage === 'sms_token');
      await client().validateSmsToken(onboardingId, RIGHT_TOKEN);
      await harness.waitFor(onboardingId, (s) => s.stage === 'waiting_signatures' || s.outcome !== undefined);
      return onboardingId;
    },
    async idleOnSignatures(changes, script) {
      const id = await harness.waitingOnSignatures(changes, script);
      await harness.waitFor(id, (s) => s.signature?.nextCheck !== undefined || s.outcome !== undefined);
      return id;
    },
  };
  return harness;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
