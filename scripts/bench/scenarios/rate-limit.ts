/**
 * Provider rate limit check: two workers on one task queue, as many onboardings as they take, and
 * the calls per second one provider's simulator sees, over 1-second windows. A limit that holds
 * across workers keeps the peak at or under it; without one, the peak is whatever the load makes.
 *
 * HOOK (provider rate limits): the limit is handed to both workers in the environment by
 * `rateLimitEnv` below, today `PROVIDER_RATE_LIMITS=<provider>:<n>` (src/config.ts): at most n
 * activities a second on that provider's task queue, across every worker. Temporal limits
 * activities, not HTTP calls, so the phase also reports the provider's calls per activity (its
 * hits over the activities the finished onboardings ran there, from the onboarding's shape) and
 * the peak in activities per second that makes. If the variable changes, change `rateLimitEnv` only.
 */
import { OnboardingClient } from '../../../src/client';
import type { Bench } from '../context';
import { closedLoop, driveOnboarding, onboardingInput } from '../driver';
import { Sampler, callsPerSecond } from '../sampler';
import { hitsBetween, totalHits, type Hits } from '../simulator-client';
import { historyOf, nameOf, timeOf, type HistoryEvent } from '../history';

/** HOOK: the workers' environment that sets a provider's limit in activities per second. */
export const rateLimitEnv = (provider: string, perSecond: number): Record<string, string> => ({
  PROVIDER_RATE_LIMITS: `${provider}:${perSecond}`,
});

export const RATE_LIMIT_TASK_QUEUE = 'bench-rate-limit';

/** When each activity scheduled on `queue` was started (handed to a worker), by the server's clock. */
function activityStarts(events: HistoryEvent[], queue: string): number[] {
  const onQueue = new Set(
    events
      .filter((e) => e.activityTaskScheduledEventAttributes?.taskQueue?.name === queue)
      .map((e) => String(e.eventId)),
  );
  return events
    .filter(
      (e) =>
        nameOf(e) === 'ACTIVITY_TASK_STARTED' &&
        onQueue.has(String(e.activityTaskStartedEventAttributes?.scheduledEventId)),
    )
    .map(timeOf);
}

/** Counts per consecutive window of `ms`, from the first instant to the last. */
function perWindow(instants: number[], ms: number): number[] {
  if (instants.length === 0) return [];
  const first = Math.min(...instants);
  const counts: number[] = [];
  for (const t of instants) {
    const i = Math.floor((t - first) / ms);
    while (counts.length <= i) counts.push(0);
    counts[i]! += 1;
  }
  return counts;
}

export interface RateLimitResult {
  provider: string;
  workers: number;
  /** The limit handed to the workers (activities per second), if any, and how. */
  limit: number | undefined;
  variable: string;
  /** The provider's HTTP calls per activity run on its queue during the phase. */
  callsPerActivity: number;
  /** Activities started on the provider's queue per 1-second window (from the onboardings' histories). */
  activitiesPerSecond: number[];
  /** The first window (Temporal's rate limiter lets a burst through when the queue was idle) and the peak after it. */
  firstActivities: number;
  peakActivities: number;
  meanActivities: number;
  /** Calls per second at the provider's simulator, one value per 1-second window. */
  perSecond: number[];
  /** Calls in the first busy second, the peak after it, and the mean over the phase. */
  firstCalls: number;
  peak: number;
  mean: number;
  onboardings: number;
  errors: string[];
  /** Hits per route during the phase (every simulator). */
  hits: Hits;
  durationMs: number;
}

export async function measureRateLimit(b: Bench): Promise<RateLimitResult> {
  const { rateLimit, rateLimitProvider: provider, rateLimitMs, concurrency } = b.options;
  const env: Record<string, string> = rateLimit === undefined ? {} : rateLimitEnv(provider, rateLimit);
  const variable = Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  b.log(
    `rate limit: 2 workers, ${2 * concurrency} in flight for ${rateLimitMs / 1000} s, calls/s at ${provider}` +
      (rateLimit === undefined ? ' (no limit set)' : ` (${variable})`),
  );
  const workers = [
    await b.stack.startWorker(RATE_LIMIT_TASK_QUEUE, env),
    await b.stack.startWorker(RATE_LIMIT_TASK_QUEUE, env),
  ];
  const client = new OnboardingClient(b.stack.onboarding.client, RATE_LIMIT_TASK_QUEUE);
  const sampler = new Sampler(b.stack.urls, () => ({}));
  const t0 = performance.now();
  try {
    const result = await closedLoop(
      () =>
        driveOnboarding(b.stack, onboardingInput(b.tag, b.next(), b.options.provider), {
          pollMs: b.options.pollMs,
          client,
        }),
      2 * concurrency,
      0,
      rateLimitMs,
    );
    const samples = await sampler.stop();
    const perSecond = callsPerSecond(samples, provider);
    const busy = perSecond.findIndex((x) => x > 0);
    const hits = hitsBetween(samples[0]?.hits ?? {}, samples.at(-1)?.hits ?? {});
    const queue = `${RATE_LIMIT_TASK_QUEUE}-${provider}`;
    const started = (
      await Promise.all(
        result.records.map(async (r) => activityStarts(await historyOf(client.handle(r.id)), queue)),
      )
    ).flat();
    const activitiesPerSecond = perWindow(started, 1000);
    const callsPerActivity = totalHits(hits, provider) / started.length;
    return {
      provider,
      workers: workers.length,
      limit: rateLimit,
      variable,
      callsPerActivity,
      activitiesPerSecond,
      firstActivities: activitiesPerSecond[0] ?? NaN,
      peakActivities: Math.max(...activitiesPerSecond.slice(1)),
      meanActivities: started.length / ((Math.max(...started) - Math.min(...started)) / 1000),
      perSecond,
      firstCalls: perSecond[busy] ?? NaN,
      peak: Math.max(...perSecond.slice(busy + 1)),
      mean: totalHits(hits, provider) / ((performance.now() - t0) / 1000),
      onboardings: result.records.length,
      errors: result.errors,
      hits,
      durationMs: performance.now() - t0,
    };
  } finally {
    await sampler.stop();
    for (const w of workers) await b.stack.stopChild(w);
  }
}
