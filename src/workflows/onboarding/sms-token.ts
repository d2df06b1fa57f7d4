/**
 * The SMS token stage, by Data Trust's documented token states (docs/providers/datatrust.md):
 * `Valid` goes on; `Incorrect` leaves fewer tries (3 per token); `Invalid` rejects; `Expired` allows a
 * resend. A resend is a new Data Trust transaction, which sends a new token. Each token has the
 * policy's time to be typed, counted from when it was sent.
 */
import { condition, patched } from '@temporalio/workflow';
import type { IdentityCheck } from '../../activities/types';
import type { RunningOnboarding } from '../../activities/types';
import type { SmsTokenValidation } from '../../domain/onboarding';
import { DATA_TRUST, type ProviderCalls } from './calls';
import type { Inbox } from './inbox';
import { Finished } from './outcome';
import { patches } from './patches';
import { TOKEN_TRIES, type OnboardingState } from './state';

export interface SmsTokenStage {
  workflowId: string;
  input: RunningOnboarding;
  state: OnboardingState;
  inbox: Inbox;
  calls: ProviderCalls;
  /** The Data Trust transaction that sent the current token. */
  check: IdentityCheck;
}

/** Returns once a token is `Valid`; ends the onboarding as rejected or expired otherwise. */
export async function collectSmsToken(stage: SmsTokenStage): Promise<void> {
  const { state, inbox, input } = stage;
  const { policy } = input;
  const smsToken = state.smsToken;
  const token = { check: stage.check, expired: false, deadline: Date.now() + policy.smsTokenTimeoutMs };
  state.enter('sms_token');
  for (;;) {
    const arrived = await awaitSmsToken(state, inbox, token.deadline);
    if (!arrived) {
      throw new Finished(
        'expired',
        token.expired
          ? 'the SMS token expired and no new one was requested'
          : 'no SMS token before the deadline',
      );
    }
    if (inbox.resendRequested) {
      inbox.resendRequested = false;
      if (smsToken.resendsLeft > 0) {
        token.check = await resendSmsToken(stage);
        token.expired = false;
        token.deadline = Date.now() + policy.smsTokenTimeoutMs;
      }
      continue;
    }
    if (inbox.dataTrustEventPending) {
      // ClearSale's webhook: the token's state is read back from the transaction, as documented.
      inbox.dataTrustEventPending = false;
      const { result } = await stage.calls.forApplicant(DATA_TRUST).readSmsTokenState({
        transactionId: token.check.transactionId,
      });
      if (result === 'Waiting' || result === 'Incorrect') continue;
      if (applyResult(state, token, result)) break;
      continue;
    }
    const request = inbox.smsTokens.shift();
    if (request === undefined) continue;
    const { result } = await stage.calls.forApplicant(DATA_TRUST).checkSmsToken({
      transactionId: token.check.transactionId,
      smsToken: request.smsToken,
    });
    state.smsTokenTrail.checks += 1;
    if (result === 'Incorrect') smsToken.attemptsLeft = Math.max(0, smsToken.attemptsLeft - 1);
    request.result = {
      result,
      attemptsLeft: result === 'Invalid' ? 0 : smsToken.attemptsLeft,
      resendsLeft: smsToken.resendsLeft,
    };
    if (applyResult(state, token, result)) break;
  }
  // Tokens typed after the valid one: the applicant is through, so they are answered as such.
  inbox.answerPending(() => ({
    result: 'Valid',
    attemptsLeft: smsToken.attemptsLeft,
    resendsLeft: smsToken.resendsLeft,
  }));
}

/** What Data Trust's answer means for the current token: true when the applicant is through. */
function applyResult(
  state: OnboardingState,
  token: { expired: boolean },
  result: SmsTokenValidation['result'],
): boolean {
  const smsToken = state.smsToken;
  smsToken.lastResult = result;
  if (result === 'Invalid') smsToken.attemptsLeft = 0;
  if (result === 'Valid') {
    state.smsTokenTrail.validatedAt = new Date().toISOString();
    return true;
  }
  if (result === 'Invalid' || smsToken.attemptsLeft === 0) {
    throw new Finished('rejected', `the SMS token was not confirmed (${TOKEN_TRIES} tries used)`);
  }
  if (result === 'Expired') {
    if (smsToken.resendsLeft === 0)
      throw new Finished('expired', 'the SMS token expired and no resends are left');
    token.expired = true;
  }
  return false;
}

/**
 * Waits for a token, a resend request or ClearSale's webhook until the current token's deadline;
 * false when it passed. The deadline is the token's, so no message moves it: only a new token does.
 */
async function awaitSmsToken(state: OnboardingState, inbox: Inbox, deadline: number): Promise<boolean> {
  state.smsToken.deadline = new Date(deadline).toISOString();
  state.showDetails();
  return condition(
    () => inbox.smsTokens.length > 0 || inbox.resendRequested || inbox.dataTrustEventPending,
    // At least 1 ms: a timeout of 0 would make the SDK record a patch of its own.
    Math.max(1, deadline - Date.now()),
    { summary: 'SMS token deadline' },
  );
}

/** A new Data Trust transaction (and so a new SMS token); tokens typed for the old one are answered `Expired`. */
async function resendSmsToken({
  workflowId,
  input,
  state,
  inbox,
  calls,
}: SmsTokenStage): Promise<IdentityCheck> {
  const smsToken = state.smsToken;
  smsToken.resendsLeft -= 1;
  const attempt = input.policy.maxSmsTokenResends - smsToken.resendsLeft;
  const check = await calls.forApplicant(DATA_TRUST).startIdentityCheck({
    workflowId,
    attempt,
    applicant: input.applicant,
  });
  state.checked(check.transactionId);
  if (patched(patches.recordResentTransaction)) state.recordReferences();
  smsToken.attemptsLeft = TOKEN_TRIES;
  inbox.answerPending(() => ({ result: 'Expired', attemptsLeft: 0, resendsLeft: smsToken.resendsLeft }));
  state.note('sms_token', `token resent (${attempt})`);
  return check;
}
