/**
 * What the outside world sends the onboarding, kept until a stage takes it: SMS tokens, a resend
 * request, a review decision, signature events and a cancel. Handlers accept a message only in the
 * stage that can use it; signals cannot be refused, so an untimely one is dropped here.
 */
import {
  ApplicationFailure,
  condition,
  patched,
  setHandler,
  type CancellationScope,
} from '@temporalio/workflow';
import type { ReviewDecision, SmsTokenValidation } from '../../domain/onboarding';
import {
  correctionsRefusal,
  repairActions,
  type RepairAnswer,
  type RepairCommand,
} from '../../domain/repair';
import { isRefusedPayload } from '../../domain/refused-payload';
import * as messages from '../../messages';
import { describePrincipal, refusalOf } from './commands';
import { patches } from './patches';
import type { OnboardingState } from './state';

/** An SMS token the applicant typed, and (once checked) Data Trust's answer to it. */
export interface SmsTokenRequest {
  smsToken: string;
  result?: SmsTokenValidation;
}

/** A repair an operator asked for, and (once the onboarding took it) its answer or why it was refused. */
export interface RepairRequest {
  command: RepairCommand;
  answer?: RepairAnswer;
  refusal?: string;
}

export class Inbox {
  repair: RepairRequest | undefined;
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

/**
 * Installs the onboarding's query, signal and update handlers; `flow` is the scope a cancel stops.
 * A message the onboarding cannot take from who sent it is refused and recorded (state.refuse).
 */
export function listen(state: OnboardingState, inbox: Inbox, flow: CancellationScope): void {
  setHandler(messages.status, () => state.status());

  setHandler(messages.submitSmsToken, (value) => {
    if (isRefusedPayload(value)) return state.refuse('submitSmsToken', value.refusedPayload);
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
      // A rejected update leaves no trace in history: a refusal is said to the caller only.
      validator: (value) => {
        if (isRefusedPayload(value)) {
          throw ApplicationFailure.create({
            type: 'RefusedPayload',
            message: `the token was refused (${value.refusedPayload}): it was not encrypted for this onboarding`,
          });
        }
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
  setHandler(messages.resendSmsToken, (command) => {
    const refusal = verified() ? refusalOf(command, state.tenant) : undefined;
    if (refusal !== undefined) return state.refuse('resendSmsToken', refusal);
    if (state.stage === 'sms_token') inbox.resendRequested = true;
  });
  setHandler(messages.reviewDecision, (decision) => {
    const refusal = verified() ? refusalOf(decision, state.tenant) : undefined;
    if (refusal !== undefined) return state.refuse('reviewDecision', refusal);
    if (
      state.stage === 'manual_review' &&
      inbox.reviewDecision === undefined &&
      typeof decision?.approved === 'boolean'
    )
      inbox.reviewDecision = verified() ? takeDecision(decision) : decision;
  });
  setHandler(
    messages.repair,
    async (command) => {
      const request: RepairRequest = { command: takeRepair(command) };
      inbox.repair = request;
      await condition(() => request.answer !== undefined || request.refusal !== undefined);
      if (request.answer === undefined) {
        throw ApplicationFailure.create({ type: 'InvalidCorrections', message: request.refusal ?? '' });
      }
      return request.answer;
    },
    {
      // A refused repair leaves no trace in history: the refusal is said to the caller only.
      validator: (command) => {
        const refuse = (type: string, message: string) => {
          throw ApplicationFailure.create({ type, message });
        };
        const refusal = refusalOf(command, state.tenant);
        if (refusal !== undefined) refuse('RefusedCommand', `the repair was refused (${refusal})`);
        const { attention } = state;
        if (state.stage !== 'needs_attention' || attention === undefined)
          refuse('NotWaitingForRepair', `the onboarding does not need attention (stage: ${state.stage})`);
        if (inbox.repair !== undefined) refuse('RepairInProgress', 'another repair is being taken');
        if (!repairActions.includes(command.action) || !attention!.actions.includes(command.action))
          refuse('InvalidRepair', `action must be one of ${attention!.actions.join(', ')}`);
        if (typeof command.reason !== 'string' || command.reason.trim() === '' || command.reason.length > 500)
          refuse('InvalidRepair', 'reason must say why, in at most 500 characters');
        if (command.action === 'correct') {
          const wrong = correctionsRefusal(attention!.step, command.corrections);
          if (wrong !== undefined) refuse('InvalidCorrections', wrong);
          if (
            (command.corrections?.signers ?? []).some(
              (s: { index: number }) => s.index >= state.signers.length,
            )
          )
            refuse('InvalidCorrections', `corrections.signers[].index must be below ${state.signers.length}`);
        } else if (command.corrections !== undefined) {
          refuse('InvalidRepair', 'corrections come with the action correct');
        }
      },
    },
  );
  setHandler(messages.signatureEvent, () => {
    inbox.signatureEventPending = true;
  });
  setHandler(messages.dataTrustEvent, () => {
    if (state.stage === 'sms_token') inbox.dataTrustEventPending = true;
  });
  setHandler(messages.cancel, (command) => {
    if (state.cancelReason !== undefined || state.outcome !== undefined) return;
    if (verified()) {
      const refusal = refusalOf(command, state.tenant);
      if (refusal !== undefined) return state.refuse('cancel', refusal);
      const reason = typeof command.reason === 'string' && command.reason.trim() !== '' ? command.reason : '';
      state.cancelReason = reason || 'cancelled by the lender';
      state.cancel = { reason: state.cancelReason, principal: command.principal };
      state.note(state.stage, `cancel sent by ${describePrincipal(command.principal)}`);
    } else {
      // Onboardings started before commands named their principal: a reason alone.
      const reason = command as unknown;
      state.cancelReason =
        typeof reason === 'string' && reason.trim() !== '' ? reason : 'cancelled by the lender';
    }
    flow.cancel();
  });
}

/** Whether commands must name an authenticated principal: always, but for onboardings started before. */
const verified = (): boolean => patched(patches.verifiedCommands);

/** The command's own fields only. */
const takeRepair = (c: RepairCommand): RepairCommand => ({
  action: c.action,
  reason: c.reason.trim(),
  principal: c.principal,
  ...(c.action === 'correct' && c.corrections ? { corrections: c.corrections } : {}),
});

/** The decision's own fields only: nothing else a sender adds reaches the state. */
const takeDecision = (d: ReviewDecision): ReviewDecision => ({
  approved: d.approved,
  principal: d.principal,
  ...(typeof d.reason === 'string' ? { reason: d.reason.slice(0, 500) } : {}),
  ...(typeof d.onBehalfOf === 'string' ? { onBehalfOf: d.onBehalfOf.slice(0, 128) } : {}),
});
