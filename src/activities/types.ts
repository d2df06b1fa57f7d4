/**
 * The activities' inputs and outputs: what crosses workflow history. No secrets, no document bytes:
 * documents travel by reference (ids, keys, URLs) and are streamed provider to provider inside one
 * activity.
 */
import type { DeliveryPolicy } from '../event-messages';
import type { CcbContent } from '../domain/ccb';
import type { Applicant, OnboardingInput, Policy, SigningProviderName } from '../domain/input';
import type { SmsTokenResult } from '../domain/onboarding';
import type { EvidenceFacts, SignedEvidence } from '../domain/evidence';
import type {
  CancelResult,
  CcbProposal,
  Envelope,
  FoundSend,
  Preparation,
  SignatureStatus,
  SigningRequest,
} from '../signing/contract';

export type { CancelResult, CcbProposal, Envelope, FoundSend, SignatureStatus, SigningRequest };

/** Only what Data Trust is sent: the applicant (no loan, no signers, no policy). */
export interface IdentityCheckRequest {
  workflowId: string;
  /** 0 for the first transaction, 1.. for each resend: part of the idempotency key. */
  attempt: number;
  applicant: Applicant;
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
  /** The SMS token the applicant typed. */
  smsToken: string;
}

export interface SmsTokenCheck {
  result: SmsTokenResult;
}

export interface FinalizeRequest {
  envelope: Envelope;
  proposal: CcbProposal;
  ccb: CcbContent;
}

export interface FinalizeResult {
  /** The CCB in Securities: the proposal itself when signed there, a bank credit note when signed elsewhere. */
  ccbId?: string;
  /** Why there is no CCB id, when there is none. */
  note?: string;
}

/**
 * The CCB to send with `provider`. With `mayPrepare`, a provider that issues its own ids first
 * answers `{ preparation }` (creating nothing), and the workflow calls again with `preparation`.
 * With `retry`, an earlier send of this request failed and may have created something at the
 * provider: an envelope it made is answered as it is, anything less is completed, nothing twice.
 */
export type SendForSignature = SigningRequest & {
  provider: SigningProviderName;
  mayPrepare?: boolean;
  preparation?: Preparation;
  retry?: boolean;
  /**
   * The first run of its workflow id: no earlier run (before a reset) sent anything, so none is
   * looked for. Unset (sends scheduled before this field existed, and runs after a reset): looked for.
   */
  firstRun?: boolean;
};

/** A send to look for: the request as it was sent, and the `prepare` answer the workflow recorded, if any. */
export type FindSentEnvelope = SigningRequest & {
  provider: SigningProviderName;
  preparation?: Preparation;
};

/** What `findSentEnvelope` found, its envelope as the onboarding keeps one (`checkSignatures`, `cancelEnvelope` take it). */
export type FoundEnvelope = FoundSend<Envelope>;

/** The validated input, with the credit policy it runs on resolved (src/domain/credit-policy.ts). */
export type RunningOnboarding = Omit<OnboardingInput, 'policy'> & { policy: Policy };

/**
 * What the input check answers. Histories recorded from 2026-11-24 until the routes were asked for
 * on their own (patch `provider-routes`) also hold the routes here, as `queuedProviders`.
 */
export type AdmittedOnboarding = RunningOnboarding & { queuedProviders?: string[] };

/**
 * The providers whose calls go to a task queue of their own: those with a rate limit on the worker
 * that answered (PROVIDER_RATE_LIMITS). Recorded in the onboarding's history when it starts.
 */
export interface ProviderRoutes {
  queued: string[];
  /**
   * The tenants whose onboardings push events, and how they are delivered (EVENT_*): absent from
   * answers recorded before events, so those onboardings replay making none.
   */
  events?: { tenants: string[]; policy: DeliveryPolicy };
  /**
   * How often the signature sweep checks parked onboardings' envelopes (SIGNATURE_SWEEP_SECONDS):
   * absent when it is off, and from answers recorded before the sweep, so those onboardings replay
   * checking by themselves (src/workflows/onboarding/signatures.ts).
   */
  signatureSweep?: { everyMs: number };
  /**
   * `waits`: the stage search attribute is written only where the onboarding waits and where it
   * ends (src/workflows/onboarding/attribute-writer.ts). Absent from answers recorded before, so
   * those onboardings replay writing every stage: a recorded answer needs no patch marker.
   */
  visibleStages?: 'waits';
  /**
   * `applicant-first`: the applicant's calls before background work in the task queues
   * (src/workflows/onboarding/call-options.ts). Absent from answers recorded before, and when
   * TASK_QUEUE_PRIORITY is off: every call at the default priority.
   */
  priority?: 'applicant-first';
}

/** Every activity the workflow calls; `createActivities` (./index.ts) builds them from their dependencies. */
export interface OnboardingActivities {
  validateOnboardingInput(raw: unknown): Promise<AdmittedOnboarding>;
  providerRoutes(): Promise<ProviderRoutes>;
  startIdentityCheck(req: IdentityCheckRequest): Promise<IdentityCheck>;
  checkSmsToken(req: SmsTokenCheckRequest): Promise<SmsTokenCheck>;
  /** The SMS token's state as the transaction shows it (read back after ClearSale's webhook). */
  readSmsTokenState(req: { transactionId: string }): Promise<SmsTokenCheck>;
  /** The Data Trust transaction a start for this (workflow, attempt) created, if any: by its reference. */
  findIdentityCheck(req: IdentityCheckRequest): Promise<{ transactionId?: string }>;
  createCcbProposal(req: { ccb: CcbContent }): Promise<CcbProposal>;
  /** The proposal a create for this onboarding made, if any: by the number derived from its id. */
  findCcbProposal(req: { onboardingId: string }): Promise<{ proposal?: CcbProposal }>;
  sendForSignature(req: SendForSignature): Promise<Envelope | { preparation: Preparation }>;
  findSentEnvelope(req: FindSentEnvelope): Promise<FoundEnvelope>;
  checkSignatures(envelope: Envelope): Promise<SignatureStatus>;
  remindSigners(envelope: Envelope): Promise<{ reminded: number }>;
  cancelEnvelope(req: { envelope: Envelope; reason: string }): Promise<{ result: CancelResult }>;
  finalizeSignedCcb(req: FinalizeRequest): Promise<FinalizeResult>;
  /** The completed onboarding's evidence record, signed (src/activities/evidence.ts). */
  signEvidence(facts: EvidenceFacts): Promise<SignedEvidence>;
}
