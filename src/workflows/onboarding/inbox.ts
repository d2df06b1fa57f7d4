/**
 * What the outside world sends the onboarding, kept until a stage takes it: SMS tokens, a resend
 * request, a review decision, signature events and a cancel. Handlers accept a message only in the
 * stage that can use it; signals cannot be refused, so an untimely one is dropped here.
 */
import { ApplicationFailure, condition, setHandler, type CancellationScope } from '@temporalio/workflow';
import type { ReviewDecision, SmsTokenValidation } from '../../domain/onboarding';
import * as messages from '../../messages';
import type { OnboardingState } from './state';

/** An SMS token the applicant typed, and (once checked) Data Trust's answer to it. */
export interface SmsTokenRequest {
  smsToken: string;
  result?: SmsTokenValidation;
}

export class Inbox {
  readonly smsTokens: SmsTokenRequest[] = [];
  resendRequested = false;
  reviewDecision: ReviewDecision | undefined;
  signatureEventPending = false;
  dataTrustEventPending = false;

  acceptSmsToken(smsToken: string): SmsTokenRequest {
    const request: SmsTokenRequest = { smsToken };
    this.smsTokens.push(request);
    return request;
  }

  /** Answers every token still waiting with `result` (they were typed for a transaction that is gone). */
  answerPending(result: (request: SmsTokenRequest) => SmsTokenValidation): void {
    for (const pending of this.smsTokens.splice(0)) pending.result = result(pending);
  }
}

/** Installs the onboarding's query, signal and update handlers; `flow` is the scope a cancel stops. */
export function listen(state: OnboardingState, inbox: Inbox, flow: CancellationScope): void {
  setHandler(messages.status, () => state.status());

  setHandler(messages.submitSmsToken, (value) => {
    if (state.stage === 'sms_token' && typeof value === 'string' && messages.SMS_TOKEN_PATTERN.test(value))
      inbox.acceptSmsToken(value);
  });
  setHandler(
    messages.validateSmsToken,
    async (value) => {
      const request = inbox.acceptSmsToken(value);
      await condition(() => request.result !== undefined || state.stage !== 'sms_token');
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
        if (typeof value !== 'string' || !messages.SMS_TOKEN_PATTERN.test(value)) {
          throw ApplicationFailure.create({
            type: 'InvalidSmsToken',
            message: 'the token must be 4 to 8 digits',
          });
        }
        if (state.stage !== 'sms_token') {
          throw ApplicationFailure.create({
            type: 'NotWaitingForToken',
            message: `the onboarding is not waiting for an SMS token (stage: ${state.stage})`,
          });
        }
      },
    },
  );
  setHandler(messages.resendSmsToken, () => {
    if (state.stage === 'sms_token') inbox.resendRequested = true;
  });
  setHandler(messages.reviewDecision, (decision) => {
    if (
      state.stage === 'manual_review' &&
      inbox.reviewDecision === undefined &&
      typeof decision?.approved === 'boolean'
    )
      inbox.reviewDecision = decision;
  });
  setHandler(messages.signatureEvent, () => {
    inbox.signatureEventPending = true;
  });
  setHandler(messages.dataTrustEvent, () => {
    if (state.stage === 'sms_token') inbox.dataTrustEventPending = true;
  });
  setHandler(messages.cancel, (reason) => {
    if (state.cancelReason !== undefined || state.outcome !== undefined) return;
    state.cancelReason =
      typeof reason === 'string' && reason.trim() !== '' ? reason : 'cancelled by the lender';
    flow.cancel();
  });
}
