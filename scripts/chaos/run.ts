/**
 * A chaos run, reusable by `npm run chaos` and the test suite: N onboardings across the signing
 * providers on a stack of their own (chaos-stack.ts), with seeded faults on every provider route,
 * the worker SIGKILLed every few seconds and the dev server restarted once (disturb.ts). Returns
 * the figures and every rule broken: an onboarding not terminal in time or not completed, an
 * object created twice (or for nobody), an envelope left open.
 */
import type { ChaosOptions } from './options';
import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SigningProviderName } from '../../src/providers/registry';
import { disturb } from './disturb';
import { driveOnboarding, type Driven } from './drive';
import { chaosInputs } from './inputs';
import { evidence } from './evidence';
import { objectViolations, openEnvelopes, tallyObjects, type RunOnboarding } from './objects';
import { figuresOf, type ChaosFigures, type Disturbances } from './report';
import { faultCounts, liftFaults, providerStates, requestCount, type FaultCounts } from './simulator-reads';
import { startChaosStack } from './chaos-stack';

export type { ChaosOptions } from './options';

export interface ChaosResult {
  figures: ChaosFigures;
  violations: string[];
  /** The run's folder, when kept (on violations, or with `keep`). */
  keptDir: string | undefined;
}

const PROGRESS_EVERY_MS = 15_000;

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? (() => undefined);
  const signal = options.signal ?? new AbortController().signal;
  // Every onboarding's pauses listen for an abort.
  setMaxListeners(0, signal);
  const dir = mkdtempSync(join(tmpdir(), 'chaos-'));
  const timers: NodeJS.Timeout[] = [];
  let keep = options.keep ?? false;
  const stack = await startChaosStack({
    dir,
    seed: options.seed,
    autoSignMs: options.autoSignMs ?? 1_000,
    workflowCode: options.workflowCode,
    log,
  }).catch((err: unknown) => {
    log(`The run's folder is kept in ${dir}`);
    throw err;
  });
  const { simulators, supervisor, calls } = stack;
  try {
    const inputs = chaosInputs(options.count, options.seed);
    const startedAt = Date.now();
    const disturbances: Disturbances = {
      kills: 0,
      workerStarts: 0,
      workerCrashes: 0,
      serverRestarts: 0,
      serverDownMs: 0,
    };
    const restartServer = async () => {
      disturbances.serverDownMs = await stack.restartServer();
      disturbances.serverRestarts += 1;
      log(`Temporal dev server restarted on its database (${disturbances.serverDownMs} ms down)`);
    };
    const disturbing = disturb(options, supervisor, restartServer, startedAt, signal);
    disturbing.catch(() => undefined);
    // The faults stop after `faultsForSeconds`: what they did is read just before they go.
    let faults: Promise<FaultCounts> | undefined;
    if (options.faultsForSeconds !== undefined) {
      timers.push(
        setTimeout(() => {
          faults = liftFaults(simulators);
          faults.then(() => log(`Faults lifted after ${options.faultsForSeconds} s`)).catch(() => undefined);
        }, options.faultsForSeconds * 1000),
      );
    }

    const driven: Driven[] = [];
    timers.push(
      setInterval(() => {
        const seconds = Math.round((Date.now() - startedAt) / 1000);
        const running = inputs.length - driven.length;
        log(
          `${seconds} s: ${driven.length} ended, ${running} running; worker killed ${supervisor.kills} times`,
        );
      }, PROGRESS_EVERY_MS),
    );
    const driver = {
      calls,
      smsTokenFor: (id: string) => simulators.datatrust.smsTokenFor(id),
      deadline: startedAt + options.timeoutSeconds * 1000,
      signal,
      pollMs: 1_000,
    };
    await Promise.all(inputs.map(async (input) => driven.push(await driveOnboarding(driver, input))));
    await disturbing;
    const wallMs = Date.now() - startedAt;
    Object.assign(disturbances, {
      kills: supervisor.kills,
      workerStarts: supervisor.starts,
      workerCrashes: supervisor.crashes,
    });

    const onboardings: RunOnboarding[] = inputs.map((input) => ({
      onboardingId: input.onboardingId,
      provider: input.signingProvider as SigningProviderName,
      completed: driven.find((d) => d.onboardingId === input.onboardingId)?.status === 'completed',
    }));
    const states = await providerStates(simulators);
    const tallies = tallyObjects(states, onboardings);
    const open = openEnvelopes(states, onboardings);
    const violations = [
      ...outcomeViolations(driven, options.timeoutSeconds),
      ...objectViolations(tallies, open, onboardings),
      ...(options.restartServer && disturbances.serverRestarts === 0
        ? ['the dev server was not restarted']
        : []),
    ];
    const figures = figuresOf({
      options,
      inputs: onboardings,
      driven,
      wallMs,
      disturbances,
      tallies,
      open,
      faults: await (faults ?? faultCounts(simulators)),
      requests: await requestCount(simulators),
    });
    keep ||= violations.length > 0;
    if (keep) writeFileSync(join(dir, 'provider-objects.json'), JSON.stringify(evidence(states), null, 1));
    return { figures, violations, keptDir: keep ? dir : undefined };
  } catch (err) {
    // An interrupted run has nothing to look at; a failed one has.
    keep = !signal.aborted;
    throw err;
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await stack.stop();
    if (!keep) rmSync(dir, { recursive: true, force: true });
    else log(`The run's folder (database, worker log, provider objects, encryption key) is kept in ${dir}`);
  }
}

/** Every onboarding must be terminal and completed: every applicant is approvable and every signer signs. */
function outcomeViolations(driven: Driven[], timeoutSeconds: number): string[] {
  return driven
    .filter((d) => d.status !== 'completed')
    .map((d) =>
      d.status === 'not terminal'
        ? `${d.onboardingId}: not terminal after ${timeoutSeconds} s (last error: ${d.lastError ?? 'none'})`
        : `${d.onboardingId}: ${d.status}, expected completed (${d.outcome?.reason ?? d.lastError ?? ''})`,
    );
}
