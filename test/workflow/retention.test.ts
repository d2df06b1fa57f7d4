/**
 * Bounded retention, on the real dev server: the retention schedule's sweep destroys the data key of
 * an onboarding closed longer ago than the retention period (here a second and a half), and no
 * other: a running onboarding keeps its key. The data keys live in a store of this file's own, so the
 * sweep sees no other test's onboardings.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { workflowIdFor } from '../../src/messages';
import { DataKeys } from '../../src/temporal/data-keys/data-keys';
import { FileDataKeyStore } from '../../src/temporal/data-keys/file-store';
import { ensureRetentionSchedule } from '../../src/temporal/retention-schedule';
import { testKeyring } from '../fixtures/keyring';
import { runScheduleOnce } from '../helpers/schedules';
import { cpfs, onboardingInput, useOnboardingServer, waitForStatus } from '../helpers/onboarding';

const store = new FileDataKeyStore(mkdtempSync(join(tmpdir(), 'retention-keys-')));
const dataKeys = new DataKeys(testKeyring, store);
const server = useOnboardingServer('dev-server');
const RETENTION_MS = 1_500;
const h = server.harness({ autoSignMs: 0, dataKeys, retentionMs: RETENTION_MS });
const scheduleId = `personal-data-retention-test-${Math.random().toString(36).slice(2, 10)}`;

afterAll(async () => {
  await h.env.client.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => undefined);
});

it('the retention schedule destroys the key of an onboarding closed past the period, and no other', async () => {
  const closed = onboardingInput({ cpf: cpfs.reject, signingProvider: 'securities' });
  const running = onboardingInput({ signingProvider: 'securities' });
  await h.run(async () => {
    await h.client.start(closed);
    await h.client.start(running);
    expect((await h.client.result(closed.onboardingId)).status).toBe('rejected');
    await waitForStatus(h.client, running.onboardingId, (s) => s.stage === 'sms_token');
    await sleep(RETENTION_MS + 500);

    await ensureRetentionSchedule(h.env.client, { taskQueue: h.taskQueue, scheduleId });
    expect(await runScheduleOnce(h.env.client, scheduleId)).toEqual({ examined: 2, destroyed: 1 });

    expect(await store.get(workflowIdFor(closed.onboardingId))).toMatchObject({
      state: 'erased',
      erasure: { cause: 'retention' },
    });
    expect(await store.get(workflowIdFor(running.onboardingId))).toMatchObject({ state: 'active' });
    // What is kept of it still reads.
    expect(await h.client.status(closed.onboardingId)).toMatchObject({
      stage: 'finished',
      outcome: { status: 'rejected' },
      personalData: { cause: 'retention' },
    });
    // The running one goes on as before.
    expect((await h.client.status(running.onboardingId)).stage).toBe('sms_token');
    await h.client.cancel(running.onboardingId, 'test over');
    expect((await h.client.result(running.onboardingId)).status).toBe('cancelled');
  });
});
