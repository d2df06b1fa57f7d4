/**
 * A parked onboarding: one waiting on signatures whose status checks have backed off to the
 * signature sweep's interval or longer. It stops checking by itself and leaves, in its memo, the
 * envelope and what it last knew of it; the sweep (src/activities/signature-sweep.ts) checks the
 * envelope and wakes the onboarding only when the provider says something it did not know.
 * Ids and states only: the memo is encrypted under the onboarding's data key all the same.
 */
import type { Envelope, EnvelopeState, SignatureStatus } from '../signing/contract';

/** The memo field the parked onboarding writes. */
export const PARKED_ENVELOPE_MEMO = 'parkedEnvelope';

export interface ParkedEnvelope {
  envelope: Envelope;
  /** The envelope's state when the onboarding last checked (always `pending`: it would not park otherwise). */
  state: EnvelopeState;
  /** The signers (by index) the onboarding knows to have signed. */
  signed: number[];
}

export function parkedEnvelopeOf(
  envelope: Envelope,
  signers: ReadonlyArray<{ index: number; state: string }>,
): ParkedEnvelope {
  return {
    envelope,
    state: 'pending',
    signed: signers.filter((s) => s.state === 'signed').map((s) => s.index),
  };
}

/** True when `current` says something the parked onboarding does not know: a new signature, a refusal, an end. */
export function changedSince(parked: ParkedEnvelope, current: SignatureStatus): boolean {
  if (current.state !== parked.state) return true;
  return current.signers.some(
    (s) => s.state === 'refused' || (s.state === 'signed' && !parked.signed.includes(s.index)),
  );
}
