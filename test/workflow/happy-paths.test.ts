/** The complete onboarding, once per signing provider, on the time-skipping server. */
import { describe, expect, it } from 'vitest';
import { signingProviders } from '../../src/domain/input';
import { simulatorState } from '../helpers/simulators';
import { onboardToOutcome, onboardingInput, useOnboardingServer } from '../helpers/onboarding';
import { signingProviderModule } from '../../src/providers/registry';

type Counts = { counts: Record<string, number> };

const server = useOnboardingServer('time-skipping');
const h = server.harness({ autoSignMs: 0 });

describe.each(signingProviders)('happy path with %s', (provider) => {
  it('goes from the Data Trust check to a signed CCB and reports every reference', async () => {
    const input = onboardingInput({ signingProvider: provider });
    const { started, answer, outcome, status: finalStatus } = await onboardToOutcome(h, input);
    expect(started).toBe(true);
    expect(answer).toMatchObject({ result: 'Valid', attemptsLeft: 3 });

    expect(outcome.status).toBe('completed');
    expect(outcome.signingProvider).toBe(provider);
    expect(outcome.references).toMatchObject({
      dataTrustTransactionId: expect.any(String),
      proposalId: expect.any(String),
      proposalNumber: input.onboardingId,
      documentKey: expect.any(String),
      envelopeId: expect.any(String),
    });
    expect(outcome.timeline.map((t) => t.stage)).toEqual([
      'validating_input',
      'identity_check',
      'decision',
      'sms_token',
      'ccb_proposal',
      'signing',
      'waiting_signatures',
      'finalizing',
      'finished',
    ]);

    expect(finalStatus.stage).toBe('finished');
    expect(finalStatus.outcome?.status).toBe('completed');
    expect(finalStatus.signers.every((s) => s.state === 'signed')).toBe(true);

    const securities = await simulatorState<{
      bankCreditNotes: Array<{ id: string; number: string; signature_provider: string }>;
    }>(h.simulators.baseUrls.SECURITIES_BASE_URL);
    const note = securities.bankCreditNotes.find((n) => n.number === input.onboardingId);
    const registration = signingProviderModule(provider).capabilities.securitiesRegistration;
    if (registration === 'native') {
      expect(note).toBeUndefined();
      expect(outcome.references.ccbId).toBe(outcome.references.proposalId);
    } else if (registration === 'none') {
      // Not an accepted signature_provider: nothing is registered, and the outcome says so.
      expect(note).toBeUndefined();
      expect(outcome.references.ccbId).toBeUndefined();
      expect(outcome.reason).toContain(provider);
    } else {
      // Signed elsewhere: registered in Securities as a signed CCB, with the signed PDF.
      expect(note?.signature_provider).toBe(registration.signatureProvider);
      expect(outcome.references.ccbId).toBe(note?.id);
    }
  });
});

it('creates exactly one of everything per onboarding', async () => {
  const before = await Promise.all(
    Object.values(h.simulators.baseUrls).map((u) => simulatorState<Counts>(u).then((s) => s.counts)),
  );
  const input = onboardingInput({ signingProvider: 'assinebem' });
  await onboardToOutcome(h, input);
  const after = await Promise.all(
    Object.values(h.simulators.baseUrls).map((u) => simulatorState<Counts>(u).then((s) => s.counts)),
  );
  const [dt0, sec0, ab0] = before as [Record<string, number>, Record<string, number>, Record<string, number>];
  const [dt1, sec1, ab1] = after as [Record<string, number>, Record<string, number>, Record<string, number>];
  expect(dt1['transactions']! - dt0['transactions']!).toBe(1);
  expect(dt1['smsSent']! - dt0['smsSent']!).toBe(1);
  expect(sec1['proposals']! - sec0['proposals']!).toBe(1);
  expect(sec1['bankCreditNotes']! - sec0['bankCreditNotes']!).toBe(1);
  expect(ab1['documents']! - ab0['documents']!).toBe(1);
});
