/**
 * No ending leaves a provider in a state the outcome does not say: before any outcome other than
 * completed, an open envelope is looked at once more; signed after all → finalized; otherwise
 * cancelled where the provider allows it, and the outcome says what was done. A garbled status
 * answer is retried a bounded number of times and never ends the onboarding by itself.
 */
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { SignatureStatus } from '../../src/signing/contract';
import { neverSigned, providerFailure, useStubbedOnboarding } from '../helpers/stubbed-onboarding';

const h = useStubbedOnboarding();

const garbled = () =>
  ApplicationFailure.create({ type: 'ContractError', message: 'assinebem getDocument answered garbage' });
const allSigned: SignatureStatus = { state: 'completed', signers: [{ index: 0, state: 'signed' }] };
const pending: SignatureStatus = { state: 'pending', signers: [{ index: 0, state: 'pending' }] };

/** Answers from a list, one per call; the last one repeats. */
const answers = (...list: Array<SignatureStatus | 'garbled'>) => {
  let i = 0;
  return async () => {
    const next = list[Math.min(i++, list.length - 1)]!;
    if (next === 'garbled') throw garbled();
    return next;
  };
};

describe('a garbled status answer', () => {
  it('is retried, and signatures that follow complete the onboarding', async () => {
    const id = await h.waitingOnSignatures({}, { checkSignatures: answers('garbled', pending, allSigned) });
    expect((await h.client.result(id)).status).toBe('completed');
    expect(h.calls(id, 'checkSignatures').length).toBeGreaterThanOrEqual(3);
  });

  it('followed by the deadline: expired, with the envelope cancelled at the provider', async () => {
    const id = await h.waitingOnSignatures(
      { signingProvider: 'signio', policy: { signatureDeadlineMs: '2 hours', statusCheckMaxMs: '1 hour' } },
      { checkSignatures: answers('garbled', pending) },
    );
    const outcome = await h.client.result(id);
    expect(outcome).toMatchObject({
      status: 'expired',
      reason: 'the signatures were not all collected before the deadline; envelope env-1 cancelled at signio',
    });
    expect(h.calls(id, 'cancelEnvelope')).toHaveLength(1);
  });

  it('that never stops: each check fails after five attempts, is recorded, and the wait goes on', async () => {
    const id = await h.waitingOnSignatures(
      {
        policy: {
          signatureDeadlineMs: '3 hours',
          statusCheckInitialMs: '1 hour',
          statusCheckMaxMs: '1 hour',
        },
      },
      { checkSignatures: answers('garbled') },
    );
    const outcome = await h.client.result(id);
    expect(outcome.status).toBe('expired');
    expect((await h.client.status(id)).signature?.lastFailure).toBe(
      'status check: ContractError: assinebem getDocument answered garbage',
    );
    // Five attempts per check: the first check, one per timer, and the last look at the deadline.
    expect(h.calls(id, 'checkSignatures').length % 5).toBe(0);
    expect(h.calls(id, 'checkSignatures').length).toBeGreaterThanOrEqual(15);
    expect(outcome.reason).toContain('envelope env-1 cancelled at assinebem');
  });
});

describe('closing the envelope on the way out', () => {
  it('a cancel that finds every signer signed finalizes the CCB instead: completed', async () => {
    let signedYet = false;
    const id = await h.idleOnSignatures(
      {},
      { checkSignatures: async () => (signedYet ? allSigned : pending) },
    );
    signedYet = true;
    await h.client.cancel(id, 'customer gave up');
    const outcome = await h.client.result(id);
    expect(outcome.status).toBe('completed');
    expect(outcome.references.ccbId).toBe('ccb-1');
    expect(h.calls(id, 'cancelEnvelope')).toHaveLength(0);
    expect(outcome.timeline.some((t) => t.note?.startsWith('every signer had signed'))).toBe(true);
  });

  it('a provider that says "signed" when asked to cancel is never cancelled: finalized', async () => {
    const id = await h.idleOnSignatures(
      {},
      { checkSignatures: answers(pending, pending), cancelEnvelope: async () => ({ result: 'signed' }) },
    );
    await h.client.cancel(id, 'customer gave up');
    expect((await h.client.result(id)).status).toBe('completed');
  });

  it('a provider with no cancel call: the outcome says the envelope stays open', async () => {
    const id = await h.idleOnSignatures(
      { signingProvider: 'securities' },
      { checkSignatures: neverSigned, cancelEnvelope: async () => ({ result: 'not-supported' }) },
    );
    await h.client.cancel(id, 'customer gave up');
    expect((await h.client.result(id)).reason).toBe(
      'customer gave up; securities offers no way to cancel envelope env-1: its signers can still sign it',
    );
  });

  it('a CCB signed but not registered: failed, and the outcome says it is signed', async () => {
    const id = await h.idleOnSignatures(
      { signingProvider: 'assinebem', policy: { maxRepairs: 0 } },
      {
        finalizeSignedCcb: async () => {
          throw providerFailure('securities createBankCreditNote failed: HTTP 422');
        },
      },
    );
    const outcome = await h.client.result(id);
    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toBe(
      'ProviderError: securities createBankCreditNote failed: HTTP 422; the CCB is signed at assinebem (envelope env-1) but was not finalized',
    );
  });

  it('a failed reminder is recorded and the wait goes on', async () => {
    const id = await h.idleOnSignatures(
      {
        signingProvider: 'assinebem',
        policy: {
          reminderIntervalMs: '1 hour',
          statusCheckInitialMs: '2 hours',
          statusCheckMaxMs: '2 hours',
          signatureDeadlineMs: '3 hours',
        },
      },
      {
        checkSignatures: neverSigned,
        remindSigners: async () => {
          throw providerFailure('assinebem notifyPartyNewAccess failed: HTTP 403');
        },
      },
    );
    const outcome = await h.client.result(id);
    expect(outcome.status).toBe('expired');
    expect(h.calls(id, 'remindSigners').length).toBeGreaterThanOrEqual(1);
    expect((await h.client.status(id)).signature?.remindersSent).toBe(0);
  });
});

describe('what the outcome echoes', () => {
  it('an input the workflow refuses: the outcome names the workflow, never the refused id', async () => {
    const { onboardingId, workflowId } = await h.start(
      {},
      {
        validateOnboardingInput: async () => {
          throw ApplicationFailure.create({
            type: 'InvalidOnboardingInput',
            message: 'Invalid onboarding input: onboardingId must not carry a number of 8 or more digits',
            nonRetryable: true,
          });
        },
      },
    );
    const outcome = await h.client.result(onboardingId);
    expect(outcome.status).toBe('failed');
    expect(outcome.onboardingId).toBe(workflowId);
  });
});
