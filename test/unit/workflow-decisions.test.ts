/**
 * The workflow alone, with stubbed activities: the order of the stages, the policy's verdict on the
 * Data Trust score, and the manual review with its deadline.
 */
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/workflows/onboarding/decision';
import {
  HOUR,
  RIGHT_TOKEN,
  providerFailure,
  useStubbedOnboarding,
  type Script,
} from '../helpers/stubbed-onboarding';

const h = useStubbedOnboarding();
const scoring = (score: number): Script => ({
  startIdentityCheck: async ({ attempt }) => ({
    transactionId: `dt-${attempt}`,
    score,
    insightCodes: [],
    smsTokenSent: true,
  }),
});

/** Types the right token once the onboarding waits for it, then awaits the outcome. */
async function throughSmsToken(onboardingId: string) {
  await h.waitFor(onboardingId, (s) => s.stage === 'sms_token');
  await h.client.validateSmsToken(onboardingId, RIGHT_TOKEN);
  return h.client.result(onboardingId);
}

describe('decide (pure)', () => {
  const policy = { approveScoreAtLeast: 70, rejectScoreBelow: 30 };
  it('approves at the approval threshold and above', () => {
    expect(decide(70, policy)).toBe('approve');
    expect(decide(100, policy)).toBe('approve');
  });
  it('rejects below the rejection threshold only', () => {
    expect(decide(29.99, policy)).toBe('reject');
    expect(decide(30, policy)).toBe('review');
  });
  it('sends the scores in between to a person', () => {
    expect(decide(69.99, policy)).toBe('review');
  });
  it('never reviews when the thresholds meet', () => {
    expect(decide(50, { approveScoreAtLeast: 50, rejectScoreBelow: 50 })).toBe('approve');
    expect(decide(49, { approveScoreAtLeast: 50, rejectScoreBelow: 50 })).toBe('reject');
  });
});

describe('the happy path', () => {
  it('runs the stages in order and calls each activity once', async () => {
    const { onboardingId } = await h.start({ signingProvider: 'signio' });
    const outcome = await throughSmsToken(onboardingId);
    expect(outcome.status).toBe('completed');
    expect(h.calls(onboardingId).map((c) => c.name)).toEqual([
      'providerRoutes',
      'validateOnboardingInput',
      'startIdentityCheck',
      'checkSmsToken',
      'createCcbProposal',
      'sendForSignature',
      'checkSignatures',
      'finalizeSignedCcb',
      'signEvidence',
    ]);
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
    expect(outcome.references).toEqual({
      dataTrustTransactionId: 'dt-0',
      proposalId: 'p-1',
      proposalNumber: onboardingId,
      documentKey: 'doc-1',
      envelopeId: 'env-1',
      ccbId: 'ccb-1',
    });
  });

  it('keeps the outcome in the status query after the end', async () => {
    const { onboardingId } = await h.start();
    const outcome = await throughSmsToken(onboardingId);
    const status = await h.client.status(onboardingId);
    expect(status.stage).toBe('finished');
    expect(status.outcome).toEqual(outcome);
    expect(status.signers.map((s) => s.state)).toEqual(['signed']);
  });
});

describe('the verdict on the score', () => {
  it('rejects a score below the threshold: no SMS step, no CCB', async () => {
    const { onboardingId } = await h.start({}, scoring(12));
    const outcome = await h.client.result(onboardingId);
    expect(outcome).toMatchObject({ status: 'rejected', reason: 'Data Trust score 12 is below 30' });
    expect(h.calls(onboardingId).map((c) => c.name)).toEqual([
      'providerRoutes',
      'validateOnboardingInput',
      'startIdentityCheck',
    ]);
  });

  it("honours the lender's own thresholds", async () => {
    const { onboardingId } = await h.start(
      { policy: { approveScoreAtLeast: 90, rejectScoreBelow: 86 } },
      scoring(85),
    );
    expect((await h.client.result(onboardingId)).reason).toBe('Data Trust score 85 is below 86');
  });
});

describe('the manual review', () => {
  it('approved: the onboarding goes on to the SMS token and completes', async () => {
    const { onboardingId } = await h.start({}, scoring(50));
    const waiting = await h.waitFor(onboardingId, (s) => s.stage === 'manual_review');
    expect(waiting.identity).toEqual({ score: 50, decision: 'review' });
    await h.client.review(onboardingId, { approved: true, onBehalfOf: 'ana', reason: 'documents checked' });
    const outcome = await throughSmsToken(onboardingId);
    expect(outcome.status).toBe('completed');
    expect((await h.client.status(onboardingId)).review?.decision).toMatchObject({
      onBehalfOf: 'ana',
      principal: h.client.principal,
    });
  });

  it("denied: rejected with the reviewer's reason", async () => {
    const { onboardingId } = await h.start({}, scoring(50));
    await h.waitFor(onboardingId, (s) => s.stage === 'manual_review');
    await h.client.review(onboardingId, { approved: false, onBehalfOf: 'ana', reason: 'income not proven' });
    expect(await h.client.result(onboardingId)).toMatchObject({
      status: 'rejected',
      reason: 'manual review denied: income not proven',
    });
  });

  it('not decided in time: expired, on a durable timer of the review timeout', async () => {
    const { onboardingId } = await h.start({ policy: { reviewTimeoutMs: '6 hours' } }, scoring(50));
    const outcome = await h.client.result(onboardingId);
    expect(outcome).toMatchObject({ status: 'expired', reason: 'the manual review was not decided in time' });
    expect(await h.timers(onboardingId)).toEqual([{ ms: 6 * HOUR, summary: 'manual review deadline' }]);
  });

  it('ignores a review decision sent when no review is pending', async () => {
    const { onboardingId } = await h.start();
    await h.waitFor(onboardingId, (s) => s.stage === 'sms_token');
    await h.client.review(onboardingId, { approved: false });
    const outcome = await throughSmsToken(onboardingId);
    expect(outcome.status).toBe('completed');
    expect((await h.client.status(onboardingId)).review).toBeUndefined();
  });
});

describe('failures', () => {
  it('a final provider failure, with no repairs in the policy, ends the onboarding as failed, naming the error', async () => {
    const { onboardingId } = await h.start(
      { policy: { maxRepairs: 0 } },
      {
        createCcbProposal: async () => {
          throw providerFailure('securities createProposal failed: HTTP 422');
        },
      },
    );
    const outcome = await throughSmsToken(onboardingId);
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'ProviderError: securities createProposal failed: HTTP 422',
    });
    expect(h.calls(onboardingId, 'sendForSignature')).toHaveLength(0);
  });

  it('an input the workflow refuses ends as failed naming the fields, before any provider call', async () => {
    const { onboardingId } = await h.start(
      {},
      {
        validateOnboardingInput: async () => {
          throw ApplicationFailure.create({
            type: 'InvalidOnboardingInput',
            message: 'Invalid onboarding input: applicant.cpf is not a valid CPF',
            nonRetryable: true,
          });
        },
      },
    );
    const outcome = await h.client.result(onboardingId);
    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toContain('applicant.cpf');
    // The worker's routes, then the check: no provider is called.
    expect(h.calls(onboardingId).map((c) => c.name)).toEqual(['providerRoutes', 'validateOnboardingInput']);
  });
});
