/**
 * The signing contract: one interface over the ways a CCB gets signed, and the types that cross it.
 * Each signing provider implements it in its own folder (`src/providers/<name>/signing.ts`) and owns
 * the idempotency of what it creates; the workflow sees only these types, through the activities.
 *
 * Nothing here imports the rest of the product: the domain and the providers build on it.
 */
import type { Readable } from 'node:stream';
import type { Checkpoint } from './checkpoint';

/** Who signs the CCB, in the CCB's own words: the borrower, a guarantor (avalista), a witness. */
export const signerRoles = ['applicant', 'guarantor', 'witness'] as const;
export type SignerRole = (typeof signerRoles)[number];

/** One signer as a signing provider receives it (validated and normalized by the domain). */
export interface SigningParty {
  /** Position in the onboarding input's `signers`: how the onboarding follows each signer. */
  index: number;
  role: SignerRole;
  name: string;
  /** 11 digits. */
  cpf: string;
  email: string;
  /** DDD + number, digits only. */
  phone: string;
  /** YYYY-MM-DD. */
  birthDate?: string | undefined;
}

/** The CCB before it is signed: a Securities proposal and its rendered document. */
export interface CcbProposal {
  proposalId: string;
  number: string;
  documentKey: string;
}

export interface SigningRequest {
  /** Idempotency key derived from the workflow id: the same key never creates a second envelope. */
  key: string;
  onboardingId: string;
  proposal: CcbProposal;
  signers: SigningParty[];
}

/** What was sent for signature, as the onboarding keeps it (it crosses workflow history: ids only). */
export interface Envelope {
  /** The signing provider's registered name. */
  provider: string;
  /** The provider's id for what was sent: Securities document key, Assine Bem document id_externo, Signio id_transaccion. */
  envelopeId: string;
  /** Provider ids of the signers, by their index in the input. */
  signers: Array<{ index: number; providerSignerId: string }>;
  supportsReminders: boolean;
}

/** What a provider answers when it has sent the CCB; the activity adds the provider's name and capabilities. */
export type SentEnvelope = Pick<Envelope, 'envelopeId' | 'signers'>;

export type EnvelopeState = 'pending' | 'completed' | 'refused' | 'cancelled';
export type SignerState = 'pending' | 'signed' | 'refused';

export interface SignatureStatus {
  state: EnvelopeState;
  signers: Array<{ index: number; state: SignerState }>;
}

/**
 * What `cancel` did: the envelope was stopped; it had already closed at the provider (refused,
 * cancelled); every signer had signed, so it was left as it is (a signed CCB is never invalidated);
 * or the provider offers no way to stop it.
 */
export type CancelResult = 'cancelled' | 'already-closed' | 'signed' | 'not-supported';

/**
 * What a provider says about one signer's signature, where its document returns it: when it was
 * made, the provider's id of it, electronic or digital. Ids and times only, never who signed.
 */
export interface SignatureEvidence {
  index: number;
  signedAt?: string;
  signatureId?: string;
  signatureType?: 'electronic' | 'digital';
}

export interface SignedDocument {
  body: Readable;
  contentType: string;
  filename: string;
}

/** What a provider issues before anything is created (an upload identifier), kept in the workflow's history. */
export type Preparation = Record<string, unknown>;

/**
 * What a `send` for a request (its `key`, and the keys derived from the onboarding: the proposal's
 * document, the file identification, the envelope's name) left at the provider, found by those
 * keys alone: for a send whose answer was lost or garbled after the provider acted. `E` is the
 * envelope as it is carried: `SentEnvelope` from a provider, `Envelope` from the activity.
 */
export type FoundSend<E = SentEnvelope> =
  /**
   * Nothing. `conclusive`: the provider's lookups show what a send creates in every state; false
   * where they show only some (Assine Bem lists only documents awaiting a signature).
   */
  | { found: 'nothing'; conclusive: boolean }
  /**
   * Something the send created and did not finish: a Signio transaction still being built, a
   * Securities document with only some signers bound. `envelope` holds its id and the signers on it
   * so far, and can be passed to `status` and `cancel`; `what` says what it is (ids and states, no
   * personal data); `signable`: someone on it can sign already; `discardable`: `cancel` removes it.
   */
  | { found: 'partial'; envelope: E; what: string; signable: boolean; discardable: boolean }
  /** The envelope, with every signer on it: open (`pending`) or closed. */
  | { found: 'envelope'; envelope: E; state: EnvelopeState };

export interface SignatureProvider {
  /**
   * For a provider whose idempotency rests on an id it issues itself (Assine Bem's upload
   * identifier): gets that id, creating nothing. The workflow records the answer in its history
   * before `send`, so a `send` retried after a crash at any point reuses it, where an id kept
   * only in the activity's heartbeat could be lost between the upload and the next heartbeat.
   */
  prepare?(request: SigningRequest): Promise<Preparation>;
  /**
   * Sends the CCB for signature; called again with the same key, it returns the same envelope.
   * `checkpoint` keeps what a failed attempt already created (ids), for the next attempt to reuse;
   * it starts from the `prepare` answer, when there was one.
   */
  send(request: SigningRequest, checkpoint?: Checkpoint<Record<string, unknown>>): Promise<SentEnvelope>;
  /**
   * What a `send` for this request created, found by the keys the product derives, creating and
   * changing nothing: for a send that failed after the request may have reached the provider.
   * `preparation` is the `prepare` answer the workflow recorded, when there was one. A `send` called
   * again for the request (with a checkpoint whose `retry` is true) continues with what this finds.
   */
  findSent(request: SigningRequest, preparation?: Preparation): Promise<FoundSend>;
  status(envelope: SentEnvelope): Promise<SignatureStatus>;
  /** Reminds the signers who have not signed; returns how many were reminded. */
  remind(envelope: SentEnvelope): Promise<number>;
  /** Stops the envelope at the provider so nobody can sign it any more, unless every signer has signed. */
  cancel(envelope: SentEnvelope, reason: string): Promise<CancelResult>;
  /**
   * The envelope `envelopeId` (sent earlier for the same onboarding, e.g. by a run before a reset)
   * as this request's envelope, when it can still serve: open or signed. Undefined when it closed
   * without every signature (refused, cancelled) or no longer exists.
   */
  find(envelopeId: string, request: SigningRequest): Promise<SentEnvelope | undefined>;
  /** The signed PDF, streamed from the provider. */
  signedDocument(envelope: SentEnvelope): Promise<SignedDocument>;
  /**
   * Each signer's signature as the provider documents it (the evidence record, docs/evidence.md).
   * Absent where the provider's document returns nothing about a signature beyond its state.
   */
  signatureEvidence?(envelope: SentEnvelope): Promise<SignatureEvidence[]>;
  /** The hash the provider states for the signed file, where it states one. */
  documentHash?(envelope: SentEnvelope): Promise<string | undefined>;
}
