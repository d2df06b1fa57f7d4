import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `predicate` every `everyMs` until it holds; throws after `timeoutMs`. */
export async function until(
  predicate: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(everyMs);
  }
}
