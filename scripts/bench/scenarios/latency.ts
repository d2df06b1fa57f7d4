/**
 * One in flight: the same provider calls in a plain Node loop without Temporal (the activities
 * themselves, called in Temporal's mock activity environment, against the same simulators), the
 * skeleton, and the onboarding; and, from each onboarding's history, where its time went.
 */
import { loadCreditPolicies } from '../../../src/credit-policies';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../../src/activities';
import type { Envelope } from '../../../src/activities/types';
import { ccbContentOf } from '../../../src/domain/ccb';
import { buildProviders } from '../../../src/providers';
import type { Bench } from '../context';
import { onboardingInput, type RunRecord } from '../driver';
import { historyOf, splitTime, type TimeSplit } from '../history';
import { smsSent } from '../simulator-client';
import type { Shape } from '../skeleton/shape';
import { distribution, type Distribution } from '../stats';
import { handleOf, runner, variants } from './variants';

export interface LatencyVariant {
  name: string;
  durations: Distribution;
  /** p50 of each part of its time, from its histories (ms). */
  split: TimeSplit;
}

export interface LatencyResult {
  plain: Distribution;
  /** Per provider call (activity name): p50 ms in the plain loop. */
  plainPerCall: Record<string, number>;
  /** The skeletons, then the onboarding. */
  variants: LatencyVariant[];
  /** The onboarding's own runs: start → SMS sent, and the update's round trip. */
  startToSms: Distribution;
  update: Distribution;
}

const median = (values: number[]): number => distribution(values).p50;

type Sent = Envelope | { preparation: unknown };

/** The p50 of each part over several runs. */
function medianSplit(splits: TimeSplit[]): TimeSplit {
  const names = Object.keys(splits[0]?.perActivity ?? {});
  return {
    total: median(splits.map((s) => s.total)),
    activitiesRunning: median(splits.map((s) => s.activitiesRunning)),
    activitiesQueued: median(splits.map((s) => s.activitiesQueued)),
    workflowTasks: median(splits.map((s) => s.workflowTasks)),
    perActivity: Object.fromEntries(names.map((n) => [n, median(splits.map((s) => s.perActivity[n] ?? 0))])),
  };
}

/** The provider calls of one happy-path onboarding, in order, without Temporal. */
async function plainLoop(
  b: Bench,
  runs: number,
): Promise<{ totals: number[]; perCall: Record<string, number[]> }> {
  const providers = buildProviders(b.stack.config);
  const activities = createActivities({ providers, policies: loadCreditPolicies(b.stack.config) });
  const env = new MockActivityEnvironment();
  const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
    env.run<A, R, (...args: A) => Promise<R>>(fn, ...args);
  const perCall: Record<string, number[]> = {};
  const totals: number[] = [];
  const timed = async <T>(name: string, call: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const value = await call();
    (perCall[name] ??= []).push(performance.now() - t0);
    return value;
  };
  try {
    for (let i = 0; i < runs; i++) {
      const draft = onboardingInput(b.tag, b.next(), b.options.provider);
      const workflowId = `onboarding-${draft.onboardingId}`;
      const t0 = performance.now();
      const input = await timed('validateOnboardingInput', () =>
        run(activities.validateOnboardingInput, draft),
      );
      const check = await timed('startIdentityCheck', () =>
        run(activities.startIdentityCheck, { workflowId, attempt: 0, applicant: input.applicant }),
      );
      const sms = await smsSent(b.stack.urls, check.transactionId);
      await timed('checkSmsToken', () =>
        run(activities.checkSmsToken, { transactionId: check.transactionId, smsToken: sms!.token }),
      );
      const ccb = ccbContentOf(input);
      const proposal = await timed('createCcbProposal', () => run(activities.createCcbProposal, { ccb }));
      const request = {
        provider: input.signingProvider,
        key: workflowId,
        onboardingId: input.onboardingId,
        proposal,
        signers: input.signers.map((s, index) => ({ ...s, index })),
        mayPrepare: true,
      };
      // A provider may first prepare (the ids it issues, which the workflow records), then send when
      // called again with them: both calls count as the one send.
      const send = activities.sendForSignature as unknown as (req: typeof request) => Promise<Sent>;
      const envelope = await timed('sendForSignature', async () => {
        const first = await run(send, request);
        return 'preparation' in first
          ? ((await run(send, { ...request, preparation: first.preparation })) as Envelope)
          : first;
      });
      await timed('checkSignatures', () => run(activities.checkSignatures, envelope));
      await timed('finalizeSignedCcb', () => run(activities.finalizeSignedCcb, { envelope, proposal, ccb }));
      totals.push(performance.now() - t0);
    }
  } finally {
    await providers.close();
  }
  return { totals, perCall };
}

async function sequential(runs: number, run: () => Promise<RunRecord>): Promise<RunRecord[]> {
  const records: RunRecord[] = [];
  for (let i = 0; i < runs; i++) records.push(await run());
  return records;
}

export async function measureLatency(b: Bench, shape: Shape, upserts: number): Promise<LatencyResult> {
  const { runs } = b.options;
  b.log(`one in flight: ${runs} runs each of the plain loop, the skeletons and the onboarding`);
  const plain = await plainLoop(b, runs);
  const measured: LatencyVariant[] = [];
  let onboarding: RunRecord[] = [];
  for (const variant of variants(upserts)) {
    const run = runner(b, variant, shape);
    const records = await sequential(runs, () => run(0));
    const splits = await Promise.all(
      records.map(async (r) => splitTime(await historyOf(handleOf(b, variant, r.id)))),
    );
    measured.push({
      name: variant.name,
      durations: distribution(records.map((r) => r.durationMs)),
      split: medianSplit(splits),
    });
    if (variant.skeleton === undefined) onboarding = records;
  }
  return {
    plain: distribution(plain.totals),
    plainPerCall: Object.fromEntries(Object.entries(plain.perCall).map(([k, v]) => [k, median(v)])),
    variants: measured,
    startToSms: distribution(onboarding.map((r) => r.startToSmsMs ?? NaN)),
    update: distribution(onboarding.map((r) => r.updateMs)),
  };
}
