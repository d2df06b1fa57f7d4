/**
 * The onboarding with Assine Bem under both readings of what its document leaves open (see
 * simulators/assinebem/store.ts): our status numbering with descriptions and the upload echoing our
 * references, or another numbering with no descriptions, no echo, and call 5 ignoring `assinado`.
 * Happy path, deadline and cancel must end the same way under both.
 */
import { describe, expect, it } from 'vitest';
import type { FaultRule } from '../../simulators/kit';
import { addFaults, signAtProvider, simulatorState } from '../helpers/simulators';
import {
  answerSmsToken,
  idleOnSignatures,
  onboardToOutcome,
  onboardingInput,
  useOnboardingServer,
} from '../helpers/onboarding';

interface AssineBemState {
  counts: { invalidations: number; documents: number };
  documents: Array<{ id_externo: string; descricao_documento_status: string }>;
}
interface SecuritiesState {
  bankCreditNotes: Array<{ number: string; fileSha256: string }>;
}

const server = useOnboardingServer('time-skipping');
const readings = {
  ours: { auto: server.harness({ autoSignMs: 0 }), manual: server.harness({ autoSignMs: null }) },
  other: {
    auto: server.harness({ autoSignMs: 0, assineBemReading: 'other' }),
    manual: server.harness({ autoSignMs: null, assineBemReading: 'other' }),
  },
};

/** An answer to the status check that breaks the contract: no id, an unreadable status. */
const garbled = (times: number): FaultRule => ({
  route: 'GET /documento',
  kind: 'status',
  status: 200,
  body: { status_api: 200, documento: { id_externo: '', id_documento_status: 'x' } },
  times,
});

describe('a garbled status answer, through the simulator', () => {
  const { auto, manual } = readings.ours;

  it('followed by signatures: retried, and the onboarding completes', async () => {
    const input = onboardingInput({ signingProvider: 'assinebem' });
    await addFaults(auto.simulators.baseUrls.ASSINEBEM_BASE_URL, [garbled(1)]);
    const { outcome } = await onboardToOutcome(auto, input);
    expect(outcome.status).toBe('completed');
  });

  it('followed by the deadline: expired, and the document invalidated', async () => {
    const input = onboardingInput({
      signingProvider: 'assinebem',
      policy: { signatureDeadlineMs: '1 day', reminderIntervalMs: '2 days', statusCheckMaxMs: '12 hours' },
    });
    await addFaults(manual.simulators.baseUrls.ASSINEBEM_BASE_URL, [garbled(1)]);
    const { outcome } = await onboardToOutcome(manual, input);
    expect(outcome.status).toBe('expired');
    expect(outcome.reason).toContain(`envelope ${outcome.references.envelopeId} cancelled at assinebem`);
    const state = await simulatorState<AssineBemState>(manual.simulators.baseUrls.ASSINEBEM_BASE_URL);
    const doc = state.documents.find((d) => d.id_externo === outcome.references.envelopeId);
    expect(doc?.descricao_documento_status).toBe('Invalidado');
  });
});

describe.each(['ours', 'other'] as const)('Assine Bem, %s reading', (reading) => {
  const { auto, manual } = readings[reading];

  it('happy path: completed, and the CCB registered in Securities is the signed version', async () => {
    const input = onboardingInput({ signingProvider: 'assinebem' });
    const { outcome, status } = await onboardToOutcome(auto, input);
    expect(outcome.status).toBe('completed');
    expect(status.signers.map((s) => s.state)).toEqual(['signed']);
    const securities = await simulatorState<SecuritiesState>(auto.simulators.baseUrls.SECURITIES_BASE_URL);
    const note = securities.bankCreditNotes.find((n) => n.number === input.onboardingId);
    const original = await simulatorState<AssineBemState & { documents: Array<{ hash_arquivo: string }> }>(
      auto.simulators.baseUrls.ASSINEBEM_BASE_URL,
    );
    const uploaded = original.documents.find((d) => d.id_externo === outcome.references.envelopeId);
    expect(note?.fileSha256).toBeDefined();
    // The original's hash is what was uploaded; the registered CCB carries the signatures.
    expect(note?.fileSha256).not.toBe((uploaded as unknown as { hash_arquivo: string }).hash_arquivo);
  });

  it('deadline: expired, and the document invalidated at Assine Bem', async () => {
    const input = onboardingInput({
      signingProvider: 'assinebem',
      policy: { signatureDeadlineMs: '2 days', reminderIntervalMs: '1 day', statusCheckMaxMs: '12 hours' },
    });
    const { outcome } = await onboardToOutcome(manual, input);
    expect(outcome.status).toBe('expired');
    const state = await simulatorState<AssineBemState>(manual.simulators.baseUrls.ASSINEBEM_BASE_URL);
    const doc = state.documents.find((d) => d.id_externo === outcome.references.envelopeId);
    expect(doc?.descricao_documento_status).toBe('Invalidado');
  });

  it('cancel: cancelled, and the document invalidated', async () => {
    const input = onboardingInput({ signingProvider: 'assinebem' });
    const outcome = await manual.run(async () => {
      await manual.client.start(input);
      await answerSmsToken(manual, input.onboardingId);
      await idleOnSignatures(manual, input.onboardingId);
      await manual.client.cancel(input.onboardingId, 'customer gave up');
      return manual.client.result(input.onboardingId);
    });
    expect(outcome.status).toBe('cancelled');
    const state = await simulatorState<AssineBemState>(manual.simulators.baseUrls.ASSINEBEM_BASE_URL);
    const doc = state.documents.find((d) => d.id_externo === outcome.references.envelopeId);
    expect(doc?.descricao_documento_status).toBe('Invalidado');
  });

  it('signed just before a cancel: the CCB is finalized, never invalidated', async () => {
    const input = onboardingInput({ signingProvider: 'assinebem' });
    const outcome = await manual.run(async () => {
      await manual.client.start(input);
      await answerSmsToken(manual, input.onboardingId);
      const waiting = await idleOnSignatures(manual, input.onboardingId);
      await signAtProvider(manual.simulators.baseUrls, 'assinebem', waiting.references.envelopeId!);
      await manual.client.cancel(input.onboardingId, 'customer gave up');
      return manual.client.result(input.onboardingId);
    });
    expect(outcome.status).toBe('completed');
    const state = await simulatorState<AssineBemState>(manual.simulators.baseUrls.ASSINEBEM_BASE_URL);
    const doc = state.documents.find((d) => d.id_externo === outcome.references.envelopeId);
    expect(doc?.descricao_documento_status).toBe('Assinado');
  });
});
