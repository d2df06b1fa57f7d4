/**
 * Parked: N onboardings waiting on signatures that never come (simulated signers do not sign),
 * with a short status-check policy so the steady state is reached in minutes. Parks them (start,
 * SMS token, validated), waits until every one is in `waiting_signatures` and past its backoff
 * ramp, then observes the steady state: the worker's memory and CPU, the server's CPU and
 * database, provider status calls per onboarding per check interval, provider calls per second
 * (peak against average), then times `signatureEvent` wake-ups with N parked.
 */
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Bench } from '../context';
import { describeError, driveOnboarding, onboardingInput } from '../driver';
import { historyOf, localActivityType, nameOf, timeOf } from '../history';
import { Sampler, callsPerSecond, cpuPercent, type Sample } from '../sampler';
import { hitsBetween, totalHits, type Hits } from '../simulator-client';
import { distribution, type Distribution } from '../stats';
import { policyRulesSchema } from '../../../src/domain/credit-policy';
import { tokenRequests, workerTokens, type WorkerTokens } from './auth';

/** Long enough that a just-started server's and workers' own work settles into the figure. */
const IDLE_MS = 30_000;

export interface ParkedResult {
  n: number;
  provider: string;
  policy: { statusCheckInitialMs: string; statusCheckMaxMs: string };
  parking: { ms: number; perSecond: number; errors: string[]; concurrency: number };
  /** From the last onboarding parked until its checks are `statusCheckMaxMs` apart (with the jitter). */
  rampMs: number;
  /** The worker and the server idle, before anything was parked (IDLE_MS). */
  idle: { workerCpuPercent: number; workerRssBytes: number; serverCpuPercent: number };
  /** Worker RSS right after the last onboarding was parked. */
  workerRssAfterParkingBytes: number;
  /**
   * The worker's CPU with the product's default policy (checks an hour apart at steady state),
   * from the idle CPU and the CPU each status check cost here.
   */
  projectedWorkerCpuPercentAtDefaultPolicy: number;
  /** The server's likewise. */
  projectedServerCpuPercentAtDefaultPolicy: number;
  defaultPolicyMaxMs: number;
  window: {
    ms: number;
    /** Check intervals in the window (its length / statusCheckMaxMs). */
    intervals: number;
    workerRssMaxBytes: number;
    workerRssEndBytes: number;
    workerCpuPercent: number;
    serverCpuPercent: number;
    serverRssEndBytes: number;
    simulatorsCpuPercent: number;
    /** Provider calls per route in the window, per onboarding per check interval. */
    callsPerOnboardingPerInterval: Hits;
    /** The most-called route's figure: status checks per onboarding per interval. */
    statusCallsPerOnboardingPerInterval: number;
    statusRoute: string;
    /** CPU per status check beyond the idle CPU (ms): the worker's and the server's. */
    workerCpuMsPerCheck: number;
    serverCpuMsPerCheck: number;
    /** Provider calls per second (every simulator), one value per 1-second window. */
    perSecond: number[];
    perSecondMean: number;
    perSecondPeak: number;
  };
  wake: {
    probes: number;
    latency: Distribution;
    missing: number;
    raw: number[];
    /** CPU per wake-up beyond the idle CPU (ms), over the probes: the worker's and the dev server's. */
    workerCpuMsEach: number;
    serverCpuMsEach: number;
  };
  /** Observed right after parking with no check due (`--at-rest`), not at the steady state of checks. */
  atRest: boolean;
  /** At rest: whether a check could fall due before the window ended (the figures then mix both). */
  checksDueInWindow: boolean;
  databaseBytes: number;
  /** The onboarding workers: their memory and CPU figures are the sum over them. */
  workers: number;
  tokens: WorkerTokens;
  /** Provider calls per second (every simulator) from the first start to the end. */
  perSecondWholeRun: number[];
}

/** How long the backoff takes to reach its maximum: the waits before it, summed. */
/** The parked run's policy: its status checks as the run's options say (bench/main.ts adds it to the catalog). */
export const PARKED_POLICY = 'bench-parked';

export const parkedPolicy = (options: { checkInitial: string; checkMax: string }) => ({
  name: PARKED_POLICY,
  version: 1,
  statusCheckInitialMs: options.checkInitial,
  statusCheckMaxMs: options.checkMax,
});

export function rampOf(initialMs: number, maxMs: number): number {
  let ramp = 0;
  for (let b = initialMs; b < maxMs; b *= 2) ramp += b;
  return ramp;
}

const mbOf = (bytes: number | undefined): number => bytes ?? NaN;

async function park(
  b: Bench,
  ids: string[],
): Promise<{ errors: string[]; firstParkedAt: number; lastParkedAt: number }> {
  const { options } = b;
  const policy = PARKED_POLICY;
  const errors: string[] = [];
  let next = 0;
  let firstParkedAt = NaN;
  let lastParkedAt = performance.now();
  const began = performance.now();
  const n = options.parked!;
  await Promise.all(
    Array.from({ length: Math.min(options.parkConcurrency, n) }, async () => {
      while (next < n) {
        next += 1;
        const input = onboardingInput(b.tag, b.next(), options.provider, policy);
        try {
          await driveOnboarding(b.stack, input, {
            pollMs: 200,
            awaitOutcome: false,
            watch: 'searchAttributes',
          });
          ids.push(input.onboardingId);
          lastParkedAt = performance.now();
          if (Number.isNaN(firstParkedAt)) firstParkedAt = lastParkedAt;
          if (ids.length % 1000 === 0)
            b.log(
              `parked ${ids.length} of ${n} (${((ids.length / (performance.now() - began)) * 1000).toFixed(1)}/s, ${errors.length} errors)`,
            );
        } catch (err) {
          errors.push(describeError(err));
          // A few failures on a loaded machine are reported; many mean something is broken.
          if (errors.length > Math.max(50, n / 20))
            throw new Error(`parking fails: ${errors[0]}`, { cause: err });
        }
      }
    }),
  );
  return { errors, firstParkedAt, lastParkedAt };
}

async function waitUntilParked(b: Bench, n: number): Promise<void> {
  const query = 'OnboardingStage = "waiting_signatures"';
  const deadline = performance.now() + 10 * 60_000;
  for (;;) {
    // A count the server fails (seen once on PostgreSQL while 1,000 had just parked) is read again.
    const count = await b.stack.onboarding.client.workflow.count(query).then(
      (c) => c.count,
      (err: unknown) => {
        b.log(`counting the parked failed (${describeError(err)}); counting again`);
        return 0;
      },
    );
    if (count >= n) return;
    if (performance.now() > deadline)
      throw new Error(`only ${count} of ${n} onboardings reached waiting_signatures`);
    await sleep(2000);
  }
}

/** Signals `signatureEvent` to random parked onboardings, one at a time, and times each status check it causes. */
async function probeWakeUps(
  b: Bench,
  ids: string[],
  probes: number,
): Promise<Omit<ParkedResult['wake'], 'workerCpuMsEach' | 'serverCpuMsEach'>> {
  const sent: Array<{ id: string; at: number }> = [];
  for (let i = 0; i < probes; i++) {
    const id = ids[randomInt(0, ids.length)]!;
    const at = Date.now();
    try {
      await b.stack.onboarding.signatureEvent(id, 'bench');
      sent.push({ id, at });
    } catch (err) {
      b.log(`signatureEvent to ${id} failed: ${describeError(err)}`);
    }
    await sleep(250);
  }
  await sleep(5000);
  const raw: number[] = [];
  let missing = probes - sent.length;
  for (const { id, at } of sent) {
    const events = await historyOf(b.stack.onboarding.handle(id)).catch(() => []);
    const signal = events.find((e) => nameOf(e) === 'WORKFLOW_EXECUTION_SIGNALED' && timeOf(e) >= at - 1000);
    const after = signal === undefined ? [] : events.filter((e) => timeOf(e) >= timeOf(signal));
    // The check it caused: a local activity's marker, or (a provider with a queue) an activity.
    const scheduled = new Set(
      after
        .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'checkSignatures')
        .map((e) => String(e.eventId)),
    );
    const done = after.find(
      (e) =>
        localActivityType(e) === 'checkSignatures' ||
        scheduled.has(String(e.activityTaskCompletedEventAttributes?.scheduledEventId)),
    );
    if (done) raw.push(timeOf(done) - at);
    else missing += 1;
  }
  return { probes, latency: distribution(raw), missing, raw };
}

/**
 * With the sweep, the samples spanning a whole number of sweep intervals (at least one), from the
 * first: the sweep's calls come in a burst each interval, so a window of any other length counts
 * one burst more or less than its share.
 */
function wholeIntervals(samples: Sample[], options: Bench['options']): Sample[] {
  const first = samples[0];
  const last = samples.at(-1);
  if (!options.sweep || options.atRest || !first || !last) return samples;
  const intervals = Math.floor((last.t - first.t) / options.checkMaxMs);
  if (intervals < 1) return samples;
  const end = first.t + intervals * options.checkMaxMs;
  const nearest = samples.reduce((a, s) => (Math.abs(s.t - end) < Math.abs(a.t - end) ? s : a));
  return samples.filter((s) => s.t <= nearest.t);
}

export async function measureParked(b: Bench): Promise<ParkedResult> {
  const { options, stack } = b;
  const n = options.parked!;
  const workers = stack.workerCount;
  const sampler = new Sampler(stack.urls, b.pids);
  const workerStarted = performance.now();
  try {
    b.log(
      `parked: ${n} onboardings (${options.provider}), statusCheckInitialMs ${options.checkInitial}, statusCheckMaxMs ${options.checkMax}, ${options.parkConcurrency} parked at a time`,
    );
    b.log(`the worker idle for ${IDLE_MS / 1000} s first`);
    const idleFrom = performance.now();
    await sleep(IDLE_MS);
    const idleSamples = sampler.between(idleFrom - 1000, performance.now());
    const idle = {
      workerCpuPercent: cpuPercent(idleSamples, 'worker'),
      workerRssBytes: idleSamples.at(-1)?.rss.worker ?? NaN,
      serverCpuPercent: cpuPercent(idleSamples, 'server'),
    };
    const ids: string[] = [];
    const t0 = performance.now();
    const parking = await park(b, ids);
    const parkMs = performance.now() - t0;
    const workerRssAfterParkingBytes = sampler.samples.at(-1)?.rss.worker ?? NaN;
    b.log(
      `parked ${ids.length} in ${(parkMs / 1000).toFixed(0)} s; waiting until every one waits on signatures`,
    );
    await waitUntilParked(b, ids.length);
    const defaults = policyRulesSchema.parse({});
    const rampMs = rampOf(options.checkInitialMs, options.checkMaxMs) * (1 + defaults.statusCheckJitter);
    const steadyAt = options.atRest ? 0 : parking.lastParkedAt + rampMs + 5000;
    if (steadyAt > performance.now()) {
      b.log(
        `waiting ${((steadyAt - performance.now()) / 1000).toFixed(0)} s for the last ones' backoff ramp`,
      );
      await sleep(steadyAt - performance.now());
    }
    b.log(`observing ${options.atRest ? 'at rest' : 'the steady state'} for ${options.observeMs / 1000} s`);
    const from = performance.now();
    await sleep(options.observeMs);
    const to = performance.now();
    const window = wholeIntervals(sampler.between(from - 1000, to + 1000), options);
    const first = window[0];
    const last = window.at(-1);
    const windowMs = first && last ? last.t - first.t : NaN;
    const intervals = windowMs / options.checkMaxMs;
    const hits = hitsBetween(first?.hits ?? {}, last?.hits ?? {});
    const perOnboarding: Hits = {};
    let statusRoute = '-';
    let statusCalls = NaN;
    // At rest no check interval passes: the per-interval figures are not measured.
    for (const [sim, routes] of options.atRest ? [] : Object.entries(hits)) {
      for (const [route, count] of Object.entries(routes)) {
        const figure = count / ids.length / intervals;
        (perOnboarding[sim] ??= {})[route] = figure;
        if (!(figure <= statusCalls)) {
          statusCalls = figure;
          statusRoute = `${sim} ${route}`;
        }
      }
    }
    const checks = statusCalls * ids.length * intervals;
    /** CPU ms per status check beyond the idle CPU. */
    const perCheck = (name: 'worker' | 'server', idlePercent: number) =>
      (((cpuPercent(window, name) - idlePercent) / 100) * windowMs) / checks;
    const workerCpuMsPerCheck = perCheck('worker', idle.workerCpuPercent);
    const serverCpuMsPerCheck = perCheck('server', idle.serverCpuPercent);
    const perSecond = callsPerSecond(window);
    const perSecondDist = distribution(perSecond);
    const rss = window.map((s: Sample) => s.rss.worker ?? NaN).filter(Number.isFinite);

    b.log(`timing ${options.probes} signatureEvent wake-ups`);
    const probeFrom = performance.now();
    const wakes = await probeWakeUps(b, ids, options.probes);
    const probeSamples = sampler.between(probeFrom - 1000, performance.now());
    const probeMs = (probeSamples.at(-1)?.t ?? NaN) - (probeSamples[0]?.t ?? NaN);
    const perWake = (name: 'worker' | 'server', idlePercent: number) =>
      (((cpuPercent(probeSamples, name) - idlePercent) / 100) * probeMs) / wakes.probes;
    const wake = {
      ...wakes,
      workerCpuMsEach: perWake('worker', idle.workerCpuPercent),
      serverCpuMsEach: perWake('server', idle.serverCpuPercent),
    };
    // At rest, a check falls due once the first parked onboarding's first wait ends (jitter early).
    const firstCheckDue = parking.firstParkedAt + options.checkInitialMs * (1 - defaults.statusCheckJitter);
    const checksDueInWindow = options.atRest && firstCheckDue < to;
    if (checksDueInWindow) b.log('at rest: checks fell due within the window; its figures include them');
    const end = await sampler.stop();
    const endSample = end.at(-1);
    /** % of a core with the default policy: idle, plus each onboarding's check once per interval. */
    const projected = (idlePercent: number, msPerCheck: number) =>
      idlePercent + ((ids.length / (defaults.statusCheckMaxMs / 1000)) * msPerCheck) / 10;
    return {
      n: ids.length,
      provider: options.provider,
      policy: { statusCheckInitialMs: options.checkInitial, statusCheckMaxMs: options.checkMax },
      parking: {
        ms: parkMs,
        perSecond: ids.length / (parkMs / 1000),
        errors: parking.errors,
        concurrency: options.parkConcurrency,
      },
      rampMs,
      idle,
      workerRssAfterParkingBytes,
      projectedWorkerCpuPercentAtDefaultPolicy: projected(
        idle.workerCpuPercent,
        Number.isFinite(workerCpuMsPerCheck) ? workerCpuMsPerCheck : wake.workerCpuMsEach,
      ),
      projectedServerCpuPercentAtDefaultPolicy: projected(
        idle.serverCpuPercent,
        Number.isFinite(serverCpuMsPerCheck) ? serverCpuMsPerCheck : wake.serverCpuMsEach,
      ),
      defaultPolicyMaxMs: defaults.statusCheckMaxMs,
      window: {
        ms: windowMs,
        intervals,
        workerRssMaxBytes: Math.max(...rss),
        workerRssEndBytes: mbOf(last?.rss.worker),
        workerCpuPercent: cpuPercent(window, 'worker'),
        serverCpuPercent: cpuPercent(window, 'server'),
        serverRssEndBytes: mbOf(last?.rss.server),
        simulatorsCpuPercent: cpuPercent(window, 'simulators'),
        callsPerOnboardingPerInterval: perOnboarding,
        statusCallsPerOnboardingPerInterval: statusCalls,
        statusRoute,
        workerCpuMsPerCheck,
        serverCpuMsPerCheck,
        perSecond,
        perSecondMean: options.atRest ? NaN : totalHits(hits) / (windowMs / 1000),
        perSecondPeak: options.atRest ? NaN : perSecondDist.max,
      },
      wake,
      atRest: options.atRest,
      checksDueInWindow,
      databaseBytes: stack.databaseBytes(),
      workers,
      // The simulators cannot tell the workers apart: each is given its share of their requests.
      tokens: workerTokens(
        workers === 1 ? 'onboarding worker' : `each of the ${workers} onboarding workers`,
        (endSample?.t ?? performance.now()) - workerStarted,
        Object.fromEntries(
          Object.entries(tokenRequests(endSample?.hits ?? {})).map(([p, n]) => [p, n / workers]),
        ) as ReturnType<typeof tokenRequests>,
        { datatrust: true, signio: options.provider === 'signio' },
      ),
      perSecondWholeRun: callsPerSecond(end),
    };
  } finally {
    await sampler.stop();
  }
}
