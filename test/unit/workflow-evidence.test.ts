/**
 * The workflow's part of the evidence record, with stubbed activities: a completed onboarding hands
 * the signing activity its facts (no personal data, never the token) and keeps the signed record in
 * its outcome; a record that cannot be made leaves it completed, with a note why.
 */
import { describe, expect, it } from 'vitest';
import { verifyEvidence } from '../../src/evidence/signature';
import { testEvidenceKey } from '../fixtures/evidence-key';
import {
  RIGHT_TOKEN,
  WRONG_TOKEN,
  providerFailure,
  useStubbedOnboarding,
} from '../helpers/stubbed-onboarding';

const h = useStubbedOnboarding();

async function completed(onboardingId: string, tokens: string[]) {
  await h.waitFor(onboardingId, (s) => s.stage === 'sms_token');
  for (const token of tokens) await h.client.validateSmsToken(onboardingId, token);
  return h.client.result(onboardingId);
}

describe('the evidence record', () => {
  it('is signed at completion, holds the facts and no personal data, and rides in the outcome', async () => {
    const { onboardingId } = await h.start({ signingProvider: 'assinebem' });
    const outcome = await completed(onboardingId, [WRONG_TOKEN, RIGHT_TOKEN]);
    expect(outcome.status).toBe('completed');
    expect(verifyEvidence(outcome.evidence, testEvidenceKey.publicKey)).toMatchObject({ valid: true });
    const { evidence } = outcome.evidence!;
    expect(evidence).toMatchObject({
      onboardingId,
      tenant: 'default',
      identityCheck: { dataTrustTransactionIds: ['dt-0'], score: 85 },
      decision: { verdict: 'approve' },
      smsToken: { checks: 2, tokensSent: 1 },
      signers: [{ index: 0, role: 'applicant', providerSignerId: 'signer-0' }],
      references: { signingProvider: 'assinebem', envelopeId: 'env-1', proposalId: 'p-1', ccbId: 'ccb-1' },
      build: { versioned: false },
    });
    expect(evidence.timeline.at(-1)?.stage).toBe('finished');
    expect(evidence.smsToken.validatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const facts = JSON.stringify(h.calls(onboardingId, 'signEvidence')[0]!.args);
    for (const personal of [RIGHT_TOKEN, 'maria', 'Maria', '98765', 'example.com', '529982247'])
      expect(facts).not.toContain(personal);
  });

  it('that cannot be made leaves the onboarding completed, with a note in its timeline', async () => {
    const { onboardingId } = await h.start(
      {},
      {
        signEvidence: async () => {
          throw providerFailure('the signed document is not available');
        },
      },
    );
    const outcome = await completed(onboardingId, [RIGHT_TOKEN]);
    expect(outcome.status).toBe('completed');
    expect(outcome.evidence).toBeUndefined();
    expect(outcome.timeline.at(-1)?.note).toMatch(/^no evidence record: ProviderError/);
  });
});
