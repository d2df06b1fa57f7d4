/**
 * What a signing provider's folder exports: one object that names the provider, declares its
 * environment and its capabilities, and builds its `SignatureProvider`. The registry
 * (./registry.ts) lists these objects; the input schema, the configuration, the activities and the
 * simulators take the list of signing providers from it.
 */
import type { z } from 'zod';
import type { CcbDocumentSource } from '../signing/ccb-document';
import type { SignatureProvider } from '../signing/contract';
import type { CredentialRule, HttpEnv } from './env';
import type { WebhookAuth } from './webhook-auth';

export interface SigningCapabilities {
  /** `remind` notifies the signers who have not signed. */
  reminders: boolean;
  /** `cancel` stops an open envelope so that nobody can sign it any more. */
  cancel: boolean;
  /**
   * Where the signed CCB ends up in Securities: the proposal itself (`native`), a bank credit note
   * registered with this `signature_provider`, or nowhere (Securities does not accept the provider).
   */
  securitiesRegistration: 'native' | { signatureProvider: string } | 'none';
}

export interface SigningContext {
  /** The rendered CCB, for providers that fetch or upload it. */
  ccbDocuments: CcbDocumentSource;
}

export interface SigningProviderInstance {
  provider: SignatureProvider;
  /** Releases what the provider holds (HTTP agents, cached tokens). */
  close(): Promise<void>;
}

/** What a delivery names: the envelope (looked up in the `SigningEnvelopeId` search attribute) or the workflow itself. */
export interface WebhookReference {
  envelopeId?: string;
  workflowId?: string;
}

export interface SigningWebhook {
  /** How a delivery proves it is the provider's. */
  auth: WebhookAuth;
  /** The variable holding the shared secret (one of the provider's own variables). */
  secretVariable: string;
  /** What the delivery is about; undefined when its body is not the provider's. */
  referenceOf(body: unknown): WebhookReference | undefined;
}

export interface SigningProviderModule<Name extends string = string, Env extends z.ZodObject = z.ZodObject> {
  readonly name: Name;
  /** The provider's environment variables (merged into the product's configuration). */
  readonly env: Env;
  readonly credentials: CredentialRule;
  readonly capabilities: SigningCapabilities;
  /** The provider's notifications that a signature changed (`POST /webhooks/<name>`). */
  readonly webhook: SigningWebhook;
  create(env: z.infer<Env> & HttpEnv, context: SigningContext): SigningProviderInstance;
}

/** Declares a signing provider; the literal name is kept so the registry can type the list of names. */
export const defineSigningProvider = <Name extends string, Env extends z.ZodObject>(
  module: SigningProviderModule<Name, Env>,
): SigningProviderModule<Name, Env> => module;
