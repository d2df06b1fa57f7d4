/**
 * One interface over the three ways a CCB gets signed. The workflow only sees the activity types
 * (Envelope, SignatureStatus); each implementation lives in its provider's folder (signing.ts) and
 * owns the idempotency of what it creates.
 */
import type { Readable } from 'node:stream';
import type { Envelope, SignatureStatus, SigningRequest } from '../activities/types';
import type { SigningProviderName } from '../domain/input';
import type { Checkpoint } from './ccb-document';

export interface SignedDocument {
  body: Readable;
  contentType: string;
  filename: string;
}

export interface SignatureProvider {
  readonly name: SigningProviderName;
  /** Whether `remind` does something at this provider. */
  readonly supportsReminders: boolean;
  /**
   * Sends the CCB for signature; called again with the same key, it returns the same envelope.
   * `checkpoint` keeps what a failed attempt already created (ids), for the next attempt to reuse.
   */
  send(request: SigningRequest, checkpoint?: Checkpoint<Record<string, unknown>>): Promise<Envelope>;
  status(envelope: Envelope): Promise<SignatureStatus>;
  /** Reminds the signers who have not signed; returns how many were reminded. */
  remind(envelope: Envelope): Promise<number>;
  /** Stops the envelope at the provider so nobody can sign it any more; false when there was nothing to stop. */
  cancel(envelope: Envelope, reason: string): Promise<boolean>;
  /** The signed PDF, streamed from the provider. */
  signedDocument(envelope: Envelope): Promise<SignedDocument>;
}
