/**
 * What the onboarding reports: its stage, its status (the `status` query) and its outcome.
 * These are produced by the workflow itself, so they are plain types (no zod: the workflow bundle
 * stays free of schemas). Nothing here holds a secret; personal data is limited to signer names,
 * which an operator needs to see who has not signed yet.
 */
import type { SignerRole, SignerState } from '../signing/contract';
import type { SignedEvidence } from './evidence';
import type { SigningProviderName } from './input';
import type { Attention, RepairRecord } from './repair';
import type { DecisionRecord } from './decision-record';
import type { Principal } from './principal';
import type { Stage } from './stage';

export { stages, type Stage } from './stage';

export const outcomeStatuses = [
  'completed',
  'rejected',
  'expired',
  'refused',
  'cancelled',
  'failed',
] as const;
export type OutcomeStatus = (typeof outcomeStatuses)[number];

/** Data Trust's documented token states (docs/providers/datatrust.md). */
export type SmsTokenResult = 'Waiting' | 'Valid' | 'Incorrect' | 'Invalid' | 'Expired';

export interface SmsTokenValidation {
  result: SmsTokenResult;
  /** Tries left on the current token after this one. */
  attemptsLeft: number;
  /** New tokens that may still be requested. */
  resendsLeft: number;
}

export { DEFAULT_TENANT } from './tenant';

export type { Principal } from './principal';

/** What a manual review decided, and who decided it. */
export interface ReviewDecision {
  approved: boolean;
  reason?: string;
  principal: Principal;
  /** The person the principal says decided (its own statement, e.g. a reviewer's id in the lender's systems). */
  onBehalfOf?: string;
}

/** The `cancel` signal's command. */
export interface CancelCommand {
  reason: string;
  principal: Principal;
}

/** The `resendSmsToken` signal's command. */
export interface ResendCommand {
  principal: Principal;
}

/** A message the onboarding refused: not encrypted for it, or without an authenticated principal. */
export interface RefusedCommand {
  command: string;
  /** A refused payload's reason (src/domain/refused-payload.ts), or `no-principal`. */
  reason: string;
  at: string;
}

export type { SignerState };

export interface SignerStatus {
  /** Position in the input's `signers` list. */
  index: number;
  role: SignerRole;
  name: string;
  state: SignerState;
}

export interface ProviderReferences {
  dataTrustTransactionId?: string;
  proposalId?: string;
  proposalNumber?: string;
  documentKey?: string;
  envelopeId?: string;
  ccbId?: string;
}

export interface TimelineEntry {
  stage: Stage;
  /** ISO timestamp (workflow time). */
  at: string;
  note?: string;
}

export interface OnboardingOutcome {
  status: OutcomeStatus;
  reason: string;
  onboardingId: string;
  signingProvider: SigningProviderName | undefined;
  references: ProviderReferences;
  timeline: TimelineEntry[];
  /** A completed onboarding's signed evidence record (docs/evidence.md); none before it was made, or if it could not be. */
  evidence?: SignedEvidence;
}

export interface OnboardingStatus {
  onboardingId: string;
  /** The tenant it belongs to (src/domain/tenant.ts). */
  tenant: string;
  /** The credit policy it runs on and is judged by (onboardings from before policies were named have none). */
  policy?: { name: string; version: number };
  stage: Stage;
  signingProvider: SigningProviderName | undefined;
  identity?: { score: number; decision: 'approve' | 'reject' | 'review' };
  smsToken: {
    attemptsLeft: number;
    resendsLeft: number;
    lastResult?: SmsTokenResult;
    /** When the wait for the current token ends (ISO). */
    deadline?: string;
  };
  review?: { deadline: string; decision?: ReviewDecision };
  /** The credit decision and how it was taken (src/domain/decision-record.ts); none before it. */
  decision?: DecisionRecord;
  signers: SignerStatus[];
  signature?: {
    deadline: string;
    remindersSent: number;
    nextCheck?: string;
    /**
     * Parked: it no longer checks by itself between reminders; the signature sweep checks its
     * envelope and wakes it when something changed (docs/signature-sweep.md).
     */
    parked?: boolean;
    /** Why the last status check (or reminder) failed after its retries; cleared by the next good check. */
    lastFailure?: string;
  };
  references: ProviderReferences;
  cancelRequested: boolean;
  /** The cancel that was accepted: its reason and who sent it. */
  cancel?: CancelCommand;
  /** The last messages refused (at most 20), newest last. */
  refusedCommands: RefusedCommand[];
  /** Why it waits in `needs_attention`, and what may be done (src/domain/repair.ts). */
  attention?: Attention;
  /** The repairs so far: who did what, and why. */
  repairs?: RepairRecord[];
  /** Every stage entered so far, with when. */
  timeline: TimelineEntry[];
  outcome?: OnboardingOutcome;
  /** Set (by the client, never the workflow) once the applicant's personal data was erased: docs/privacy.md. */
  personalData?: { erasedAt: string; cause: 'request' | 'retention' };
}
