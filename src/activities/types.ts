/**
 * The activities' inputs and outputs: what crosses workflow history. No secrets, no document bytes:
 * documents travel by reference (ids, keys, URLs) and are streamed provider to provider inside one
 * activity.
 */
import type { OnboardingInput, SigningProviderName, Signer } from '../domain/input';
import type { SignerState, SmsTokenResult } from '../domain/onboarding';

export interface IdentityCheckRequest {
  workflowId: string;
  /** 0 for the first transaction, 1.. for each resend: part of the idempotency key. */
  attempt: number;
  input: OnboardingInput;
}

export interface IdentityCheck {
  transactionId: string;
  /** Data Trust score, 0-100. */
  score: number;
  /** Insight codes only (no descriptions that could repeat personal data). */
  insightCodes: string[];
  smsTokenSent: boolean;
}

export interface SmsTokenCheckRequest {
  transactionId: string;
  token: string;
}

export interface CcbProposal {
  proposalId: string;
  number: string;
  documentKey: string;
}

export interface IndexedSigner extends Signer {
  /** Position in the input's `signers`. */
  index: number;
}

export interface SigningRequest {
  /** Idempotency key derived from the workflow id: the same key never creates a second envelope. */
  key: string;
  onboardingId: string;
  proposal: CcbProposal;
  signers: IndexedSigner[];
}

export interface Envelope {
  provider: SigningProviderName;
  /** The provider's id for what was sent: Securities document key, Assine Bem document id_externo, Signio id_transaccion. */
  envelopeId: string;
  /** Provider ids of the signers, by their index in the input. */
  signers: Array<{ index: number; providerSignerId: string }>;
  supportsReminders: boolean;
}

export type EnvelopeState = 'pending' | 'completed' | 'refused' | 'cancelled';

export interface SignatureStatus {
  state: EnvelopeState;
  signers: Array<{ index: number; state: SignerState }>;
}

export interface FinalizeRequest {
  workflowId: string;
  envelope: Envelope;
  proposal: CcbProposal;
  input: OnboardingInput;
}

export interface FinalizeResult {
  /** The CCB in Securities: the proposal itself when signed there, a bank credit note when signed elsewhere. */
  ccbId?: string;
  /** Why there is no CCB id, when there is none. */
  note?: string;
}

export interface SmsTokenCheck {
  result: SmsTokenResult;
}

/** Every activity the workflow calls; `createActivities` (./index.ts) builds them from their dependencies. */
export interface OnboardingActivities {
  validateOnboardingInput(raw: unknown): Promise<OnboardingInput>;
  startIdentityCheck(req: IdentityCheckRequest): Promise<IdentityCheck>;
  checkSmsToken(req: SmsTokenCheckRequest): Promise<SmsTokenCheck>;
  createCcbProposal(req: { workflowId: string; input: OnboardingInput }): Promise<CcbProposal>;
  sendForSignature(req: SigningRequest & { provider: SigningProviderName }): Promise<Envelope>;
  checkSignatures(envelope: Envelope): Promise<SignatureStatus>;
  remindSigners(envelope: Envelope): Promise<{ reminded: number }>;
  cancelEnvelope(req: { envelope: Envelope; reason: string }): Promise<{ cancelled: boolean }>;
  finalizeSignedCcb(req: FinalizeRequest): Promise<FinalizeResult>;
}
