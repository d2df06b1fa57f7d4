/**
 * A send whose request reaches the signing provider, which acts, but whose answer comes back
 * garbled (the simulators' `commit-then-garble`), for each signing provider: the onboarding waits in
 * `needs_attention` naming what the provider holds; a retry continues with it (one document, one
 * party per signer: the rules the chaos runs check); an abandon leaves nothing signable, or, where
 * the provider offers no cancel (Securities), says the document can still be signed.
 */
import { describe, expect, it } from 'vitest';
import { objectViolations, openEnvelopes, tallyObjects } from '../../scripts/chaos/objects';
import { providerStates } from '../../scripts/chaos/simulator-reads';
import type { SigningProviderName } from '../../src/domain/input';
import type { OnboardingStatus } from '../../src/domain/onboarding';
import { routeName } from '../../src/providers/signio/routes';
import type { FaultRule } from '../../simulators/kit';
import {
  answerSmsToken,
  onboardingInput,
  useOnboardingServer,
  waitForStatus,
  type Harness,
} from '../helpers/onboarding';

const server = useOnboardingServer('time-skipping');
/** Signers sign at once: a retried send completes. */
const signing = server.harness({ autoSignMs: 0 });
/** Nobody signs: what an abandon leaves open shows. */
const unsigned = server.harness({ autoSignMs: null });

/** The create call of each send whose answer the test garbles, after the provider acted. */
const garbled: Record<SigningProviderName, FaultRule> = {
  securities: { route: 'POST /v1/documents/:document_id/signers', kind: 'commit-then-garble', times: 1 },
  assinebem: { route: 'POST /documento', kind: 'commit-then-garble', times: 1 },
  signio: { route: routeName('distribute'), kind: 'commit-then-garble', times: 1 },
};
const providers = Object.keys(garbled) as SigningProviderName[];

async function parked(h: Harness, provider: SigningProviderName) {
  const input = onboardingInput({ signingProvider: provider });
  // Its route is called by the send only.
  h.simulators.servers[provider].addFaults([garbled[provider]]);
  await h.client.start(input);
  await answerSmsToken(h, input.onboardingId);
  return {
    id: input.onboardingId,
    status: await waitForStatus(h.client, input.onboardingId, (s) => s.stage === 'needs_attention'),
  };
}

async function violations(h: Harness, id: string, provider: SigningProviderName, completed: boolean) {
  const onboardings = [{ onboardingId: id, provider, completed }];
  const states = await providerStates(h.simulators);
  return objectViolations(
    tallyObjects(states, onboardings),
    openEnvelopes(states, onboardings),
    onboardings,
  ).filter((v) => v.includes(id));
}

describe.each(providers)('%s: a send garbled after the provider acted', (provider) => {
  it('waits in needs_attention naming what the provider holds; a retry continues with it', async () => {
    await signing.run(async () => {
      const { id, status } = await parked(signing, provider);
      expect(status.attention).toMatchObject({ step: 'signing', actions: ['retry', 'abandon'] });
      // Assine Bem lists only documents awaiting a signature, and these signers sign at once.
      expect(status.attention!.failure).toContain(
        provider === 'assinebem' ? 'assinebem may hold' : `${provider} holds`,
      );
      await signing.client.repair(id, { action: 'retry', reason: 'the provider is answering again' });
      expect((await signing.client.result(id)).status).toBe('completed');
      expect(await violations(signing, id, provider, true)).toEqual([]);
    });
  });

  it('abandoned: nothing left signable, or the outcome says it can still be signed', async () => {
    await unsigned.run(async () => {
      const { id, status } = await parked(unsigned, provider);
      const envelopeId = status.references.envelopeId!;
      await unsigned.client.repair(id, { action: 'abandon', reason: 'the lender withdrew the offer' });
      const outcome = await unsigned.client.result(id);
      expect(outcome.status).toBe('failed');
      expect(outcome.references.envelopeId).toBe(envelopeId);
      const open = await violations(unsigned, id, provider, false);
      if (provider === 'securities') {
        expect(outcome.reason).toContain(`securities offers no way to cancel envelope ${envelopeId}`);
      } else {
        expect(outcome.reason).toContain(`envelope ${envelopeId} cancelled at ${provider}`);
        expect(open).toEqual([]);
      }
      const final: OnboardingStatus = await unsigned.client.status(id);
      expect(final.outcome?.status).toBe('failed');
    });
  });
});
