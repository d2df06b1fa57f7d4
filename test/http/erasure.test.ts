/**
 * Erasure of an applicant's personal data (LGPD art. 18), over HTTP on the real dev server:
 * DELETE /v1/onboardings/{id}/personal-data destroys the onboarding's data key. Afterwards its
 * history, decoded through the codec server, holds none of the applicant's values and says they were
 * erased; another onboarding decodes as before; the erased one's status, outcome and decision record
 * still read. A running onboarding is ended first, its envelope closed at the provider. A key
 * without the `erase` scope is refused; an onboarding from before data keys is refused, saying what
 * to do instead.
 */
import { Client } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OnboardingInputDraft } from '../../src/domain/input';
import { OnboardingClient } from '../../src/client';
import { sha256Hex } from '../../src/http/api-keys';
import { workflowIdFor } from '../../src/messages';
import { ERASURE_WORKFLOW_TYPE } from '../../src/privacy/erasure';
import { dataConverter } from '../../src/temporal/data-converter';
import { testKeyring } from '../fixtures/keyring';
import { API_KEYS, useApi, waitForApiStage, type ApiStatus } from '../helpers/api';
import {
  answerSmsToken,
  cpfs,
  idleOnSignatures,
  onboardingInput,
  useOnboardingServer,
} from '../helpers/onboarding';
import { simulatorState } from '../helpers/simulators';
import { payloadsIn, rawHistory, startTestCodecServer, type TestCodecServer } from '../helpers/codec-server';
import { testDataKeys } from '../helpers/temporal';

const server = useOnboardingServer('dev-server');
const signing = server.harness({ autoSignMs: 0 });
const waiting = server.harness({ autoSignMs: null });
const READER_KEY = 'erasure-reader-key-0123456789';
const readerKeys = `${API_KEYS},reader@default:read:${sha256Hex(READER_KEY)}`;
const api = useApi(signing, { API_KEYS: readerKeys });
const waitingApi = useApi(waiting);

/** A codec token that may encode, as the operators' CLI has. */
const ENCODE_TOKEN = 'erasure-cli-token';
let codec: TestCodecServer;
beforeAll(async () => {
  codec = await startTestCodecServer(`t,cli:decode+encode:${sha256Hex(ENCODE_TOKEN)}`);
});
afterAll(() => codec.close());

/** Every payload of the onboarding's history as Temporal stores it. */
const storedPayloads = async (onboardingId: string) =>
  payloadsIn(await rawHistory(signing.env, workflowIdFor(onboardingId)));

/** The onboarding's history decoded through the codec server, as the Web UI reads it: its text. */
async function decodedHistory(onboardingId: string): Promise<string> {
  const res = await fetch(`${codec.url}/decode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
    body: JSON.stringify({ payloads: await storedPayloads(onboardingId) }),
  });
  expect(res.status).toBe(200);
  const { payloads } = (await res.json()) as { payloads: Array<{ data?: string }> };
  return payloads.map((p) => Buffer.from(p.data ?? '', 'base64').toString('utf8')).join('\n');
}

/** The applicant's values in every form they could be stored in. */
const applicantValues = (input: OnboardingInputDraft): string[] => {
  const { applicant } = input;
  const cpf = String(applicant.cpf).replace(/\D/g, '');
  return [
    applicant.name,
    ...applicant.name.split(' ').filter((part) => part.length > 3),
    cpf,
    `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`,
    String(applicant.phone),
    String(applicant.email),
    String(applicant.birthDate),
    applicant.address.street,
  ];
};

const erase = (id: string, headers?: Record<string, string>) =>
  api.call('DELETE', `/v1/onboardings/${id}/personal-data`, undefined, headers);

it("a completed onboarding's personal data is erased everywhere its history goes; its record still reads", async () => {
  const erased = onboardingInput({
    cpf: cpfs.approve,
    signingProvider: 'securities',
    applicantName: 'Iracema Tavares Quaresma',
  });
  const kept = onboardingInput({
    cpf: cpfs.approve,
    signingProvider: 'securities',
    applicantName: 'Benedito Sampaio Lacerda',
  });
  await signing.run(async () => {
    for (const input of [erased, kept]) {
      expect((await api.call('POST', '/v1/onboardings', input)).status).toBe(201);
      await answerSmsToken(signing, input.onboardingId);
      await waitForApiStage(api, input.onboardingId, 'finished');
    }
    expect(await decodedHistory(erased.onboardingId)).toContain(erased.applicant.name);

    // A key that may only read cannot erase.
    const refused = await erase(erased.onboardingId, { authorization: `Bearer ${READER_KEY}` });
    expect(refused.status).toBe(403);

    const answer = await erase(erased.onboardingId);
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { state: string; erasedAt: string; cause: string };
    expect(body).toMatchObject({ state: 'erased', cause: 'request' });
    // Again: the same erasure.
    expect(await (await erase(erased.onboardingId)).json()).toEqual(body);

    const decoded = await decodedHistory(erased.onboardingId);
    for (const value of applicantValues(erased)) expect(decoded, 'the erased history').not.toContain(value);
    expect(decoded).toContain('personal data erased at');
    const other = await decodedHistory(kept.onboardingId);
    expect(other).toContain(kept.applicant.name);
    expect(other).toContain(String(kept.applicant.cpf).replace(/\D/g, ''));

    const status = (await (
      await api.call('GET', `/v1/onboardings/${erased.onboardingId}`)
    ).json()) as ApiStatus;
    expect(status).toMatchObject({
      stage: 'finished',
      personalData: { erasedAt: body.erasedAt, cause: 'request' },
      outcome: { status: 'completed' },
    });
    expect(status.signers.every((s) => s.name === '[erased]')).toBe(true);
    const outcome = await api.call('GET', `/v1/onboardings/${erased.onboardingId}/outcome`);
    expect(outcome.status).toBe(200);
    expect(await outcome.json()).toMatchObject({ status: 'completed' });
    const decision = await api.call('GET', `/v1/onboardings/${erased.onboardingId}/decision`);
    expect(decision.status).toBe(200);
    expect(await decision.json()).toMatchObject({ verdict: 'approve', result: 'approved' });
    // It takes no more messages, from the API or an operator's CLI through the codec server.
    const cancel = await api.call('POST', `/v1/onboardings/${erased.onboardingId}/cancel`, {
      reason: 'late',
    });
    expect(cancel.status).toBe(409);
    const command = await fetch(`${codec.url}/encode`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${ENCODE_TOKEN}`,
        'x-onboarding': workflowIdFor(erased.onboardingId),
      },
      body: JSON.stringify({
        payloads: [
          {
            metadata: { encoding: Buffer.from('json/plain').toString('base64') },
            data: Buffer.from('"x"').toString('base64'),
          },
        ],
      }),
    });
    expect(command.status).toBe(409);
    const everything = JSON.stringify(status);
    for (const value of applicantValues(erased)) expect(everything, 'the kept status').not.toContain(value);
  });
});

it('erasing a running onboarding ends it first, its envelope closed at the provider, and completes by itself', async () => {
  const input = onboardingInput({ signingProvider: 'assinebem' });
  await waiting.run(async () => {
    expect((await waitingApi.call('POST', '/v1/onboardings', input)).status).toBe(201);
    await answerSmsToken(waiting, input.onboardingId);
    await idleOnSignatures(waiting, input.onboardingId);
    // Asked once, with no wait for it: it is being ended, and nobody asks again.
    expect(await waiting.client.erasePersonalData(input.onboardingId, { waitMs: 0 })).toEqual({
      state: 'ending',
    });
    for (const deadline = Date.now() + 30_000; ;) {
      const status = (await (
        await waitingApi.call('GET', `/v1/onboardings/${input.onboardingId}`)
      ).json()) as ApiStatus;
      if (status.personalData !== undefined) break;
      if (Date.now() > deadline) throw new Error('the erasure did not complete by itself');
      await sleep(200);
    }
  });
  const status = (await (
    await waitingApi.call('GET', `/v1/onboardings/${input.onboardingId}`)
  ).json()) as ApiStatus;
  expect(status.outcome).toMatchObject({ status: 'cancelled' });
  expect(status.outcome?.reason).toContain(`envelope ${status.references.envelopeId} cancelled at assinebem`);
  const assinebem = await simulatorState<{
    documents: Array<{ id_externo: string; descricao_documento_status: string }>;
  }>(waiting.simulators.baseUrls.ASSINEBEM_BASE_URL);
  const document = assinebem.documents.find((d) => d.id_externo === status.references.envelopeId);
  expect(document?.descricao_documento_status).toMatch(/invalid/i);
});

it('an onboarding started before data keys cannot be erased by key deletion, and the answer says what to do', async () => {
  const input = onboardingInput({ signingProvider: 'securities' });
  // A client of the release before data keys: the keyring alone.
  const before = new OnboardingClient(
    new Client({
      connection: signing.env.connection,
      namespace: signing.env.namespace ?? 'default',
      dataConverter: dataConverter(testKeyring),
    }),
    signing.taskQueue,
  );
  await signing.run(async () => {
    await before.start(input);
    await answerSmsToken(signing, input.onboardingId);
    await waitForApiStage(api, input.onboardingId, 'finished');
    const answer = await erase(input.onboardingId);
    expect(answer.status).toBe(409);
    expect(((await answer.json()) as { error: string }).error).toContain('delete its workflow execution');
    // Nothing was destroyed: it reads as before.
    expect(await decodedHistory(input.onboardingId)).toContain(input.applicant.name);
  });
});

it('an onboarding erased with nothing kept of it (its history was gone) answers 410, not an error', async () => {
  const input = onboardingInput({ cpf: cpfs.reject, signingProvider: 'securities' });
  await signing.run(async () => {
    expect((await api.call('POST', '/v1/onboardings', input)).status).toBe(201);
    await waitForApiStage(api, input.onboardingId, 'finished');
  });
  // As the retention schedule leaves an onboarding whose history Temporal had deleted.
  await testDataKeys.erase(workflowIdFor(input.onboardingId), {
    erasedAt: new Date().toISOString(),
    cause: 'retention',
  });
  for (const path of ['', '/outcome', '/decision']) {
    const answer = await api.call('GET', `/v1/onboardings/${input.onboardingId}${path}`);
    expect(answer.status, path).toBe(410);
    expect(((await answer.json()) as { error: string }).error).toContain('erased');
  }
});

it('an erasure workflow started with Temporal access but no keys erases nothing', async () => {
  const victim = onboardingInput({ cpf: cpfs.reject, signingProvider: 'securities' });
  // Mallory reaches Temporal, not the keyring: her request goes in clear.
  const mallory = new Client({
    connection: signing.env.connection,
    namespace: signing.env.namespace ?? 'default',
  });
  const failure = await signing.run(async () => {
    expect((await api.call('POST', '/v1/onboardings', victim)).status).toBe(201);
    await waitForApiStage(api, victim.onboardingId, 'finished');
    const erasure = await mallory.workflow.start(ERASURE_WORKFLOW_TYPE, {
      workflowId: `mallory-${victim.onboardingId}`,
      taskQueue: signing.taskQueue,
      args: [
        {
          workflowId: workflowIdFor(victim.onboardingId),
          principal: { type: 'service', name: 'mallory', tenant: 'default' },
        },
      ],
    });
    // Her client cannot read the failure's encrypted message: wait for the end, then read its type.
    await erasure.result().catch(() => undefined);
    const { status } = await erasure.describe();
    const { events } = await erasure.fetchHistory();
    const failed = events?.at(-1)?.workflowExecutionFailedEventAttributes?.failure?.applicationFailureInfo;
    return { status: status.name, type: failed?.type };
  });
  expect(failure).toEqual({ status: 'FAILED', type: 'InvalidErasureRequest' });
  expect(await testDataKeys.store.get(workflowIdFor(victim.onboardingId))).toMatchObject({ state: 'active' });
  expect(await decodedHistory(victim.onboardingId)).toContain(victim.applicant.name);
});
