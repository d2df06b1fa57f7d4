/**
 * Personal data unreadable in Temporal, on the real dev server: a history fetched with no codec
 * (as the server stores it) holds none of the applicant's values nor the SMS token, and the same
 * history decoded through the codec server holds them. Keys rotate without breaking running
 * onboardings; an input under a key no longer in the ring is refused, clearly; onboardings started
 * before payloads were bound to their onboarding complete during a migration window, and are
 * refused without one.
 */
import { testPolicies } from '../helpers/policies';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { OnboardingWorkers } from '../../src/temporal/onboarding-workers';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../../src/activities';
import { OnboardingClient } from '../../src/client';
import { dataConverter, onboardingDataKeys } from '../../src/temporal/data-converter';
import { DataKeys } from '../../src/temporal/data-keys/data-keys';
import { parseKeyring } from '../../src/temporal/keyring';
import { testDataKeys } from '../helpers/temporal';
import { TEST_KEYS, TEST_KEY_2 } from '../fixtures/keyring';
import { answerSmsToken, onboardingInput, useOnboardingServer, waitForStatus } from '../helpers/onboarding';
import { addFaults } from '../helpers/simulators';
import {
  payloadsIn,
  rawHistory as storedHistory,
  startTestCodecServer,
  type TestCodecServer,
} from '../helpers/codec-server';
import { workerLog } from '../helpers/worker-log';

const server = useOnboardingServer('dev-server');
const h = server.harness({ autoSignMs: 0 });
const manual = server.harness({ autoSignMs: null });

/** The history's JSON text with every payload's bytes spelled out: what someone with the raw store reads. */
function readable(json: unknown): string {
  const bytes = payloadsIn(json).map((p) => Buffer.from(p.data ?? '', 'base64').toString('latin1'));
  return `${JSON.stringify(json)}\n${bytes.join('\n')}`;
}

const rawHistory = (workflowId: string): Promise<unknown> => storedHistory(h.env, workflowId);

const clientWith = (converter: DataConverter, taskQueue: string) =>
  new OnboardingClient(
    new Client({
      connection: h.env.connection,
      namespace: h.env.namespace ?? 'default',
      dataConverter: converter,
    }),
    taskQueue,
  );

/** Data keys wrapped by the keyring `keys`, in the tests' store. */
const dataKeysUnder = (keys: string) =>
  onboardingDataKeys(new DataKeys(parseKeyring(keys), testDataKeys.store));

/** A worker's converter for `keys`: a payload refused on its way into an onboarding comes as a value. */
const workerConverter = (keys: string, options: { acceptUnbound?: boolean } = {}) =>
  dataConverter(parseKeyring(keys), { refusalsAsValues: true, ...dataKeysUnder(keys), ...options });

const workerWith = (converter: DataConverter | undefined, harness = manual) =>
  OnboardingWorkers.create({
    connection: harness.env.nativeConnection,
    taskQueue: harness.taskQueue,
    workflowBundle: { code: inject('workflowBundleCode') },
    activities: createActivities({ providers: harness.providers, policies: testPolicies }),
    ...(converter ? { dataConverter: converter } : {}),
  });

describe('what Temporal stores', () => {
  let codec: TestCodecServer;
  beforeAll(async () => {
    codec = await startTestCodecServer('t');
  });
  afterAll(() => codec.close());

  it('a raw history holds none of the applicant values nor the SMS token; decoded, it holds them', async () => {
    const input = onboardingInput({ signingProvider: 'assinebem' });
    const { answer, token } = await h.run(async () => {
      await h.client.start(input);
      const status = await waitForStatus(h.client, input.onboardingId, (s) => s.stage === 'sms_token');
      const sent = await h.simulators.datatrust.smsTokenFor(status.references.dataTrustTransactionId!);
      const answer = await h.client.validateSmsToken(input.onboardingId, sent);
      await h.client.result(input.onboardingId);
      return { answer, token: sent };
    });
    expect(answer.result).toBe('Valid');

    const history = await rawHistory(`onboarding-${input.onboardingId}`);
    const stored = readable(history);
    const applicant = input.applicant;
    const values = [
      applicant.name,
      ...applicant.name.split(' '),
      '52998224725',
      '529.982.247-25',
      String(applicant.email),
      String(applicant.phone),
      '98765-4321',
      '987654321',
      String(applicant.birthDate),
      applicant.address.street,
      token,
    ];
    for (const v of values) expect(stored, `raw history holds ${v}`).not.toContain(v);

    // Through the codec server, as the Web UI and the CLI read it.
    const res = await fetch(`${codec.url}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: JSON.stringify({ payloads: payloadsIn(history) }),
    });
    expect(res.status).toBe(200);
    const decoded = readable(await res.json());
    for (const v of [applicant.name, '52998224725', String(applicant.email), token])
      expect(decoded).toContain(v);
  });

  it("a failure's message and stack trace are stored encoded too", async () => {
    const input = onboardingInput({ signingProvider: 'securities', policy: { maxRepairs: 0 } });
    await addFaults(h.simulators.baseUrls.SECURITIES_BASE_URL, [
      { route: 'POST /v1/proposals', kind: 'status', status: 422, times: 1 },
    ]);
    const outcome = await h.run(async () => {
      await h.client.start(input);
      await answerSmsToken(h, input.onboardingId);
      return h.client.result(input.onboardingId);
    });
    expect(outcome.reason).toContain('securities createProposal failed: HTTP 422');
    const stored = readable(await rawHistory(`onboarding-${input.onboardingId}`));
    expect(stored).toContain('Encoded failure');
    expect(stored).not.toContain('createProposal failed');
    expect(stored).not.toContain('failures.ts');
  });
});

describe('key rotation', () => {
  it('an onboarding started under key A completes after the worker restarts with keyring [B, A]', async () => {
    const input = onboardingInput({ signingProvider: 'securities' });
    const rotatedKeys = `${TEST_KEY_2},${TEST_KEYS}`;
    const rotated = dataConverter(parseKeyring(rotatedKeys), dataKeysUnder(rotatedKeys));
    const before = await workerWith(workerConverter(TEST_KEYS));
    const envelopeId = await before.runUntil(async () => {
      await manual.client.start(input);
      await answerSmsToken(manual, input.onboardingId);
      const s = await waitForStatus(
        manual.client,
        input.onboardingId,
        (x) => x.stage === 'waiting_signatures',
      );
      return s.references.envelopeId!;
    });
    const after = await workerWith(workerConverter(`${TEST_KEY_2},${TEST_KEYS}`));
    const outcome = await after.runUntil(async () => {
      const client = clientWith(rotated, manual.taskQueue);
      await fetch(`${new URL(manual.simulators.baseUrls.SECURITIES_BASE_URL).origin}/_simulator/sign`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ documentKey: envelopeId }),
      });
      await client.signatureEvent(input.onboardingId);
      return client.result(input.onboardingId);
    });
    expect(outcome.status).toBe('completed');
    // Every payload is under the onboarding's data key, which key A wrapped before the rotation.
    // (what Temporal keeps in clear, search attributes and the SDK's patch markers, holds no personal data)
    const plain = Buffer.from('json/plain').toString('base64');
    const payloads = payloadsIn(await rawHistory(`onboarding-${input.onboardingId}`)).filter(
      (p) => p.metadata?.['encoding'] !== undefined && p.metadata['encoding'] !== plain,
    );
    expect(payloads.length).toBeGreaterThan(10);
    for (const p of payloads) expect(p.metadata?.['encryption-data-key']).toBeDefined();
    const entry = await testDataKeys.store.get(`onboarding-${input.onboardingId}`);
    expect(entry).toMatchObject({ state: 'active', key: { wrappedBy: 'test-key-1' } });
    // An onboarding started after it gets a key wrapped by key B.
    const next = onboardingInput({ signingProvider: 'securities' });
    const nextEntry = await (
      await workerWith(workerConverter(rotatedKeys))
    ).runUntil(async () => {
      const client = clientWith(rotated, manual.taskQueue);
      await client.start(next);
      await client.cancel(next.onboardingId, 'test over');
      await client.result(next.onboardingId);
      return testDataKeys.store.get(`onboarding-${next.onboardingId}`);
    });
    expect(nextEntry).toMatchObject({ key: { wrappedBy: 'test-key-2' } });
  });

  it('an input under a key no longer in the ring is refused, clearly: it fails before any provider call', async () => {
    const input = onboardingInput({ signingProvider: 'securities' });
    const onlyB = dataConverter(parseKeyring(TEST_KEY_2));
    await clientWith(onlyB, manual.taskQueue).start(input);
    const worker = await workerWith(workerConverter(TEST_KEYS));
    const outcome = await worker.runUntil(() => manual.client.result(input.onboardingId));
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: "the onboarding's input was refused (undecryptable)",
      onboardingId: `onboarding-${input.onboardingId}`,
    });
    const { events } = (await rawHistory(`onboarding-${input.onboardingId}`)) as { events: unknown[] };
    // No activity ran: nothing was done with data the worker could not read.
    expect(JSON.stringify(events)).not.toContain('ACTIVITY_TASK_SCHEDULED');
  });
});

describe('payloads written before they were bound to their onboarding', () => {
  /** An onboarding driven by a worker and a client with no key ring, up to its signatures. */
  async function startedInClear() {
    const input = onboardingInput({ signingProvider: 'securities' });
    const plain = await workerWith(undefined);
    const plainClient = new OnboardingClient(
      new Client({ connection: h.env.connection, namespace: h.env.namespace ?? 'default' }),
      manual.taskQueue,
    );
    const envelopeId = await plain.runUntil(async () => {
      await plainClient.start(input);
      const status = await waitForStatus(plainClient, input.onboardingId, (s) => s.stage === 'sms_token');
      const sent = await manual.simulators.datatrust.smsTokenFor(status.references.dataTrustTransactionId!);
      await plainClient.validateSmsToken(input.onboardingId, sent);
      const s = await waitForStatus(plainClient, input.onboardingId, (x) => x.stage === 'waiting_signatures');
      return s.references.envelopeId!;
    });
    await fetch(`${new URL(manual.simulators.baseUrls.SECURITIES_BASE_URL).origin}/_simulator/sign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ documentKey: envelopeId }),
    });
    return input.onboardingId;
  }

  it('complete on workers in a migration window', async () => {
    const id = await startedInClear();
    const migrating = await workerWith(workerConverter(TEST_KEYS, { acceptUnbound: true }));
    const outcome = await migrating.runUntil(async () => {
      await manual.client.signatureEvent(id);
      return manual.client.result(id);
    });
    expect(outcome.status).toBe('completed');
  });

  it('are refused by workers out of one: the onboarding stops where it was, its workflow task failing', async () => {
    const id = await startedInClear();
    const strict = await workerWith(workerConverter(TEST_KEYS));
    await strict.runUntil(async () => {
      await manual.client.signatureEvent(id);
      // Its input now reads as refused, so its history no longer replays: nothing more is done.
      const deadline = Date.now() + 20_000;
      while (!/nondeterminism/i.test(workerLog())) {
        if (Date.now() > deadline)
          throw new Error('the worker never reported the history it could not replay');
        await sleep(200);
      }
    });
    // Described as Temporal holds it (its memo was written in clear too).
    const raw = new Client({ connection: h.env.connection, namespace: h.env.namespace ?? 'default' });
    expect((await raw.workflow.getHandle(`onboarding-${id}`).describe()).status.name).toBe('RUNNING');
    await manual.client.handle(id).terminate('test over');
  });
});
