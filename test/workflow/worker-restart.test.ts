/**
 * The worker goes away in the middle of an onboarding (deploy, crash, scale-in) on the real dev
 * server, with a real clock: nothing is lost, messages sent meanwhile wait in the server, and a new
 * worker finishes the onboarding.
 */
import { expect, it } from 'vitest';
import { signAtProvider, simulatorState } from '../helpers/simulators';
import { onboardingInput, useOnboardingServer, waitForStatus } from '../helpers/onboarding';

const server = useOnboardingServer('dev-server');
const h = server.harness({ autoSignMs: null });

it('an onboarding survives two worker restarts and completes, creating everything once', async () => {
  const input = onboardingInput({
    signingProvider: 'assinebem',
    policy: { statusCheckInitialMs: '1 second', statusCheckMaxMs: '2 seconds' },
  });

  // Worker 1 runs the onboarding up to the SMS token, then stops.
  const atToken = await h.run(async () => {
    await h.client.start(input);
    return waitForStatus(h.client, input.onboardingId, (s) => s.stage === 'sms_token');
  });
  // No worker: the applicant's token is a signal, kept by the server until a worker runs.
  const token = await h.simulators.datatrust.smsTokenFor(atToken.references.dataTrustTransactionId!);
  await h.client.submitSmsToken(input.onboardingId, token);

  // Worker 2 picks the onboarding up where it was, and stops while the signatures are awaited.
  const waiting = await h.run(() =>
    waitForStatus(h.client, input.onboardingId, (s) => s.stage === 'waiting_signatures'),
  );
  expect(waiting.smsToken.lastResult).toBe('Valid');
  // The applicant signs while no worker runs.
  await signAtProvider(h.simulators.baseUrls, 'assinebem', waiting.references.envelopeId!);

  // Worker 3 sees the signature at its next check, and finishes.
  const outcome = await h.run(() => h.client.result(input.onboardingId));
  expect(outcome.status).toBe('completed');
  expect(outcome.references).toMatchObject({
    dataTrustTransactionId: atToken.references.dataTrustTransactionId,
    envelopeId: waiting.references.envelopeId,
  });

  const securities = await simulatorState<{
    proposals: Array<{ number: string }>;
    bankCreditNotes: Array<{ number: string }>;
  }>(h.simulators.baseUrls.SECURITIES_BASE_URL);
  expect(securities.proposals.filter((p) => p.number === input.onboardingId)).toHaveLength(1);
  expect(securities.bankCreditNotes.filter((n) => n.number === input.onboardingId)).toHaveLength(1);
});
