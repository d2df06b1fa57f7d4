/**
 * A worker SIGKILLed while its Assine Bem upload is in flight (found by `npm run chaos`): the
 * upload identifier Assine Bem issued must survive the crash, or the retry cannot tell that a
 * document was already created and uploads a second (two CCBs for the applicant to sign). Kept
 * in the activity's heartbeat, it could be lost: the SDK sends heartbeats at most every 8 s. So it
 * is obtained first and recorded in the workflow's history (`prepare`), and the retried upload
 * reuses it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { until } from '../helpers/until';
import { startSpawnedWorker } from '../helpers/spawned-worker';
import { addFaults, routeHits, simulatorState } from '../helpers/simulators';
import { answerSmsToken, onboardingInput, useOnboardingServer } from '../helpers/onboarding';

const server = useOnboardingServer('dev-server');
const h = server.harness({ autoSignMs: 0 });

it('an Assine Bem upload in flight on a killed worker is not made twice', async () => {
  const worker = await startSpawnedWorker(h);

  const assinebem = h.simulators.baseUrls.ASSINEBEM_BASE_URL;
  const securities = h.simulators.baseUrls.SECURITIES_BASE_URL;
  // The identifier takes 2.5 s: the keep-alive heartbeat (2 s, no details yet) goes out first, so the
  // heartbeat carrying the identifier waits for the throttle (8 s).
  await addFaults(assinebem, [
    { route: 'GET /documento/get_identifier_to_upload', kind: 'latency', latencyMs: 2_500, times: 1 },
  ]);
  // Assine Bem fetches the CCB from Securities for 3 s: the upload is in flight when the worker dies.
  await addFaults(securities, [
    { route: 'GET /files/:key.pdf', kind: 'latency', latencyMs: 3_000, times: 1 },
  ]);

  const input = onboardingInput({ signingProvider: 'assinebem' });
  await h.client.start(input);
  await answerSmsToken(h, input.onboardingId);
  await until(async () => ((await routeHits(assinebem))['POST /documento'] ?? 0) >= 1, 30_000);
  await sleep(500);
  await worker.kill('SIGKILL');

  const outcome = await h.run(() => h.client.result(input.onboardingId));
  const state = await simulatorState<{ counts: Record<string, number> }>(assinebem);
  expect(outcome.status).toBe('completed');
  expect(state.counts['documents']).toBe(1);
}, 120_000);
