/**
 * Waiting on signatures: durable timers with backoff, the early wake-up on `signatureEvent`,
 * reminders, the deadline with the envelope cancelled at the provider, refusals, and cancellation
 * with its compensation, each seen from the provider's side (the simulator's state).
 */
import { describe, expect, it } from 'vitest';
import type { OnboardingStatus } from '../../src/domain/onboarding';
import { signAtProvider, simulatorState } from '../helpers/simulators';
import {
  answerSmsToken,
  onboardToOutcome,
  idleOnSignatures,
  useOnboardingServer,
  onboardingInput,
  waitForStatus,
  type Harness,
} from '../helpers/onboarding';

const server = useOnboardingServer('time-skipping');
/** Signers sign (or refuse) as soon as the envelope is out. */
const auto = server.harness({ autoSignMs: 0 });
/** Signers sign only when a test says so. */
const manual = server.harness({ autoSignMs: null });

const waitingSignatures = (h: Harness, id: string): Promise<OnboardingStatus> =>
  waitForStatus(
    h.client,
    id,
    (s) => s.stage === 'waiting_signatures' && s.references.envelopeId !== undefined,
  );

interface AssineBemState {
  counts: { reminders: number; invalidations: number };
  documents: Array<{ id_externo: string; descricao_documento_status: string }>;
}
interface SignioState {
  transactions: Array<{ id: string; estadoNombre: string; deleted: boolean }>;
}

describe('the signature deadline', () => {
  it('Assine Bem: reminders on the policy interval, then the document is invalidated and the outcome is expired', async () => {
    const input = onboardingInput({
      signingProvider: 'assinebem',
      policy: { signatureDeadlineMs: '3 days', reminderIntervalMs: '1 day', statusCheckMaxMs: '6 hours' },
    });
    const before = await simulatorState<AssineBemState>(manual.simulators.baseUrls.ASSINEBEM_BASE_URL);
    const { outcome, status } = await onboardToOutcome(manual, input);
    const after = await simulatorState<AssineBemState>(manual.simulators.baseUrls.ASSINEBEM_BASE_URL);

    expect(outcome.status).toBe('expired');
    expect(outcome.reason).toBe(
      `the signatures were not all collected before the deadline; envelope ${outcome.references.envelopeId} cancelled at assinebem`,
    );
    // Day 1 and day 2; on day 3 the deadline comes first.
    expect(status.signature?.remindersSent).toBe(2);
    expect(after.counts.reminders - before.counts.reminders).toBe(2);
    expect(after.counts.invalidations - before.counts.invalidations).toBe(1);
    const document = after.documents.find((d) => d.id_externo === outcome.references.envelopeId);
    expect(document?.descricao_documento_status).toMatch(/invalid/i);
    expect(status.signers.map((s) => s.state)).toEqual(['pending']);
  });

  it('Signio: the envelope is returned and deleted at the deadline (Signio has no reminders)', async () => {
    const input = onboardingInput({
      signingProvider: 'signio',
      policy: { signatureDeadlineMs: '2 days', statusCheckMaxMs: '12 hours' },
    });
    const { outcome, status } = await onboardToOutcome(manual, input);
    const signio = await simulatorState<SignioState>(manual.simulators.baseUrls.SIGNIO_BASE_URL);
    expect(outcome.status).toBe('expired');
    expect(status.signature?.remindersSent).toBe(0);
    const transaction = signio.transactions.find((t) => t.id === outcome.references.envelopeId);
    expect(transaction?.deleted).toBe(true);
  });

  it('a signature that lands before the deadline completes the onboarding', async () => {
    const input = onboardingInput({
      signingProvider: 'securities',
      policy: { signatureDeadlineMs: '2 days' },
    });
    const outcome = await manual.run(async () => {
      await manual.client.start(input);
      await answerSmsToken(manual, input.onboardingId);
      const waiting = await waitingSignatures(manual, input.onboardingId);
      await signAtProvider(manual.simulators.baseUrls, 'securities', waiting.references.envelopeId!);
      return manual.client.result(input.onboardingId);
    });
    expect(outcome.status).toBe('completed');
  });
});

describe.each(['assinebem', 'securities', 'signio'] as const)('with %s', (provider) => {
  it('a signer who refuses ends the onboarding as refused', async () => {
    const guarantor = {
      role: 'guarantor' as const,
      name: 'Carlos Recusa Pereira',
      cpf: '11144477735',
      email: 'carlos@example.com',
      phone: '11987654321',
    };
    const input = onboardingInput({ signingProvider: provider, extraSigners: [guarantor] });
    const { outcome, status } = await onboardToOutcome(auto, input);
    expect(outcome.status, outcome.reason).toBe('refused');
    expect(outcome.reason).toBe('a signer refused to sign the CCB');
    expect(outcome.references.ccbId).toBeUndefined();
    expect(status.signers.find((s) => s.role === 'guarantor')?.state).toBe('refused');
  });

  it('a signatureEvent makes the onboarding check at once instead of at the next timer', async () => {
    // Status checks an hour apart; the test clock is not skipping here (no one awaits the result).
    const input = onboardingInput({
      signingProvider: provider,
      policy: { statusCheckInitialMs: '1 hour', statusCheckMaxMs: '2 hours' },
    });
    const finished = await manual.run(async () => {
      await manual.client.start(input);
      await answerSmsToken(manual, input.onboardingId);
      const waiting = await waitingSignatures(manual, input.onboardingId);
      await signAtProvider(manual.simulators.baseUrls, provider, waiting.references.envelopeId!);
      await manual.client.signatureEvent(input.onboardingId, 'webhook');
      return waitForStatus(manual.client, input.onboardingId, (s) => s.outcome !== undefined);
    });
    expect(finished.outcome?.status).toBe('completed');
    const at = (stage: string) => Date.parse(finished.timeline.find((t) => t.stage === stage)!.at);
    expect(at('finished') - at('waiting_signatures')).toBeLessThan(60 * 60_000);
  });
});

describe('cancellation during signing', () => {
  it('the cancel signal invalidates the Assine Bem document and ends as cancelled', async () => {
    const input = onboardingInput({ signingProvider: 'assinebem' });
    const outcome = await manual.run(async () => {
      await manual.client.start(input);
      await answerSmsToken(manual, input.onboardingId);
      await idleOnSignatures(manual, input.onboardingId);
      await manual.client.cancel(input.onboardingId, 'o cliente desistiu');
      return manual.client.result(input.onboardingId);
    });
    const assinebem = await simulatorState<AssineBemState>(manual.simulators.baseUrls.ASSINEBEM_BASE_URL);
    expect(outcome.status).toBe('cancelled');
    expect(outcome.reason).toContain('o cliente desistiu');
    expect(outcome.reason).toContain(`envelope ${outcome.references.envelopeId} cancelled at assinebem`);
    expect(outcome.timeline.map((t) => t.stage).slice(-2)).toEqual(['compensating', 'finished']);
    const document = assinebem.documents.find((d) => d.id_externo === outcome.references.envelopeId);
    expect(document?.descricao_documento_status).toMatch(/invalid/i);
  });

  it('a Temporal cancellation (Web UI, CLI, handle.cancel) deletes the Signio envelope first', async () => {
    const input = onboardingInput({ signingProvider: 'signio' });
    const { outcome, error } = await manual.run(async () => {
      const { handle } = await manual.client.start(input);
      await answerSmsToken(manual, input.onboardingId);
      await idleOnSignatures(manual, input.onboardingId);
      await handle.cancel();
      // The workflow returns its outcome, so the cancellation does not fail the run.
      return manual.client.result(input.onboardingId).then(
        (outcome) => ({ outcome, error: undefined }),
        (error: unknown) => ({ outcome: undefined, error }),
      );
    });
    expect(error).toBeUndefined();
    expect(outcome?.status).toBe('cancelled');
    expect(outcome?.reason).toContain('the workflow was cancelled');
    const signio = await simulatorState<SignioState>(manual.simulators.baseUrls.SIGNIO_BASE_URL);
    expect(signio.transactions.find((t) => t.id === outcome?.references.envelopeId)?.deleted).toBe(true);
  });

  it('before any envelope exists, cancelling has nothing to undo', async () => {
    const input = onboardingInput({ signingProvider: 'assinebem' });
    const before = await simulatorState<{ counts: { documents: number } }>(
      manual.simulators.baseUrls.ASSINEBEM_BASE_URL,
    );
    const outcome = await manual.run(async () => {
      await manual.client.start(input);
      await waitForStatus(manual.client, input.onboardingId, (s) => s.stage === 'sms_token');
      await manual.client.cancel(input.onboardingId, 'duplicidade');
      return manual.client.result(input.onboardingId);
    });
    const after = await simulatorState<{ counts: { documents: number } }>(
      manual.simulators.baseUrls.ASSINEBEM_BASE_URL,
    );
    expect(outcome).toMatchObject({ status: 'cancelled', reason: 'duplicidade' });
    expect(after.counts.documents).toBe(before.counts.documents);
  });
});
