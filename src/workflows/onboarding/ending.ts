/**
 * How the onboarding ends when it does not complete: a stage ended it (refused, rejected, expired),
 * an activity failed for good, or it was cancelled. No ending leaves a provider in a state the
 * outcome does not say: an envelope that may still be signed is looked at once more; if every
 * signer has signed after all, the onboarding goes on to finalize; otherwise it is cancelled at the
 * provider where the provider allows it, and the outcome says what was done (or could not be).
 */
import { isCancellation } from '@temporalio/workflow';
import type { OnboardingOutcome, OutcomeStatus } from '../../domain/onboarding';
import type { CancelResult, Envelope } from '../../signing/contract';
import type { ProviderCalls } from './calls';
import { Finished, describeFailure } from './outcome';
import type { OnboardingState } from './state';

export interface Ending {
  status: OutcomeStatus;
  reason: string;
  /** What the provider is told if the envelope has to be cancelled. */
  closeReason: string;
}

/** What ended the onboarding, from what was thrown out of the flow. */
export function endingOf(err: unknown, state: OnboardingState): Ending {
  if (err instanceof Finished) {
    return { status: err.status, reason: err.reason, closeReason: err.options.closeReason ?? err.reason };
  }
  if (isCancellation(err)) {
    return {
      status: 'cancelled',
      reason: state.cancelReason ?? 'the workflow was cancelled',
      closeReason: 'onboarding cancelled',
    };
  }
  return { status: 'failed', reason: describeFailure(err), closeReason: 'onboarding failed' };
}

/**
 * Ends the onboarding with `ending`, after closing an open envelope. `finalize` registers a CCB that
 * turned out to be signed by everyone.
 */
export async function end(
  state: OnboardingState,
  calls: ProviderCalls,
  ending: Ending,
  finalize: () => Promise<OnboardingOutcome>,
): Promise<OnboardingOutcome> {
  if (ending.status === 'cancelled') state.enter('compensating');
  const notes: string[] = [];
  const { envelope } = state;
  if (envelope && state.envelopeOpen) {
    const closed = await closeEnvelope(calls, envelope, ending.closeReason);
    if (closed === 'signed') {
      state.envelopeOpen = false;
      for (const s of state.signers) s.state = 'signed';
      state.note(state.stage, `every signer had signed (${ending.reason})`);
      try {
        return await finalize();
      } catch (err) {
        return state.finish('failed', `${describeFailure(err)}; ${notFinalized(envelope)}`);
      }
    }
    state.envelopeOpen = closed.open;
    notes.push(closed.note);
  } else if (envelope && ending.status === 'failed' && state.signers.every((s) => s.state === 'signed')) {
    notes.push(notFinalized(envelope));
  }
  return state.finish(ending.status, [ending.reason, ...notes].join('; '));
}

const notFinalized = (envelope: Envelope): string =>
  `the CCB is signed at ${envelope.provider} (envelope ${envelope.envelopeId}) but was not finalized`;

/** A last look, then a cancel; `signed` when every signer has signed (the envelope is left as it is). */
async function closeEnvelope(
  calls: ProviderCalls,
  envelope: Envelope,
  closeReason: string,
): Promise<'signed' | { open: boolean; note: string }> {
  const where = `envelope ${envelope.envelopeId} at ${envelope.provider}`;
  try {
    const last = await calls.statusChecks(envelope.provider).checkSignatures(envelope);
    if (last.state === 'completed') return 'signed';
    if (last.state !== 'pending') return { open: false, note: `${where} had already closed (${last.state})` };
  } catch {
    // Could not look: the cancel below reads the envelope itself and never cancels a signed one.
  }
  let result: CancelResult;
  try {
    ({ result } = await calls.to(envelope.provider).cancelEnvelope({ envelope, reason: closeReason }));
  } catch (err) {
    return { open: true, note: `${where} could not be cancelled: ${describeFailure(err)}` };
  }
  switch (result) {
    case 'signed':
      return 'signed';
    case 'cancelled':
      return { open: false, note: `envelope ${envelope.envelopeId} cancelled at ${envelope.provider}` };
    case 'already-closed':
      return { open: false, note: `${where} had already closed` };
    case 'not-supported':
      return {
        open: true,
        note: `${envelope.provider} offers no way to cancel ${where.replace(/ at .*/, '')}: its signers can still sign it`,
      };
  }
}
