/**
 * creditOnboarding: one durable workflow per credit applicant, from the Data Trust check to a
 * signed CCB. Deterministic orchestration only: every provider call is an activity, every wait is
 * a durable timer or a condition with a timeout, and the outcome is always a typed value.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { OnboardingActivities, CcbProposal, Envelope, SignatureStatus } from '../activities/types';
import type { OnboardingInputDraft, SigningProviderName } from '../domain/input';
import type {
  OnboardingOutcome,
  OnboardingStatus,
  OutcomeStatus,
  ProviderReferences,
  ReviewDecision,
  SignerStatus,
  SmsTokenResult,
  SmsTokenValidation,
  Stage,
  TimelineEntry,
} from '../domain/onboarding';
import {
  SMS_TOKEN_PATTERN,
  cancel,
  resendSmsToken,
  reviewDecision,
  signatureEvent,
  status,
  submitSmsToken,
  validateSmsToken,
} from '../messages';
import { onboardingOutcomeKey, onboardingStageKey, signingProviderKey } from '../search-attributes';

/** Data Trust allows three tries per token (seed 004: Incorrect up to 3 tries, then Invalid). */
const TOKEN_TRIES = 3;

/** Provider calls: retried with backoff on retryable errors (Retry-After honoured), given up on after an hour. */
const provider = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

/** Streams a signed PDF from provider to provider: longer calls, with heartbeats. */
const documents = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  scheduleToCloseTimeout: '2 hours',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Input validation is pure: a failure is final. */
const validation = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: ['InvalidOnboardingInput'] },
});

/** Ends the onboarding with a typed outcome from anywhere in the flow. */
class Finished extends Error {
  constructor(
    readonly status: OutcomeStatus,
    readonly reason: string,
  ) {
    super(reason);
  }
}

interface TokenRequest {
  token: string;
  result?: SmsTokenValidation;
}

export async function creditOnboarding(raw: OnboardingInputDraft): Promise<OnboardingOutcome> {
  const { workflowId } = workflowInfo();
  const references: ProviderReferences = {};
  const timeline: TimelineEntry[] = [];
  const onboardingId = typeof raw?.onboardingId === 'string' ? raw.onboardingId : workflowId;
  let signingProvider: SigningProviderName | undefined;
  let stage: Stage = 'validating_input';
  let identity: OnboardingStatus['identity'];
  let signers: SignerStatus[] = [];
  const token: OnboardingStatus['smsToken'] = { attemptsLeft: TOKEN_TRIES, resendsLeft: 0 };
  let review: OnboardingStatus['review'];
  let signature: OnboardingStatus['signature'];
  let outcome: OnboardingOutcome | undefined;

  const tokenQueue: TokenRequest[] = [];
  let resendRequested = false;
  let signatureEventPending = false;
  let cancelReason: string | undefined;
  let envelope: Envelope | undefined;
  let envelopeOpen = false;

  const enter = (next: Stage, note?: string): void => {
    stage = next;
    timeline.push({ stage: next, at: new Date().toISOString(), ...(note ? { note } : {}) });
    upsertSearchAttributes([{ key: onboardingStageKey, value: next }]);
  };

  setHandler(status, (): OnboardingStatus => ({
    onboardingId,
    stage,
    signingProvider,
    ...(identity ? { identity } : {}),
    smsToken: { ...token },
    ...(review ? { review } : {}),
    signers: signers.map((s) => ({ ...s })),
    ...(signature ? { signature: { ...signature } } : {}),
    references: { ...references },
    cancelRequested: cancelReason !== undefined,
    timeline: [...timeline],
    ...(outcome ? { outcome } : {}),
  }));

  const acceptToken = (value: string): TokenRequest => {
    const request: TokenRequest = { token: value };
    tokenQueue.push(request);
    return request;
  };
  setHandler(submitSmsToken, (value) => {
    // Signals cannot be rejected: a malformed or untimely token is dropped here and never reaches Data Trust.
    if (stage === 'sms_token' && typeof value === 'string' && SMS_TOKEN_PATTERN.test(value))
      acceptToken(value);
  });
  setHandler(
    validateSmsToken,
    async (value) => {
      const request = acceptToken(value);
      await condition(() => request.result !== undefined || stage !== 'sms_token');
      if (request.result === undefined) {
        throw ApplicationFailure.create({
          type: 'NotWaitingForToken',
          message: 'the onboarding left the SMS token stage',
        });
      }
      return request.result;
    },
    {
      validator: (value) => {
        if (typeof value !== 'string' || !SMS_TOKEN_PATTERN.test(value)) {
          throw ApplicationFailure.create({
            type: 'InvalidSmsToken',
            message: 'the token must be 4 to 8 digits',
          });
        }
        if (stage !== 'sms_token') {
          throw ApplicationFailure.create({
            type: 'NotWaitingForToken',
            message: `the onboarding is not waiting for an SMS token (stage: ${stage})`,
          });
        }
      },
    },
  );
  setHandler(resendSmsToken, () => {
    if (stage === 'sms_token') resendRequested = true;
  });
  let decision: ReviewDecision | undefined;
  setHandler(reviewDecision, (d) => {
    if (stage === 'manual_review' && decision === undefined && typeof d?.approved === 'boolean') decision = d;
  });
  setHandler(signatureEvent, () => {
    signatureEventPending = true;
  });

  // The whole flow runs in one scope, so the cancel signal and a Temporal cancellation take the same path.
  const flow = new CancellationScope();
  setHandler(cancel, (reason) => {
    if (cancelReason !== undefined || outcome !== undefined) return;
    cancelReason = typeof reason === 'string' && reason.trim() !== '' ? reason : 'cancelled by the lender';
    flow.cancel();
  });

  const finish = (s: OutcomeStatus, reason: string): OnboardingOutcome => {
    enter('finished', s);
    upsertSearchAttributes([{ key: onboardingOutcomeKey, value: s }]);
    outcome = { status: s, reason, onboardingId, signingProvider, references: { ...references }, timeline };
    return outcome;
  };

  const run = async (): Promise<OnboardingOutcome> => {
    enter('validating_input');
    const input = await validation.validateOnboardingInput(raw);
    const { policy } = input;
    signingProvider = input.signingProvider;
    upsertSearchAttributes([{ key: signingProviderKey, value: signingProvider }]);
    signers = input.signers.map((s, index) => ({ index, role: s.role, name: s.name, state: 'pending' }));
    token.resendsLeft = policy.maxSmsTokenResends;

    // 1. Identity and fraud check, with the first SMS token sent.
    enter('identity_check');
    let check = await provider.startIdentityCheck({ workflowId, attempt: 0, input });
    references.dataTrustTransactionId = check.transactionId;

    // 2. Decision by policy, or by a person.
    const verdict =
      check.score >= policy.approveScoreAtLeast
        ? 'approve'
        : check.score < policy.rejectScoreBelow
          ? 'reject'
          : 'review';
    identity = { score: check.score, decision: verdict };
    enter('decision');
    if (verdict === 'reject') {
      throw new Finished('rejected', `Data Trust score ${check.score} is below ${policy.rejectScoreBelow}`);
    }
    if (verdict === 'review') {
      enter('manual_review');
      review = { deadline: new Date(Date.now() + policy.reviewTimeoutMs).toISOString() };
      const decided = await condition(() => decision !== undefined, policy.reviewTimeoutMs, {
        summary: 'manual review deadline',
      });
      if (!decided || decision === undefined)
        throw new Finished('expired', 'the manual review was not decided in time');
      review.decision = decision;
      if (!decision.approved) {
        throw new Finished(
          'rejected',
          `manual review denied${decision.reason ? `: ${decision.reason}` : ''}`,
        );
      }
    }

    // 3. The SMS token the applicant types.
    enter('sms_token');
    let tokenExpired = false;
    for (;;) {
      const deadline = Date.now() + policy.smsTokenTimeoutMs;
      token.deadline = new Date(deadline).toISOString();
      const arrived = await condition(
        () => tokenQueue.length > 0 || resendRequested,
        Math.max(0, deadline - Date.now()),
        { summary: 'SMS token deadline' },
      );
      if (!arrived) {
        throw new Finished(
          'expired',
          tokenExpired
            ? 'the SMS token expired and no new one was requested'
            : 'no SMS token before the deadline',
        );
      }
      if (resendRequested) {
        resendRequested = false;
        if (token.resendsLeft > 0) {
          token.resendsLeft -= 1;
          const attempt = policy.maxSmsTokenResends - token.resendsLeft;
          check = await provider.startIdentityCheck({ workflowId, attempt, input });
          references.dataTrustTransactionId = check.transactionId;
          token.attemptsLeft = TOKEN_TRIES;
          tokenExpired = false;
          // Tokens typed for the previous transaction are answered, not checked against the new one.
          for (const stale of tokenQueue.splice(0)) {
            stale.result = { result: 'Expired', attemptsLeft: 0, resendsLeft: token.resendsLeft };
          }
          timeline.push({
            stage: 'sms_token',
            at: new Date().toISOString(),
            note: `token resent (${attempt})`,
          });
        }
        continue;
      }
      const request = tokenQueue.shift();
      if (request === undefined) continue;
      const { result } = await provider.checkSmsToken({
        transactionId: check.transactionId,
        token: request.token,
      });
      token.lastResult = result;
      if (result === 'Incorrect') token.attemptsLeft = Math.max(0, token.attemptsLeft - 1);
      if (result === 'Invalid') token.attemptsLeft = 0;
      request.result = { result, attemptsLeft: token.attemptsLeft, resendsLeft: token.resendsLeft };
      if (result === 'Valid') break;
      if (result === 'Invalid' || token.attemptsLeft === 0) {
        throw new Finished('rejected', `the SMS token was not confirmed (${TOKEN_TRIES} tries used)`);
      }
      if (result === 'Expired') {
        if (token.resendsLeft === 0)
          throw new Finished('expired', 'the SMS token expired and no resends are left');
        tokenExpired = true;
      }
    }
    for (const late of tokenQueue.splice(0)) {
      late.result = {
        result: 'Valid' as SmsTokenResult,
        attemptsLeft: token.attemptsLeft,
        resendsLeft: token.resendsLeft,
      };
    }

    // 4. The CCB, generated once per onboarding.
    enter('ccb_proposal');
    const proposal: CcbProposal = await provider.createCcbProposal({ workflowId, input });
    references.proposalId = proposal.proposalId;
    references.proposalNumber = proposal.number;
    references.documentKey = proposal.documentKey;

    // 5. Sent for signature with the provider the lender chose.
    enter('signing');
    envelope = await provider.sendForSignature({
      provider: input.signingProvider,
      key: workflowId,
      onboardingId: input.onboardingId,
      proposal,
      signers: input.signers.map((s, index) => ({ ...s, index })),
    });
    envelopeOpen = true;
    references.envelopeId = envelope.envelopeId;

    // 6. Waiting on signatures: timers with backoff, early wake-up, reminders, a deadline.
    enter('waiting_signatures');
    const signatureDeadline = Date.now() + policy.signatureDeadlineMs;
    let nextReminder = envelope.supportsReminders ? Date.now() + policy.reminderIntervalMs : Infinity;
    let backoff = policy.statusCheckInitialMs;
    signature = { deadline: new Date(signatureDeadline).toISOString(), remindersSent: 0 };
    for (;;) {
      const current: SignatureStatus = await provider.checkSignatures(envelope);
      for (const s of current.signers) {
        const signer = signers.find((x) => x.index === s.index);
        if (signer) signer.state = s.state;
      }
      if (current.state === 'completed') break;
      if (current.state === 'refused') {
        envelopeOpen = false;
        throw new Finished('refused', 'a signer refused to sign the CCB');
      }
      if (current.state === 'cancelled') {
        envelopeOpen = false;
        throw new Finished(
          'failed',
          `the envelope was cancelled at ${input.signingProvider} outside the onboarding`,
        );
      }
      const wakeAt = Math.min(Date.now() + backoff, signatureDeadline, nextReminder);
      signature.nextCheck = new Date(wakeAt).toISOString();
      const woken = await condition(() => signatureEventPending, Math.max(0, wakeAt - Date.now()), {
        summary: 'next signature check',
      });
      signatureEventPending = false;
      backoff = woken ? policy.statusCheckInitialMs : Math.min(backoff * 2, policy.statusCheckMaxMs);
      if (Date.now() >= signatureDeadline) {
        // A last look: a signature may have landed while we slept.
        const last = await provider.checkSignatures(envelope);
        if (last.state !== 'completed') {
          await provider.cancelEnvelope({ envelope, reason: 'signature deadline passed' });
          envelopeOpen = false;
          throw new Finished('expired', 'the signatures were not all collected before the deadline');
        }
        break;
      }
      if (Date.now() >= nextReminder) {
        const { reminded } = await provider.remindSigners(envelope);
        signature.remindersSent += reminded > 0 ? 1 : 0;
        nextReminder += policy.reminderIntervalMs;
      }
    }
    for (const s of signers) s.state = 'signed';
    envelopeOpen = false;
    signature.nextCheck = undefined;

    // 7. The signed CCB registered in Securities (where it was signed elsewhere).
    enter('finalizing');
    const finalized = await documents.finalizeSignedCcb({ workflowId, envelope, proposal, input });
    if (finalized.ccbId) references.ccbId = finalized.ccbId;
    return finish('completed', finalized.note ?? 'the CCB is signed by every signer');
  };

  try {
    return await flow.run(run);
  } catch (err) {
    if (err instanceof Finished) return finish(err.status, err.reason);
    if (isCancellation(err)) {
      // Undo what can be undone, even though the workflow itself is being cancelled.
      return CancellationScope.nonCancellable(async () => {
        enter('compensating');
        const notes: string[] = [];
        if (envelope && envelopeOpen) {
          try {
            await provider.cancelEnvelope({ envelope, reason: 'onboarding cancelled' });
            notes.push(`envelope ${envelope.envelopeId} cancelled at ${envelope.provider}`);
          } catch (compensationError) {
            notes.push(`the envelope could not be cancelled: ${describe(compensationError)}`);
          }
        }
        return finish('cancelled', [cancelReason ?? 'the workflow was cancelled', ...notes].join('; '));
      });
    }
    return finish('failed', describe(err));
  }
}

/** A failure as one line an operator can act on: the provider's typed error when there is one. */
function describe(err: unknown): string {
  let cause: unknown = err;
  while (cause instanceof ActivityFailure && cause.cause) cause = cause.cause;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  if (cause instanceof Error) return cause.message;
  return String(cause);
}
