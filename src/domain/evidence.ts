/**
 * The evidence record of a completed onboarding (docs/evidence.md): what a lender shows when a
 * signature is disputed (MP 2.200-2 art. 10 §2; the SMS token as BCB Circular 4.036/2020 accepts
 * it). It holds ids, times, hashes and the decision, never who the applicant is: no name, CPF,
 * phone, e-mail or address, and never the SMS token itself. Signed with Ed25519 (src/evidence/).
 *
 * The workflow imports only the types of this module (no zod in the workflow bundle).
 */
import { z } from 'zod';
import { signerRoles } from '../signing/contract';
import { stages } from './stage';

/** The version of the record's shape: a verifier reads the fields by it. */
export const EVIDENCE_FORMAT = 'credit-onboarding-evidence/1';

const iso = z.string().describe('ISO 8601 date and time.');
const id = z.string().min(1);

export const signerEvidenceSchema = z.object({
  /** Position in the onboarding input's `signers`. */
  index: z.number().int().nonnegative(),
  role: z.enum(signerRoles),
  /** The signing provider's id for the signer. */
  providerSignerId: id,
  /** When the provider says the signer signed, where its document returns it (Signio `fecha_firma`). */
  signedAt: z.string().optional(),
  /** The provider's id of the signature itself (Assine Bem `identificador_assinatura`). */
  signatureId: z.string().optional(),
  /** Electronic or digital (ICP-Brasil) signature, where the provider says which (Signio `tipo_firma`). */
  signatureType: z.enum(['electronic', 'digital']).optional(),
});
export type SignerEvidence = z.infer<typeof signerEvidenceSchema>;

export const evidenceSchema = z
  .object({
    format: z.literal(EVIDENCE_FORMAT),
    onboardingId: id,
    tenant: id,
    /** When the record was made: the onboarding had completed (workflow time). */
    completedAt: iso,
    signedDocument: z.object({
      /** SHA-256 (hex) of the signed CCB as the signing provider serves it for download. */
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      bytes: z.number().int().nonnegative(),
      /** The provider it was downloaded from. */
      provider: id,
      /** The hash the provider itself states for the file, where it states one (Assine Bem `hash_arquivo`). */
      providerHash: z.string().optional(),
    }),
    identityCheck: z.object({
      /** Every Data Trust transaction of the onboarding (one per SMS token sent), oldest first. */
      dataTrustTransactionIds: z.array(id).min(1),
      score: z.number(),
    }),
    decision: z.object({
      verdict: z.enum(['approve', 'review']),
      /** The credit policy that decided (onboardings from before policies were named have none). */
      policy: z.object({ name: id, version: z.number().int() }).optional(),
      /** A person's approval, when the policy sent the applicant to review: who by kind, not by name. */
      manualReview: z
        .object({ approved: z.boolean(), principalType: z.enum(['api-key', 'service', 'operator']) })
        .optional(),
    }),
    smsToken: z.object({
      /** When Data Trust answered `Valid`. The token itself is never kept. */
      validatedAt: iso,
      /** Tokens checked with Data Trust, over every token sent. */
      checks: z.number().int().nonnegative(),
      /** Tokens sent: the first and each resend. */
      tokensSent: z.number().int().positive(),
    }),
    signers: z.array(signerEvidenceSchema).min(1),
    references: z.object({
      signingProvider: id,
      envelopeId: id,
      proposalId: z.string().optional(),
      proposalNumber: z.string().optional(),
      documentKey: z.string().optional(),
      ccbId: z.string().optional(),
    }),
    /** The product's code that ran the onboarding: its Worker Versioning deployment and build id, if versioned. */
    build: z.object({
      deploymentName: z.string().optional(),
      buildId: z.string().optional(),
      versioned: z.boolean(),
    }),
    /** Every stage entered, with when (without the timeline's notes, which may name people). */
    timeline: z.array(z.object({ stage: z.enum(stages), at: iso })),
  })
  .meta({ id: 'Evidence' });
export type Evidence = z.infer<typeof evidenceSchema>;

export const signedEvidenceSchema = z
  .object({
    evidence: evidenceSchema,
    signature: z.object({
      alg: z.literal('Ed25519'),
      /** Which key signed it (EVIDENCE_SIGNING_KEY_ID): the public key to verify with. */
      keyId: id,
      /** The Ed25519 signature (base64) of the evidence as canonical JSON (keys sorted, no spaces). */
      value: z.string().min(1),
    }),
  })
  .meta({ id: 'SignedEvidence' });
export type SignedEvidence = z.infer<typeof signedEvidenceSchema>;

/**
 * What the workflow knows and hands to the `signEvidence` activity; the activity adds what only a
 * provider can say (the signed file's hash, each signature's evidence) and signs.
 */
export type EvidenceFacts = Omit<Evidence, 'format' | 'signedDocument' | 'signers' | 'references'> & {
  envelope: {
    provider: string;
    envelopeId: string;
    signers: Array<{ index: number; providerSignerId: string }>;
    supportsReminders: boolean;
  };
  signers: Array<{ index: number; role: SignerEvidence['role'] }>;
  references: Omit<Evidence['references'], 'signingProvider' | 'envelopeId'>;
};
