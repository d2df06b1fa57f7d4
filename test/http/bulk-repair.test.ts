/**
 * Repair in bulk over real HTTP, with the simulators: an outage of Securities' proposals (422, 20
 * times) parks 20 onboardings in `needs_attention`; a dry run lists exactly those and changes
 * nothing; one `POST /v1/repairs` retries them all through a durable job, whose progress reaches
 * done, and every onboarding completes with the key that asked recorded as who repaired it.
 * Another tenant's key sees none of it; a key without `repair` may not start one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/http/api-keys';
import type { OnboardingStatus } from '../../src/domain/onboarding';
import { UNREACHED_LIMITS, useApi } from '../helpers/api';
import { answerSmsToken, onboardingInput, useOnboardingServer, waitForStatus } from '../helpers/onboarding';

const server = useOnboardingServer('dev-server');
const h = server.harness();
// Tenants of this run only: the dev server is shared with other test files and earlier runs.
const suffix = Math.random().toString(36).slice(2, 8);
const TENANT = `bulk-${suffix}`;
const KEY = 'bulk-repair-key-0123456789';
const READ_KEY = 'bulk-read-only-key-0123456789';
const OTHER_KEY = 'bulk-other-tenant-key-0123456789';
const api = useApi(h, {
  API_KEYS: [
    `bulk-backend@${TENANT}:all:${sha256Hex(KEY)}`,
    `bulk-dashboard@${TENANT}:start+read:${sha256Hex(READ_KEY)}`,
    `bulk-other@other-${suffix}:all:${sha256Hex(OTHER_KEY)}`,
  ].join(','),
  ...UNREACHED_LIMITS,
});
const as = (key: string) => (method: string, path: string, body?: unknown) =>
  api.call(method, path, body, { authorization: `Bearer ${key}` });
const call = as(KEY);

const COUNT = 20;

interface DryRun {
  matched: number;
  onboardings: Array<{ onboardingId: string; attention: { step: string; provider?: string } }>;
}
interface Progress {
  id: string;
  state: string;
  matched?: number;
  retried: number;
  refused: Array<{ onboardingId: string; reason: string }>;
}

/** Starts COUNT onboardings with Securities refusing each one's proposal: all wait in needs_attention. */
async function parkedByAnOutage(): Promise<string[]> {
  h.simulators.servers.securities.addFaults([
    { route: 'POST /v1/proposals', kind: 'status', status: 422, times: COUNT },
  ]);
  // No policy named: this run's tenant gets the catalog's default.
  const inputs = Array.from({ length: COUNT }, () => {
    const { policy: _policy, ...input } = onboardingInput({ signingProvider: 'securities' });
    return input;
  });
  for (const input of inputs) {
    const res = await call('POST', '/v1/onboardings', input);
    expect(`${res.status} ${await res.text()}`).toMatch(/^201 /);
  }
  await Promise.all(inputs.map((input) => answerSmsToken(h, input.onboardingId)));
  const ids = inputs.map((i) => i.onboardingId);
  await Promise.all(ids.map((id) => waitForStatus(h.client, id, (s) => s.stage === 'needs_attention')));
  return ids;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: never; last ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

describe('an outage that parked many onboardings', () => {
  it('is repaired in one request: a dry run lists them, a job retries them all at a bounded rate', async () => {
    await h.run(async () => {
      const since = new Date().toISOString();
      const ids = await parkedByAnOutage();
      const filter = { step: 'ccb_proposal', provider: 'securities', since };
      const body = { filter, reason: 'Securities is back after the outage', perSecond: 20 };

      // The dry run: exactly those 20 (visibility may lag behind the stage for a moment), nothing changed.
      const dry = await until(
        async () => (await (await call('POST', '/v1/repairs', { ...body, dryRun: true })).json()) as DryRun,
        (d) => d.matched === COUNT,
        'the dry run matching every parked onboarding',
      );
      expect(dry.onboardings.map((o) => o.onboardingId).sort()).toEqual([...ids].sort());
      for (const o of dry.onboardings)
        expect(o.attention).toMatchObject({ step: 'ccb_proposal', provider: 'securities' });
      expect(JSON.stringify(dry)).not.toContain(onboardingInput().applicant.cpf);
      for (const id of ids) {
        const status = await h.client.status(id);
        expect(status.stage).toBe('needs_attention');
        expect(status.repairs).toBeUndefined();
      }
      // A filter the failure does not match: none.
      const other = await call('POST', '/v1/repairs', {
        ...body,
        filter: { ...filter, step: 'signing' },
        dryRun: true,
      });
      expect(((await other.json()) as DryRun).matched).toBe(0);

      // Other keys: another tenant's sees none; a key without `repair` may not.
      const otherTenant = await as(OTHER_KEY)('POST', '/v1/repairs', { ...body, dryRun: true });
      expect(((await otherTenant.json()) as DryRun).matched).toBe(0);
      expect((await as(READ_KEY)('POST', '/v1/repairs', body)).status).toBe(403);

      // The job.
      const started = await call('POST', '/v1/repairs', body);
      expect(started.status).toBe(202);
      const job = (await started.json()) as { id: string; matched: number };
      expect(job.matched).toBe(COUNT);
      expect(started.headers.get('location')).toBe(`/v1/repairs/${job.id}`);

      const progress = await until(
        async () => (await (await call('GET', `/v1/repairs/${job.id}`)).json()) as Progress,
        (p) => p.state === 'done',
        'the job done',
      );
      expect(progress).toMatchObject({
        id: job.id,
        state: 'done',
        matched: COUNT,
        retried: COUNT,
        refused: [],
      });
      // Read with `read` alone; another tenant's key: 404, as for a job that does not exist.
      expect((await as(READ_KEY)('GET', `/v1/repairs/${job.id}`)).status).toBe(200);
      expect((await as(OTHER_KEY)('GET', `/v1/repairs/${job.id}`)).status).toBe(404);

      for (const id of ids) expect((await h.client.result(id)).status).toBe('completed');
      for (const id of ids) {
        const after = (await (await call('GET', `/v1/onboardings/${id}`)).json()) as OnboardingStatus;
        expect(after.repairs).toEqual([
          expect.objectContaining({
            step: 'ccb_proposal',
            action: 'retry',
            reason: 'Securities is back after the outage',
            principal: { type: 'api-key', name: 'bulk-backend', tenant: TENANT },
          }),
        ]);
      }
      // The job logged its start and end with counts: the worker's log, no personal data (nothing to read here).
    });
  });
});

describe('a bulk repair the API cannot take', () => {
  it('is refused naming the fields, echoing no value; an unknown job is 404', async () => {
    const bad = await call('POST', '/v1/repairs', {
      filter: { since: 'yesterday 52998224725', step: 'nowhere' },
      reason: '',
      perSecond: 50,
    });
    const text = await bad.text();
    expect(bad.status).toBe(400);
    for (const field of ['filter.since', 'filter.step', 'reason', 'perSecond'])
      expect(text).toContain(`"field":"${field}"`);
    expect(text).not.toContain('52998224725');
    expect(text).not.toContain('nowhere');
    const corrections = await call('POST', '/v1/repairs', {
      filter: {},
      reason: 'x',
      action: 'correct',
    });
    expect(corrections.status).toBe(400);
    expect((await call('GET', '/v1/repairs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await call('GET', '/v1/repairs/not-a-job')).status).toBe(400);
  });
});
