/**
 * The worker's Prometheus endpoint (TEMPORAL_METRICS_ADDRESS), scraped after real onboardings run
 * on the real worker entry point (`src/worker.ts`, in a process of its own): the SDK's metrics and
 * the onboarding's business counters moved, with tags that hold no personal data.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { freePort } from '../../scripts/free-ports';
import { answerNext } from '../helpers/simulators';
import { startSpawnedWorker } from '../helpers/spawned-worker';
import {
  answerSmsToken,
  cpfs,
  onboardingInput,
  useOnboardingServer,
  waitForStatus,
} from '../helpers/onboarding';

const server = useOnboardingServer('dev-server');
const h = server.harness({ autoSignMs: 0 });

/** The value of a metric line with all `labels`, or undefined. */
function valueOf(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text
    .split('\n')
    .find(
      (l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

it('serves the SDK’s and the onboarding’s metrics, without personal data', { timeout: 120_000 }, async () => {
  const address = `127.0.0.1:${await freePort()}`;
  // The real entry point (`src/worker.ts`), serving its metrics on a free port.
  await startSpawnedWorker(h, { entry: 'source', env: { TEMPORAL_METRICS_ADDRESS: address } });

  // Signio's first answer is a 503: one retry to count.
  await answerNext(h.simulators.baseUrls.SIGNIO_BASE_URL, '*', 503);
  const completed = onboardingInput({ signingProvider: 'signio' });
  const rejected = onboardingInput({ signingProvider: 'assinebem', cpf: cpfs.reject });
  await h.client.start(completed);
  await h.client.start(rejected);
  await answerSmsToken(h, completed.onboardingId);
  expect((await h.client.result(completed.onboardingId)).status).toBe('completed');
  expect((await h.client.result(rejected.onboardingId)).status).toBe('rejected');
  // Securities refuses a proposal once: that onboarding needs attention, and is retried.
  h.simulators.servers.securities.addFaults([
    { route: 'POST /v1/proposals', kind: 'status', status: 422, times: 1 },
  ]);
  const repaired = onboardingInput({ signingProvider: 'securities' });
  await h.client.start(repaired);
  await answerSmsToken(h, repaired.onboardingId);
  await waitForStatus(h.client, repaired.onboardingId, (s) => s.stage === 'needs_attention');
  await h.client.repair(repaired.onboardingId, { action: 'retry', reason: 'the template was fixed' });
  expect((await h.client.result(repaired.onboardingId)).status).toBe('completed');

  let text = '';
  for (let i = 0; i < 50; i++) {
    text = await (await fetch(`http://${address}/metrics`)).text();
    if (valueOf(text, 'credit_onboarding_ended', { outcome: 'completed' }) !== undefined) break;
    await sleep(200);
  }
  expect(valueOf(text, 'credit_onboarding_started', { signing_provider: 'signio' })).toBeGreaterThanOrEqual(
    1,
  );
  expect(valueOf(text, 'credit_onboarding_ended', { outcome: 'completed', signing_provider: 'signio' })).toBe(
    1,
  );
  expect(
    valueOf(text, 'credit_onboarding_ended', { outcome: 'rejected', signing_provider: 'assinebem' }),
  ).toBe(1);
  expect(
    valueOf(text, 'credit_onboarding_provider_calls', {
      provider: 'datatrust',
      operation: 'startIdentityCheck',
      result: 'ok',
    }),
  ).toBe(3);
  expect(
    valueOf(text, 'credit_onboarding_provider_calls', { provider: 'signio', operation: 'sendForSignature' }),
  ).toBe(1);
  expect(valueOf(text, 'credit_onboarding_provider_call_retries', { provider: 'signio' })).toBe(1);
  expect(text).toMatch(/credit_onboarding_stage_duration_bucket\{[^}]*stage="waiting_signatures"/);
  expect(
    valueOf(text, 'credit_onboarding_needs_attention', { step: 'ccb_proposal', provider: 'securities' }),
  ).toBe(1);
  expect(valueOf(text, 'credit_onboarding_repairs', { action: 'retry', step: 'ccb_proposal' })).toBe(1);
  expect(
    valueOf(text, 'credit_onboarding_provider_token_fetches', { provider: 'datatrust' }),
  ).toBeGreaterThanOrEqual(1);
  // The SDK’s own: schedule-to-start latency, which the alert rules watch.
  expect(text).toContain('temporal_activity_schedule_to_start_latency');
  for (const personal of [completed.applicant.cpf, completed.applicant.name, completed.onboardingId]) {
    expect(text).not.toContain(personal);
  }

  // Every metric the alert rules and the dashboard use is one the worker serves.
  const served = new Set(
    text.split('\n').flatMap((l) => (l.startsWith('#') || l === '' ? [] : [l.split(/[{ ]/)[0]!])),
  );
  const ops = ['ops/prometheus/alerts.yml', 'ops/grafana/credit-onboarding-dashboard.json'].map((f) =>
    readFileSync(f, 'utf8'),
  );
  const used = new Set(ops.join('\n').match(/\b(?:temporal|credit_onboarding)_[a-z_]+\b/g) ?? []);
  expect(used.size).toBeGreaterThan(5);
  for (const name of used) expect(served, name).toContain(name);
});
