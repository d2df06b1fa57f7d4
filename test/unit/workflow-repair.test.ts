/**
 * Needs attention, not failed: a provider call that fails for good parks the onboarding in
 * `needs_attention`, and an operator retries the step, corrects it, or abandons; the deadline
 * without action ends it; the number of times it may park is the policy's. Refusals of a repair
 * say why and change nothing.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { CcbContent } from '../../src/domain/ccb';
import type { OnboardingStatus } from '../../src/domain/onboarding';
import { RIGHT_TOKEN, providerFailure, useStubbedOnboarding } from '../helpers/stubbed-onboarding';

const h = useStubbedOnboarding();

const refusedTerms = () => providerFailure('securities createProposal failed: HTTP 422');
/** Fails the first `times` calls with `failure`, then answers as `then` does. */
function failing<A extends unknown[], R>(times: number, failure: () => Error, then: (...a: A) => Promise<R>) {
  let calls = 0;
  return async (...args: A): Promise<R> => {
    if (calls++ < times) throw failure();
    return then(...args);
  };
}
const proposal = async ({ ccb }: { ccb: CcbContent }) => ({
  proposalId: 'p-1',
  number: ccb.onboardingId,
  documentKey: 'doc-1',
});
const needsAttention = (s: OnboardingStatus) => s.stage === 'needs_attention';

async function parkedAtProposal(policy = {}) {
  const { onboardingId } = await h.start(
    { policy },
    { createCcbProposal: failing(1, refusedTerms, proposal) },
  );
  await h.waitFor(onboardingId, (s) => s.stage === 'sms_token');
  await h.client.validateSmsToken(onboardingId, RIGHT_TOKEN);
  return { onboardingId, status: await h.waitFor(onboardingId, needsAttention) };
}

/** Why the update was refused: its failure's type and message. */
const refusal = (err: unknown) => {
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause as { type?: string; message: string };
  return `${cause.type}: ${cause.message}`;
};

describe('a provider refusal a person can fix', () => {
  it('parks the onboarding in needs_attention, saying which call failed, how, and what may be done', async () => {
    const { status } = await parkedAtProposal();
    expect(status.attention).toMatchObject({
      step: 'ccb_proposal',
      failure: 'ProviderError: securities createProposal failed: HTTP 422',
      actions: ['retry', 'correct', 'abandon'],
    });
    expect(Date.parse(status.attention!.deadline) - Date.parse(status.attention!.since)).toBe(3 * 86_400_000);
    expect(status.outcome).toBeUndefined();
  });

  it('corrected terms: the step runs again with them, completes, and the record names the fields and who', async () => {
    const { onboardingId } = await parkedAtProposal();
    const answer = await h.client.repair(onboardingId, {
      action: 'correct',
      reason: 'the lender fixed the monthly payment',
      corrections: { loan: { terms: { pmt: '1250.00' } } },
    });
    expect(answer).toEqual({ action: 'correct', next: 'ccb_proposal' });
    expect((await h.client.result(onboardingId)).status).toBe('completed');
    const calls = h.calls(onboardingId, 'createCcbProposal');
    expect(calls).toHaveLength(2);
    expect((calls[1]!.args[0] as { ccb: CcbContent }).ccb.loan.terms.pmt).toBe('1250.00');
    // Nothing that had succeeded is repeated: one identity check, one envelope.
    expect(h.calls(onboardingId, 'startIdentityCheck')).toHaveLength(1);
    expect(h.calls(onboardingId, 'sendForSignature')).toHaveLength(1);
    const { repairs } = await h.client.status(onboardingId);
    expect(repairs).toEqual([
      expect.objectContaining({
        step: 'ccb_proposal',
        action: 'correct',
        reason: 'the lender fixed the monthly payment',
        principal: { type: 'service', name: 'backend', tenant: 'default' },
        corrected: ['loan.terms.pmt'],
      }),
    ]);
  });

  it('a retry runs the step again as it was', async () => {
    const { onboardingId } = await parkedAtProposal();
    await h.client.repair(onboardingId, { action: 'retry', reason: 'Securities fixed their template' });
    expect((await h.client.result(onboardingId)).status).toBe('completed');
    expect(h.calls(onboardingId, 'createCcbProposal')).toHaveLength(2);
  });

  it('abandon ends it as failed, saying who abandoned it and why', async () => {
    const { onboardingId } = await parkedAtProposal();
    expect(
      await h.client.repair(onboardingId, { action: 'abandon', reason: 'the customer withdrew' }),
    ).toEqual({
      action: 'abandon',
      next: 'finished',
    });
    expect(await h.client.result(onboardingId)).toMatchObject({
      status: 'failed',
      reason:
        'ProviderError: securities createProposal failed: HTTP 422; abandoned by service default/backend: the customer withdrew',
    });
  });

  it('nobody acting by the deadline: failed, saying so', async () => {
    const { onboardingId, status } = await parkedAtProposal({ attentionTimeoutMs: '2 hours' });
    expect((await h.client.result(onboardingId)).reason).toBe(
      `ProviderError: securities createProposal failed: HTTP 422; nobody repaired it by ${status.attention!.deadline}`,
    );
  });

  it('parks at most maxRepairs times; 0 ends at the first failure, as before repairs', async () => {
    const { onboardingId } = await h.start(
      { policy: { maxRepairs: 0 } },
      { createCcbProposal: failing(1, refusedTerms, proposal) },
    );
    await h.waitFor(onboardingId, (s) => s.stage === 'sms_token');
    await h.client.validateSmsToken(onboardingId, RIGHT_TOKEN);
    expect(await h.client.result(onboardingId)).toMatchObject({
      status: 'failed',
      reason: 'ProviderError: securities createProposal failed: HTTP 422',
    });
  });

  it('a corrected applicant is checked by Data Trust again, as a new transaction', async () => {
    const { onboardingId } = await h.start(
      {},
      {
        startIdentityCheck: failing(
          1,
          () => providerFailure('datatrust sendTransaction failed: HTTP 400'),
          async ({ attempt }) => ({
            transactionId: `dt-${attempt}`,
            score: 85,
            insightCodes: [],
            smsTokenSent: true,
          }),
        ),
      },
    );
    await h.waitFor(onboardingId, needsAttention);
    await h.client.repair(onboardingId, {
      action: 'correct',
      reason: 'the applicant gave a wrong mobile number',
      corrections: { applicant: { phone: '(11) 98888-7777' } },
    });
    await h.waitFor(onboardingId, (s) => s.stage === 'sms_token');
    const checks = h
      .calls(onboardingId, 'startIdentityCheck')
      .map((c) => c.args[0] as { attempt: number; applicant: { phone: string } });
    expect(checks.map((c) => c.attempt)).toEqual([0, 10]);
    expect(checks[1]!.applicant.phone).toBe('11988887777');
    expect(checks[0]!.applicant.phone).not.toBe('11988887777');
    expect((await h.client.status(onboardingId)).references.dataTrustTransactionId).toBe('dt-10');
    await h.client.cancel(onboardingId, 'test over');
  });
});

describe('what a failed step may have made at the provider', () => {
  it('a proposal Securities holds is named, and only retry or abandon are offered', async () => {
    const { onboardingId } = await h.start(
      {},
      {
        createCcbProposal: async () => {
          throw providerFailure('securities createProposal: the answer broke the contract');
        },
        findCcbProposal: async () => ({
          proposal: { proposalId: 'p-9', number: 'n-9', documentKey: 'doc-9' },
        }),
      },
    );
    await h.waitFor(onboardingId, (s) => s.stage === 'sms_token');
    await h.client.validateSmsToken(onboardingId, RIGHT_TOKEN);
    const { attention } = await h.waitFor(onboardingId, needsAttention);
    expect(attention).toMatchObject({
      actions: ['retry', 'abandon'],
      failure:
        'ProviderError: securities createProposal: the answer broke the contract; Securities holds proposal n-9, with the terms it was created with',
    });
    await h.client.repair(onboardingId, { action: 'abandon', reason: 'test over' });
    expect((await h.client.result(onboardingId)).references).toMatchObject({
      proposalId: 'p-9',
      proposalNumber: 'n-9',
    });
  });

  it('a send run again after a repair says it is a retry, with the ids the provider issued first', async () => {
    let sends = 0;
    const { onboardingId } = await h.start(
      { signingProvider: 'assinebem' },
      {
        sendForSignature: async (request) => {
          sends += 1;
          if (request.mayPrepare && request.preparation === undefined && sends === 1)
            return { preparation: { uploadIdentifier: 'up-1' } };
          if (sends === 2) throw providerFailure('assinebem uploadDocument: the answer broke the contract');
          return {
            provider: request.provider,
            envelopeId: 'env-1',
            signers: request.signers.map((s) => ({ index: s.index, providerSignerId: `signer-${s.index}` })),
            supportsReminders: true,
          };
        },
      },
    );
    await h.waitFor(onboardingId, (s) => s.stage === 'sms_token');
    await h.client.validateSmsToken(onboardingId, RIGHT_TOKEN);
    await h.waitFor(onboardingId, needsAttention);
    await h.client.repair(onboardingId, { action: 'retry', reason: 'Assine Bem is back' });
    expect((await h.client.result(onboardingId)).status).toBe('completed');
    const sent = h.calls(onboardingId, 'sendForSignature').map((c) => c.args[0] as Record<string, unknown>);
    expect(sent.map((r) => [r['mayPrepare'] ?? false, r['preparation'], r['retry'] ?? false])).toEqual([
      [true, undefined, false],
      [false, { uploadIdentifier: 'up-1' }, false],
      [false, { uploadIdentifier: 'up-1' }, true],
    ]);
  });
});

describe('a repair the onboarding cannot take is refused, saying why, and changes nothing', () => {
  it('when the onboarding does not need attention', async () => {
    const { onboardingId } = await h.start();
    await h.waitFor(onboardingId, (s) => s.stage === 'sms_token');
    const err = await h.client
      .repair(onboardingId, { action: 'retry', reason: 'why not' })
      .catch((e: unknown) => e);
    expect(refusal(err)).toBe(
      'NotWaitingForRepair: the onboarding does not need attention (stage: sms_token)',
    );
    await h.client.cancel(onboardingId, 'test over');
  });

  it('corrections to a field the failed step does not use, or to values the input refuses', async () => {
    const { onboardingId } = await parkedAtProposal();
    const attempt = (corrections: object) =>
      h.client
        .repair(onboardingId, { action: 'correct', reason: 'fix', corrections } as never)
        .catch((e: unknown) => refusal(e));
    expect(await attempt({ applicant: { phone: '(11) 98888-7777' } })).toBe(
      'InvalidCorrections: ccb_proposal cannot correct applicant',
    );
    expect(await attempt({ loan: { onboardingId: 'x' } })).toBe(
      'InvalidCorrections: ccb_proposal cannot correct loan.onboardingId',
    );
    const invalid = await attempt({ loan: { installments: -3 } });
    expect(invalid).toMatch(/^InvalidCorrections: .*loan\.installments/);
    expect(invalid).not.toContain('-3');
    expect(await attempt({})).toBe('InvalidCorrections: corrections are empty');
    // Still waiting, and a valid repair is taken.
    const status = await h.client.status(onboardingId);
    expect(status.stage).toBe('needs_attention');
    expect(status.repairs).toBeUndefined();
    await h.client.repair(onboardingId, { action: 'retry', reason: 'fixed at Securities' });
    expect((await h.client.result(onboardingId)).status).toBe('completed');
  });

  it('without a reason, or with an action the step does not offer', async () => {
    const { onboardingId } = await parkedAtProposal();
    const attempt = (request: object) =>
      h.client.repair(onboardingId, request as never).catch((e: unknown) => refusal(e));
    expect(await attempt({ action: 'retry', reason: ' ' })).toBe(
      'InvalidRepair: reason must say why, in at most 500 characters',
    );
    expect(await attempt({ action: 'approve', reason: 'x' })).toBe(
      'InvalidRepair: action must be one of retry, correct, abandon',
    );
    await h.client.repair(onboardingId, { action: 'abandon', reason: 'test over' });
    await h.client.result(onboardingId);
  });
});
