/**
 * What the Assine Bem simulator holds, as the chaos run counts it: an onboarding signing here
 * uploads one document (named with its `fileIdentification`) with one party per signer. A document
 * is open until it is signed, invalidated or refused.
 */
import { z } from 'zod';
import { fileIdentification } from '../../src/providers/assinebem/signing';
import { DOCUMENT_STATUS, isFinalDocumentStatus } from '../../src/providers/assinebem/statuses';
import type { HeldObjects } from '../simulator-module';

const stateSchema = z.object({
  counts: z.record(z.string(), z.number()),
  documents: z.array(
    z.object({
      id_externo: z.string(),
      identificacao_arquivo: z.string(),
      id_documento_status: z.literal(Object.values(DOCUMENT_STATUS)),
      lista_partes: z.array(z.unknown()),
    }),
  ),
});

const signsHere = (p: { name: string }) => (p.name === 'assinebem' ? 1 : 0);

export const assineBemObjects: HeldObjects = {
  keysOf: (onboardingId) => [fileIdentification(onboardingId)],
  read: (raw) => {
    const { counts, documents } = stateSchema.parse(raw);
    return {
      kinds: [
        {
          name: 'Assine Bem documents',
          expected: signsHere,
          keys: documents.map((d) => d.identificacao_arquivo),
          counted: counts['documents'],
        },
        {
          name: 'Assine Bem parties',
          expected: signsHere,
          keys: documents.flatMap((d) => d.lista_partes.map(() => d.identificacao_arquivo)),
          counted: counts['parties'],
        },
      ],
      openEnvelopes: documents
        .filter((d) => !isFinalDocumentStatus(d.id_documento_status))
        .map((d) => ({ envelopeId: d.id_externo, key: d.identificacao_arquivo })),
    };
  },
};
