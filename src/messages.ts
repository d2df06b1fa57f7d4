/**
 * The onboarding's messages, defined once and imported by both the workflow and the client.
 * This module holds only message definitions, their types and the names the outside world uses;
 * backend code imports it (through src/client.ts), never the workflow module.
 *
 * Every payload a message carries must be encrypted for its onboarding (src/temporal/encryption-codec.ts),
 * and the commands that steer an onboarding (review, cancel, resend) carry the principal that the
 * path sending them authenticated: the workflow refuses, and records, any other.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OnboardingInputDraft } from './domain/input';
import type { RepairAnswer, RepairCommand } from './domain/repair';
import type {
  CancelCommand,
  OnboardingOutcome,
  OnboardingStatus,
  ResendCommand,
  ReviewDecision,
  SmsTokenValidation,
} from './domain/onboarding';

export const TASK_QUEUE = 'credit-onboarding';
export const WORKFLOW_TYPE = 'creditOnboarding';
/** The workflow's signature, for typed handles without importing the workflow module. */
export type CreditOnboardingWorkflow = (input: OnboardingInputDraft) => Promise<OnboardingOutcome>;
export const workflowIdFor = (onboardingId: string): string => `onboarding-${onboardingId}`;

/** Data Trust sends numeric SMS tokens; anything else is rejected before it reaches history. */
export const SMS_TOKEN_PATTERN = /^\d{4,8}$/;

/** The token the applicant typed, fire-and-forget. */
export const submitSmsToken = defineSignal<[token: string]>('submitSmsToken');
/** The token the applicant typed; answers with Data Trust's result and the attempts left. */
export const validateSmsToken = defineUpdate<SmsTokenValidation, [token: string]>('validateSmsToken');
/** Ask for a new SMS token (a new Data Trust transaction), within the policy's limit. */
export const resendSmsToken = defineSignal<[command: ResendCommand]>('resendSmsToken');
/** The manual review's decision, with who decided. */
export const reviewDecision = defineSignal<[decision: ReviewDecision]>('reviewDecision');
/** A provider (webhook) or the backend says a signature changed: check now instead of at the next timer. */
export const signatureEvent = defineSignal<[event?: { source?: string }]>('signatureEvent');
/**
 * ClearSale's webhook says a Data Trust transaction changed (its `TypeId`: 1 Token SMS, 2 Token
 * E-mail, ...): the onboarding reads the transaction back, as the document asks.
 */
export const dataTrustEvent = defineSignal<[event?: { typeId?: number }]>('dataTrustEvent');
/** Stop the onboarding and undo what can be undone at the providers; with its reason and who sent it. */
export const cancel = defineSignal<[command: CancelCommand]>('cancel');
/**
 * An operator's answer to an onboarding in `needs_attention`: retry the step, retry it with
 * corrected fields, or abandon, with why and who. Answers what happens next; refused (and not
 * recorded) when the onboarding is not waiting for it or the corrections do not apply.
 */
export const repair = defineUpdate<RepairAnswer, [command: RepairCommand]>('repair');
/** Where the onboarding stands. */
export const status = defineQuery<OnboardingStatus>('status');

export type {
  CancelCommand,
  OnboardingStatus,
  RepairAnswer,
  RepairCommand,
  ResendCommand,
  ReviewDecision,
  SmsTokenValidation,
};

/** Whether `workflowId` is an onboarding's (its payloads hold personal data: a data key of its own). */
export const isOnboardingWorkflowId = (workflowId: string): boolean =>
  workflowId.startsWith(workflowIdFor(''));
