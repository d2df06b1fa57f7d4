/**
 * A provider's rate limit holds across workers: two workers poll the same queues, Data Trust is
 * limited to a few activities a second, and a burst of onboardings is spread out accordingly, by
 * both workers together, on Data Trust's own task queue. Providers without a limit are called from
 * the onboarding's queue, where the worker starts the calls it schedules at once.
 */
import { testPolicies } from '../helpers/policies';
import { NativeConnection } from '@temporalio/worker';
import { expect, inject, it, onTestFinished } from 'vitest';
import { createActivities } from '../../src/activities';
import type { OnboardingActivities } from '../../src/activities/types';
import { OnboardingWorkers } from '../../src/temporal/onboarding-workers';
import {
  answerSmsToken,
  onboardToOutcome,
  onboardingInput,
  useOnboardingServer,
  waitForStatus,
} from '../helpers/onboarding';
import { testWorkerConverter } from '../helpers/temporal';

const server = useOnboardingServer('dev-server');
const h = server.harness({ autoSignMs: 0 });

const RATE = 3;
const COUNT = 12;

it(
  'spreads a burst of Data Trust calls to the configured rate, across two workers',
  { timeout: 120_000 },
  async () => {
    const starts: Array<{ worker: string; at: number }> = [];
    const workerWith = (label: string) =>
      workersWith({ datatrust: RATE }, (activities) => ({
        ...activities,
        startIdentityCheck: (...args: Parameters<OnboardingActivities['startIdentityCheck']>) => {
          starts.push({ worker: label, at: Date.now() });
          return activities.startIdentityCheck(...args);
        },
      }));
    const [a, b] = await Promise.all([workerWith('a'), workerWith('b')]);
    const inputs = Array.from({ length: COUNT }, () => onboardingInput({ signingProvider: 'securities' }));
    await a.runUntil(() =>
      b.runUntil(async () => {
        await Promise.all(inputs.map((input) => h.client.start(input)));
        for (const input of inputs) {
          await waitForStatus(h.client, input.onboardingId, (s) => s.stage === 'sms_token', 60_000);
        }
        await Promise.all(inputs.map((input) => h.client.cancel(input.onboardingId, 'test over')));
      }),
    );
    expect(starts).toHaveLength(COUNT);
    // Temporal's limiter may let one second's worth through at once; the rest follows at the rate.
    const span = (Math.max(...starts.map((s) => s.at)) - Math.min(...starts.map((s) => s.at))) / 1000;
    console.log(
      `${COUNT} Data Trust calls at ${RATE}/s over ${span.toFixed(1)} s, by workers ${[...new Set(starts.map((s) => s.worker))].join(', ')}`,
    );
    expect(span).toBeGreaterThanOrEqual((COUNT - 2 * RATE) / RATE);
    expect(new Set(starts.map((s) => s.worker)).size).toBe(2);
    // The limited provider's calls went to its own queue.
    expect(await activityQueues(inputs[0]!.onboardingId)).toEqual({
      startIdentityCheck: [`${h.taskQueue}-datatrust`],
    });
  },
);

it("runs the calls of providers without a limit on the onboarding's own queue", async () => {
  const input = onboardingInput({ signingProvider: 'signio' });
  const { outcome } = await onboardToOutcome(h, input);
  expect(outcome.status).toBe('completed');
  const queues = await activityQueues(input.onboardingId);
  expect(Object.keys(queues)).toEqual(
    expect.arrayContaining(['startIdentityCheck', 'createCcbProposal', 'sendForSignature']),
  );
  for (const used of Object.values(queues)) expect(used).toEqual([h.taskQueue]);
  // Its status checks while waiting are local activities: run by the worker of the workflow task.
  expect(queues.checkSignatures).toBeUndefined();
  expect(await localActivities(input.onboardingId)).toContain('checkSignatures');
});

it('keeps the status checks of a provider with a limit on its queue, where the limit holds', async () => {
  const workers = await workersWith({ securities: 50 });
  const input = onboardingInput({ signingProvider: 'securities' });
  const outcome = await workers.runUntil(async () => {
    await h.client.start(input);
    await answerSmsToken(h, input.onboardingId);
    return h.client.result(input.onboardingId);
  });
  expect(outcome.status).toBe('completed');
  const queues = await activityQueues(input.onboardingId);
  expect(queues.checkSignatures).toEqual([`${h.taskQueue}-securities`]);
  expect(await localActivities(input.onboardingId)).not.toContain('checkSignatures');
});

it('runs one worker where no provider has a limit, and one more per limited or draining provider', async () => {
  const queuesOf = async (workers: OnboardingWorkers) => {
    await workers.runUntil(async () => undefined);
    return workers.workers.map((w) => w.options.taskQueue);
  };
  expect(await queuesOf(await workersWith({}))).toEqual([h.taskQueue]);
  expect(await queuesOf(await workersWith({ datatrust: 5 }, undefined, ['signio']))).toEqual([
    h.taskQueue,
    `${h.taskQueue}-datatrust`,
    `${h.taskQueue}-signio`,
  ]);
});

it("keeps an onboarding's routes when the workers' limits change under it", async () => {
  const input = onboardingInput({ signingProvider: 'securities' });
  // Started where Data Trust had no limit...
  await (
    await workersWith({})
  ).runUntil(async () => {
    await h.client.start(input);
    await waitForStatus(h.client, input.onboardingId, (s) => s.stage === 'sms_token');
  });
  // ...it goes on under workers that limit Data Trust and Securities: its calls stay where they were.
  const outcome = await (
    await workersWith({ datatrust: 50, securities: 50 })
  ).runUntil(async () => {
    await answerSmsToken(h, input.onboardingId);
    return h.client.result(input.onboardingId);
  });
  expect(outcome.status).toBe('completed');
  const queues = await activityQueues(input.onboardingId);
  expect(queues.checkSmsToken).toEqual([h.taskQueue]);
  expect(queues.createCcbProposal).toEqual([h.taskQueue]);
  expect(await localActivities(input.onboardingId)).toContain('checkSignatures');
});

it('finishes an onboarding started under a limit that was lifted, on the queue left to drain', async () => {
  const input = onboardingInput({ signingProvider: 'securities' });
  await (
    await workersWith({ datatrust: 50 })
  ).runUntil(async () => {
    await h.client.start(input);
    await waitForStatus(h.client, input.onboardingId, (s) => s.stage === 'sms_token');
  });
  const outcome = await (
    await workersWith({}, undefined, ['datatrust'])
  ).runUntil(async () => {
    await answerSmsToken(h, input.onboardingId);
    return h.client.result(input.onboardingId);
  });
  expect(outcome.status).toBe('completed');
  expect((await activityQueues(input.onboardingId)).checkSmsToken).toEqual([`${h.taskQueue}-datatrust`]);
});

/**
 * Onboarding workers with `rateLimits` (and queues left to drain) on a connection of their own, as
 * a worker process would have; `wrap` may watch its activities.
 */
async function workersWith(
  rateLimits: Record<string, number>,
  wrap = (activities: OnboardingActivities): OnboardingActivities => activities,
  drainingQueues: string[] = [],
): Promise<OnboardingWorkers> {
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  onTestFinished(() => connection.close());
  return OnboardingWorkers.create({
    connection,
    taskQueue: h.taskQueue,
    workflowBundle: { code: inject('workflowBundleCode') },
    dataConverter: testWorkerConverter,
    rateLimits,
    drainingQueues,
    activities: wrap(
      createActivities({
        providers: h.providers,
        rateLimits,
        policies: testPolicies,
      }) as OnboardingActivities,
    ),
  });
}

/** The local activities the onboarding ran, by type, from the markers in its history (core's JSON). */
async function localActivities(onboardingId: string): Promise<string[]> {
  const history = await h.client.handle(onboardingId).fetchHistory();
  return (history.events ?? [])
    .map((e) => e.markerRecordedEventAttributes)
    .filter((m) => m?.markerName === 'core_local_activity')
    .map((m) => {
      const data = m!.details!.data!.payloads![0]!.data!;
      return (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type: string }).activity_type;
    });
}

/** The task queues each activity type was scheduled on, from the onboarding's history. */
async function activityQueues(onboardingId: string): Promise<Record<string, string[]>> {
  const history = await h.client.handle(onboardingId).fetchHistory();
  const queues: Record<string, string[]> = {};
  for (const e of history.events ?? []) {
    const a = e.activityTaskScheduledEventAttributes;
    if (!a?.activityType?.name || !a.taskQueue?.name) continue;
    const list = (queues[a.activityType.name] ??= []);
    if (!list.includes(a.taskQueue.name)) list.push(a.taskQueue.name);
  }
  return queues;
}
