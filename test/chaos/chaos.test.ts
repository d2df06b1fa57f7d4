/**
 * `npm run chaos` in small, on every change: ten onboardings across the signing providers with
 * seeded faults on every provider route, a worker process SIGKILLed every few seconds and the
 * Temporal dev server restarted once on its database. Every onboarding must complete, nothing may
 * be created twice at a provider and no envelope may be left open. The figures are printed, not
 * asserted (no test asserts a timing).
 */
import { expect, inject, it } from 'vitest';
import { formatReport } from '../../scripts/chaos/report';
import { runChaos } from '../../scripts/chaos/run';

it('onboardings under provider faults, worker kills and a server restart all complete, creating nothing twice', async () => {
  const { figures, violations } = await runChaos({
    count: 10,
    killEverySeconds: 4,
    killForSeconds: 30,
    // Short, so that no call's backoff grows long: a retry waits up to 2 minutes after many failures.
    faultsForSeconds: 10,
    restartServer: true,
    seed: 11,
    // A bound on liveness, not a timing: the run takes about half a minute.
    timeoutSeconds: 200,
    workflowCode: inject('workflowBundleCode'),
  });
  console.log(formatReport(figures, violations));
  expect(violations).toEqual([]);
  expect(figures.outcomes.completed.count).toBe(10);
  expect(figures.disturbances.kills).toBeGreaterThan(0);
  expect(figures.disturbances.serverRestarts).toBe(1);
}, 300_000);
