/**
 * What the Securities simulator holds, as the chaos run counts it. Every onboarding creates one
 * proposal with its rendered document; signing here binds the signer to that document with one
 * list; a provider whose signed CCB is registered in Securities (`securitiesRegistration`) adds one
 * bank credit note with a document of its own. Proposals and notes carry the onboarding's
 * proposal number; documents, signers and lists belong to the proposal or note that holds them.
 */
import { z } from 'zod';
import { proposalNumber } from '../../src/providers/idempotency';
import type { SigningProviderModules } from '../../src/providers/registry';
import type { HeldObjects } from '../simulator-module';

const documentSchema = z.object({ id: z.string(), key: z.string(), status: z.string() });
const stateSchema = z.object({
  counts: z.record(z.string(), z.number()),
  proposals: z.array(z.object({ number: z.string(), documents: z.array(documentSchema) })),
  documents: z.array(documentSchema),
  signers: z.array(z.object({ id: z.string() })),
  lists: z.array(z.object({ signer_id: z.string(), document_id: z.string() })),
  bankCreditNotes: z.array(z.object({ number: z.string(), documents: z.array(documentSchema) })),
});

type SigningProvider = SigningProviderModules[number];
const signsHere = (p: SigningProvider) => (p.name === 'securities' ? 1 : 0);
const registersNote = (p: SigningProvider) =>
  typeof p.capabilities.securitiesRegistration === 'object' ? 1 : 0;

export const securitiesObjects: HeldObjects = {
  keysOf: (onboardingId) => [proposalNumber(onboardingId)],
  read: (raw) => {
    const state = stateSchema.parse(raw);
    const documentKey = new Map<string, string>();
    for (const holder of [...state.proposals, ...state.bankCreditNotes])
      for (const d of holder.documents) documentKey.set(d.id, holder.number);
    const signerKey = new Map(state.lists.map((l) => [l.signer_id, documentKey.get(l.document_id)]));
    const bound = new Set(state.lists.map((l) => l.document_id));
    return {
      kinds: [
        {
          name: 'Securities proposals',
          expected: () => 1,
          keys: state.proposals.map((p) => p.number),
          counted: state.counts['proposals'],
        },
        {
          name: 'Securities documents',
          expected: (p) => 1 + registersNote(p),
          keys: state.documents.map((d) => documentKey.get(d.id)),
          counted: state.counts['documents'],
        },
        {
          name: 'Securities signers',
          expected: signsHere,
          // A signer bound to no document belongs to no onboarding.
          keys: state.signers.map((s) => signerKey.get(s.id)),
          counted: state.counts['signers'],
        },
        {
          name: 'Securities lists',
          expected: signsHere,
          keys: state.lists.map((l) => documentKey.get(l.document_id)),
          counted: state.counts['lists'],
        },
        {
          name: 'Securities bank credit notes',
          expected: registersNote,
          keys: state.bankCreditNotes.map((n) => n.number),
          counted: state.counts['bankCreditNotes'],
        },
      ],
      // Open: a proposal's document with signers bound that is neither signed nor refused.
      openEnvelopes: state.proposals.flatMap((p) =>
        p.documents
          .filter((d) => bound.has(d.id) && d.status === 'created')
          .map((d) => ({ envelopeId: d.key, key: p.number })),
      ),
    };
  },
};
