/**
 * What the Signio simulator holds, as the chaos run counts it: an onboarding signing here creates
 * one transaction (envelope) with one document, and one contact and one link per signer. A
 * transaction belongs to the workflow named before the `~` of its `external_id`; it is open while
 * it is not deleted and can still be signed, or is a draft not yet sent.
 */
import { z } from 'zod';
import { workflowIdFor } from '../../src/messages';
import type { HeldObjects } from '../simulator-module';

/** En Elaboración, Pendiente de Firma, Suspendida, En Captura de Datos (src/providers/signio/statuses.ts). */
const OPEN_STATES = new Set([1, 2, 6, 7]);

const stateSchema = z.object({
  counts: z.record(z.string(), z.number()),
  transactions: z.array(
    z.object({
      id: z.string(),
      external_id: z.string().nullish(),
      estado: z.number(),
      deleted: z.boolean(),
      documents: z.array(z.unknown()),
      contacts: z.array(z.unknown()),
      links: z.array(z.unknown()),
    }),
  ),
});

const signsHere = (p: { name: string }) => (p.name === 'signio' ? 1 : 0);

export const signioObjects: HeldObjects = {
  keysOf: (onboardingId) => [workflowIdFor(onboardingId)],
  read: (raw) => {
    const { counts, transactions } = stateSchema.parse(raw);
    const keyOf = (t: (typeof transactions)[number]) => t.external_id?.split('~')[0];
    const each = (list: (t: (typeof transactions)[number]) => unknown[]) =>
      transactions.flatMap((t) => list(t).map(() => keyOf(t)));
    return {
      kinds: [
        {
          name: 'Signio transactions',
          expected: signsHere,
          keys: transactions.map(keyOf),
          counted: counts['transactions'],
        },
        {
          name: 'Signio documents',
          expected: signsHere,
          keys: each((t) => t.documents),
          counted: counts['documents'],
        },
        {
          name: 'Signio signers',
          expected: signsHere,
          keys: each((t) => t.contacts),
          counted: counts['signers'],
        },
        { name: 'Signio links', expected: signsHere, keys: each((t) => t.links), counted: counts['links'] },
      ],
      openEnvelopes: transactions
        .filter((t) => !t.deleted && OPEN_STATES.has(t.estado))
        .map((t) => ({ envelopeId: t.id, key: keyOf(t) })),
    };
  },
};
