/** The chaos run's disturbances: the worker SIGKILLed every few seconds, the dev server restarted once. */
import { seededRandom } from '../../simulators/kit';
import { abortableSleep } from './abortable-sleep';
import type { WorkerSupervisor } from './processes';

export interface DisturbOptions {
  seed: number;
  /** The worker is killed after polling for 0.5 to 1.5 times this (seeded). */
  killEverySeconds: number;
  killForSeconds: number;
  restartServer: boolean;
}

/**
 * Kills the worker for `killForSeconds` from `startedAt`, each time it has polled for a while, and
 * restarts the dev server once halfway through (or at the end, when the window is too short).
 */
export async function disturb(
  options: DisturbOptions,
  supervisor: WorkerSupervisor,
  restartServer: () => Promise<void>,
  startedAt: number,
  signal: AbortSignal,
): Promise<void> {
  const random = seededRandom(options.seed ^ 0x6b696c6c);
  const end = startedAt + options.killForSeconds * 1000;
  const restartAt = startedAt + options.killForSeconds * 500;
  let restarted = !options.restartServer;
  while (Date.now() < end) {
    await Promise.race([supervisor.whenReady(), abortableSleep(Math.max(0, end - Date.now()), signal)]);
    const polling = options.killEverySeconds * 1000 * (0.5 + random());
    await abortableSleep(Math.max(0, Math.min(polling, end - Date.now())), signal);
    if (!restarted && Date.now() >= restartAt) {
      restarted = true;
      await restartServer();
    } else if (Date.now() < end) {
      await supervisor.kill();
    }
  }
  if (!restarted) await restartServer();
}
