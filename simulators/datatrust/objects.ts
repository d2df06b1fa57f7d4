/**
 * What the Data Trust simulator holds, as the chaos run counts it: an onboarding whose token is
 * not resent creates one transaction and sends one SMS, whatever it signs with. A transaction, and
 * its SMS, belong to the onboarding whose reference it carries (`AdditionalInformation.Transaction`).
 */
import { z } from 'zod';
import { workflowIdFor } from '../../src/messages';
import { dataTrustReference } from '../../src/providers/idempotency';
import type { HeldObjects } from '../simulator-module';

/** The most `maxSmsTokenResends` an onboarding's policy allows (src/domain/input.ts). */
const MAX_RESENDS = 5;

const stateSchema = z.object({
  counts: z.record(z.string(), z.number()),
  transactions: z.array(
    z.object({ ID: z.string(), AdditionalInformation: z.object({ Transaction: z.unknown() }).nullish() }),
  ),
  sms: z.array(z.object({ transactionId: z.string() })),
});

export const dataTrustObjects: HeldObjects = {
  keysOf: (onboardingId) =>
    Array.from({ length: MAX_RESENDS + 1 }, (_, attempt) =>
      dataTrustReference(workflowIdFor(onboardingId), attempt),
    ),
  read: (raw) => {
    const state = stateSchema.parse(raw);
    const keyOf = new Map(
      state.transactions.map((t) => {
        const reference = t.AdditionalInformation?.Transaction;
        return [t.ID, typeof reference === 'string' ? reference : undefined];
      }),
    );
    return {
      kinds: [
        {
          name: 'Data Trust transactions',
          expected: () => 1,
          keys: state.transactions.map((t) => keyOf.get(t.ID)),
          counted: state.counts['transactions'],
        },
        {
          name: 'Data Trust SMS sent',
          expected: () => 1,
          keys: state.sms.map((s) => keyOf.get(s.transactionId)),
          counted: state.counts['smsSent'],
        },
      ],
      openEnvelopes: [],
    };
  },
};
