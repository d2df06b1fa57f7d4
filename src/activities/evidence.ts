/**
 * The evidence record of a completed onboarding (docs/evidence.md): the workflow's facts, the
 * signed CCB's SHA-256 as its signing provider serves it, what the provider says of each signature;
 * signed here, where the key is, so the workflow never holds it. Only ids, times and hashes cross
 * workflow history.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { SigningProviderName } from '../domain/input';
import { EVIDENCE_FORMAT, evidenceSchema, type EvidenceFacts, type SignedEvidence } from '../domain/evidence';
import type { EvidenceKey } from '../evidence/keys';
import { signEvidence } from '../evidence/signature';
import type { SignatureProvider, SignedDocument } from '../signing/contract';
import { saveProgress } from './heartbeat';

/** SHA-256 and length of the document, read as a stream (it never sits whole in memory). */
async function hashOf(document: SignedDocument): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  let since = 0;
  for await (const chunk of document.body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    hash.update(buffer);
    bytes += buffer.length;
    since += buffer.length;
    if (since >= 256 * 1024) {
      since = 0;
      saveProgress({ bytes });
    }
  }
  return { sha256: hash.digest('hex'), bytes };
}

export function evidenceActivities(
  signing: Record<SigningProviderName, SignatureProvider>,
  key: EvidenceKey | undefined,
) {
  return {
    async signEvidence(facts: EvidenceFacts): Promise<SignedEvidence> {
      if (key === undefined) {
        throw ApplicationFailure.create({
          type: 'EvidenceKeyMissing',
          message: 'this worker has no evidence signing key (EVIDENCE_SIGNING_KEY)',
          nonRetryable: true,
        });
      }
      const { envelope, signers, references, ...known } = facts;
      const provider = signing[envelope.provider as SigningProviderName];
      const document = await hashOf(await provider.signedDocument(envelope));
      const providerHash = await provider.documentHash?.(envelope);
      const said = (await provider.signatureEvidence?.(envelope)) ?? [];
      const record = {
        format: EVIDENCE_FORMAT,
        ...known,
        signedDocument: {
          ...document,
          provider: envelope.provider,
          ...(providerHash ? { providerHash } : {}),
        },
        signers: signers.map(({ index, role }) => {
          const { signedAt, signatureId, signatureType } = said.find((s) => s.index === index) ?? {};
          const providerSignerId = envelope.signers.find((s) => s.index === index)?.providerSignerId ?? '';
          return { index, role, providerSignerId, signedAt, signatureId, signatureType };
        }),
        references: { signingProvider: envelope.provider, envelopeId: envelope.envelopeId, ...references },
      };
      const parsed = evidenceSchema.safeParse(record);
      if (!parsed.success) {
        throw ApplicationFailure.create({
          type: 'EvidenceInvalid',
          message: `the evidence record is incomplete: ${[...new Set(parsed.error.issues.map((i) => i.path.join('.')))].join(', ')}`,
          nonRetryable: true,
        });
      }
      return signEvidence(parsed.data, key);
    },
  };
}
