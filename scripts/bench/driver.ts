/**
 * The load generator: drives onboardings (and skeleton runs) the way the lender's backend and the
 * applicant would, with nobody waiting in between: start, read `status` every `pollMs` until the
 * SMS token is awaited, type the token the Data Trust simulator "sent" through the
 * `validateSmsToken` update, await the outcome. Records when each step happened.
 */
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import example from '../../examples/onboarding-input.json';
import type { OnboardingClient, OnboardingInputDraft } from '../../src/client';
import { withCheckDigits } from '../../src/domain/cpf';
import { dataTrustTransactionIdsKey, onboardingStageKey } from '../../src/search-attributes';
import type { Shape } from './skeleton/shape';
import { attributeFor } from './skeleton/values';
import {
  skeletonOnboarding,
  skeletonStatus,
  skeletonValidateToken,
  type SkeletonOptions,
} from './skeleton/workflows';
import { smsSent } from './simulator-client';
import { SKELETON_TASK_QUEUE, type BenchStack } from './bench-stack';

export type Provider = OnboardingInputDraft['signingProvider'];

export interface RunRecord {
  id: string;
  /** Epoch ms just before the start call. */
  startedAt: number;
  /** performance.now() at the start call and when the outcome arrived. */
  t0: number;
  t1: number;
  durationMs: number;
  /** Start → the Data Trust transaction that sent the SMS was created (the simulator's clock). */
  startToSmsMs?: number;
  /** The `validateSmsToken` update's round trip. */
  updateMs: number;
  /** How many times the driver read `status` before the token stage. */
  reads: number;
  outcome: string;
}

/** Letters only, so an onboarding id never holds a number of 8 or more digits (see onboardingIdSchema). */
export const runTag = (): string =>
  Array.from({ length: 6 }, () => String.fromCharCode(97 + randomInt(0, 26))).join('');

/** A valid CPF per index whose first digit (5) makes the Data Trust simulator approve. */
function cpfFor(seed: number, i: number): string {
  for (let k = 0; ; k++) {
    const base = `5${String((seed + i * 7919 + k) % 100_000_000).padStart(8, '0')}`;
    if (!/^(\d)\1+$/.test(base)) return withCheckDigits(base);
  }
}

const cpfSeed = randomInt(0, 100_000_000);

export function onboardingInput(
  tag: string,
  i: number,
  provider: Provider,
  /** A credit policy of scripts/tooling-policies.ts, or one the run adds. */
  policy = 'bench',
): OnboardingInputDraft {
  const draft = example as OnboardingInputDraft;
  const cpf = cpfFor(cpfSeed, i);
  return {
    ...draft,
    onboardingId: `bench-${tag}-n${i}`,
    signingProvider: provider,
    applicant: { ...draft.applicant, cpf },
    signers: [{ ...draft.signers[0]!, cpf }],
    policy,
  };
}

/** An error's message with its causes', for the run's error list. */
export const describeError = (err: unknown): string => {
  const parts: string[] = [];
  for (let e: unknown = err; e instanceof Error && parts.length < 4; e = e.cause) parts.push(e.message);
  return parts.length > 0 ? parts.join(': ') : String(err);
};

const isNotReady = (err: unknown): boolean =>
  /not.*(ready|completed|started)|first workflow task/i.test(describeError(err));

/** Overloaded or briefly unavailable: worth reading again after a pause. */
const isTransient = (err: unknown): boolean =>
  /deadline|timed? ?out|unavailable|resource.?exhausted|busy|try again/i.test(describeError(err));

/**
 * Reads until `ready` says so. A query before the first workflow task is read again at once; a
 * read that failed because the server or the worker is overloaded is tried again after a second,
 * up to ten times.
 */
async function pollUntil<T>(
  read: () => Promise<T>,
  ready: (s: T) => boolean,
  pollMs: number,
): Promise<{ status: T; reads: number }> {
  let transient = 0;
  for (let reads = 1; ; reads++) {
    try {
      const s = await read();
      if (ready(s)) return { status: s, reads };
    } catch (err) {
      if (isTransient(err) && transient < 10) {
        transient += 1;
        await sleep(1000);
        continue;
      }
      if (!isNotReady(err)) throw err;
    }
    await sleep(pollMs);
  }
}

/** What the token stage needs from an onboarding: its stage, the Data Trust transaction, its outcome. */
interface TokenStage {
  stage: string | undefined;
  transactionId: string | undefined;
  ended: string | undefined;
}

/**
 * How the driver watches for the token stage: the `status` query (what the API reads), or the
 * onboarding's search attributes through describe (`OnboardingStage` sms_token and the
 * `DataTrustTransactionIds`), which the server answers alone, without the worker: for parking
 * thousands of onboardings on a loaded machine.
 */
export type Watch = 'status' | 'searchAttributes';

async function readTokenStage(client: OnboardingClient, id: string, watch: Watch): Promise<TokenStage> {
  if (watch === 'status') {
    const s = await client.status(id);
    return { stage: s.stage, transactionId: s.references.dataTrustTransactionId, ended: s.outcome?.status };
  }
  const { typedSearchAttributes: attributes, status } = await client.handle(id).describe();
  return {
    stage: attributes.get(onboardingStageKey),
    transactionId: attributes.get(dataTrustTransactionIdsKey)?.at(-1),
    ended: status.name === 'RUNNING' ? undefined : status.name,
  };
}

export interface DriveOptions {
  pollMs: number;
  /** Wait for the outcome (false: stop once the token is validated, as when parking onboardings). */
  awaitOutcome?: boolean;
  /** Another client (another task queue) than the stack's. */
  client?: OnboardingClient;
  /** How to watch for the token stage (default: the `status` query). */
  watch?: Watch;
}

/** One onboarding from start to outcome. */
export async function driveOnboarding(
  stack: BenchStack,
  input: OnboardingInputDraft,
  options: DriveOptions,
): Promise<RunRecord> {
  const client = options.client ?? stack.onboarding;
  const id = input.onboardingId;
  const startedAt = Date.now();
  const t0 = performance.now();
  await client.start(input);
  const { status, reads } = await pollUntil(
    () => readTokenStage(client, id, options.watch ?? 'status'),
    (s) => (s.stage === 'sms_token' && s.transactionId !== undefined) || s.ended !== undefined,
    options.pollMs,
  );
  if (status.ended) throw new Error(`onboarding ${id} ended (${status.ended}) before the SMS token`);
  const sms = await smsSent(stack.urls, status.transactionId!);
  if (sms === undefined) throw new Error(`no SMS was sent for onboarding ${id}`);
  const u0 = performance.now();
  const answer = await client.validateSmsToken(id, sms.token);
  const updateMs = performance.now() - u0;
  if (answer.result !== 'Valid') throw new Error(`onboarding ${id}: the SMS token was ${answer.result}`);
  const outcome = options.awaitOutcome === false ? 'parked' : (await client.result(id)).status;
  const t1 = performance.now();
  return {
    id,
    startedAt,
    t0,
    t1,
    durationMs: t1 - t0,
    startToSmsMs: sms.sentAt - startedAt,
    updateMs,
    reads,
    outcome,
  };
}

/** One skeleton run, driven exactly like an onboarding (the token is any digits). */
export async function driveSkeleton(
  stack: BenchStack,
  id: string,
  shape: Shape,
  variant: SkeletonOptions,
  options: DriveOptions,
): Promise<RunRecord> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const handle: WorkflowHandle<typeof skeletonOnboarding> = await stack.plain.workflow.start(
    skeletonOnboarding,
    {
      taskQueue: SKELETON_TASK_QUEUE,
      workflowId: id,
      args: [shape, variant],
      // The onboarding's client sets its first search attributes at start; so does this one.
      ...(variant.upserts
        ? {
            typedSearchAttributes: shape.startKeys
              .map((k) => attributeFor(k, 'start'))
              .filter((p) => p !== undefined) as SearchAttributePair[],
          }
        : {}),
    },
  );
  const { reads } = await pollUntil(
    () => handle.query(skeletonStatus),
    (s) => s.stage === 'sms_token',
    options.pollMs,
  );
  const u0 = performance.now();
  await handle.executeUpdate(skeletonValidateToken, { args: ['123456'] });
  const updateMs = performance.now() - u0;
  await handle.result();
  const t1 = performance.now();
  return { id, startedAt, t0, t1, durationMs: t1 - t0, updateMs, reads, outcome: 'completed' };
}

export interface LoopResult {
  records: RunRecord[];
  errors: string[];
  /** Completions per second inside the measured window. */
  throughput: number;
  /** Durations of the runs started and finished inside the window. */
  durations: number[];
  /** Status reads per run, mean over those runs. */
  reads: number;
  windowMs: number;
}

/**
 * `concurrency` runs in flight at all times for `warmupMs + windowMs`; then no new run starts and
 * the ones in flight finish. Throughput counts completions inside the window only.
 */
export async function closedLoop(
  run: (i: number) => Promise<RunRecord>,
  concurrency: number,
  warmupMs: number,
  windowMs: number,
): Promise<LoopResult> {
  const records: RunRecord[] = [];
  const errors: string[] = [];
  const begin = performance.now();
  const from = begin + warmupMs;
  const until = from + windowMs;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        try {
          records.push(await run(next++));
        } catch (err) {
          errors.push(describeError(err));
          if (errors.length > 20 && errors.length > records.length)
            throw new Error(`runs fail: ${errors[0]}`, { cause: err });
        }
      }
    }),
  );
  const inWindow = records.filter((r) => r.t1 >= from && r.t1 <= until);
  const measured = records.filter((r) => r.t0 >= from && r.t1 <= until);
  return {
    records,
    errors,
    throughput: inWindow.length / (windowMs / 1000),
    durations: measured.map((r) => r.durationMs),
    reads: measured.reduce((sum, r) => sum + r.reads, 0) / measured.length,
    windowMs,
  };
}

/**
 * Runs started at a fixed rate (open loop) for `durationMs`, whatever the ones in flight are doing;
 * resolves when every run has finished.
 */
export async function openLoop(
  run: (i: number) => Promise<RunRecord>,
  perSecond: number,
  durationMs: number,
): Promise<{ records: RunRecord[]; errors: string[]; started: number; lateStarts: number }> {
  const records: RunRecord[] = [];
  const errors: string[] = [];
  const pending: Array<Promise<void>> = [];
  const begin = performance.now();
  const interval = 1000 / perSecond;
  let lateStarts = 0;
  for (let i = 0; ; i++) {
    const at = begin + i * interval;
    if (at - begin >= durationMs) break;
    const wait = at - performance.now();
    if (wait > 0) await sleep(wait);
    else if (wait < -interval) lateStarts += 1;
    pending.push(
      run(i).then(
        (r) => void records.push(r),
        (err: unknown) => void errors.push(describeError(err)),
      ),
    );
  }
  await Promise.all(pending);
  return { records, errors, started: pending.length, lateStarts };
}
