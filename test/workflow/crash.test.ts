/**
 * A worker killed with SIGKILL in the middle of a provider call, on the real dev server with a real
 * clock: the call that was running on it is retried on another worker once its heartbeat times out
 * (seconds), not after its start-to-close timeout (two minutes), and the onboarding completes.
 */
import { temporal } from '@temporalio/proto';
import { expect, it } from 'vitest';
import { until } from '../helpers/until';
import { startSpawnedWorker } from '../helpers/spawned-worker';
import { addFaults, routeHits } from '../helpers/simulators';
import { answerSmsToken, onboardingInput, useOnboardingServer } from '../helpers/onboarding';

const server = useOnboardingServer('dev-server');
const h = server.harness({ autoSignMs: 0 });
const LOOKUP = 'GET /v1/proposals/bynumber/:number';

it('a call running on a killed worker is retried within seconds on another worker', async () => {
  // The worker process: same task queue, same simulators, the run's workflow bundle.
  const worker = await startSpawnedWorker(h);

  // The CCB lookup hangs for half a minute at the provider: the call is in flight when the worker dies.
  const securities = h.simulators.baseUrls.SECURITIES_BASE_URL;
  await addFaults(securities, [{ route: LOOKUP, kind: 'latency', latencyMs: 30_000, times: 1 }]);
  const input = onboardingInput({ signingProvider: 'securities' });
  await h.client.start(input);
  await answerSmsToken(h, input.onboardingId);
  await until(async () => ((await routeHits(securities))[LOOKUP] ?? 0) >= 1, 20_000);
  const killedAt = Date.now();
  await worker.kill('SIGKILL');

  const outcome = await h.run(() => h.client.result(input.onboardingId));
  expect(outcome.status).toBe('completed');

  // The history: the lookup's activity ran a second attempt, because the first stopped heartbeating.
  const { EventType, TimeoutType } = temporal.api.enums.v1;
  const events = (await h.client.handle(input.onboardingId).fetchHistory()).events ?? [];
  const scheduled = events.find(
    (e) =>
      e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED &&
      e.activityTaskScheduledEventAttributes?.activityType?.name === 'createCcbProposal',
  );
  const started = events.find(
    (e) =>
      e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED &&
      String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(scheduled?.eventId),
  );
  const attributes = started?.activityTaskStartedEventAttributes;
  expect(attributes?.attempt).toBe(2);
  expect(attributes?.lastFailure?.timeoutFailureInfo?.timeoutType).toBe(TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
  const retriedAt = Number(started?.eventTime?.seconds ?? 0) * 1000;
  console.log(
    `crash test: the in-flight call was retried ${((retriedAt - killedAt) / 1000).toFixed(1)} s after SIGKILL`,
  );
});
