/**
 * Waiting on signatures: the status is checked on durable timers with a doubling backoff, at once
 * when a `signatureEvent` arrives, with reminders on the policy's interval where the provider can
 * remind, and at the deadline the envelope is cancelled at the provider.
 */
import { condition } from '@temporalio/workflow';
import type { Policy } from '../../domain/input';
import type { Envelope, SignatureStatus } from '../../signing/contract';
import { providerCalls } from './activities';
import type { Inbox } from './inbox';
import { Finished } from './outcome';
import type { OnboardingState } from './state';

/** Returns once every signer has signed; ends the onboarding as refused, failed or expired otherwise. */
export async function awaitSignatures(
  state: OnboardingState,
  inbox: Inbox,
  envelope: Envelope,
  policy: Policy,
): Promise<void> {
  state.enter('waiting_signatures');
  const signatureDeadline = Date.now() + policy.signatureDeadlineMs;
  let nextReminder = envelope.supportsReminders ? Date.now() + policy.reminderIntervalMs : Infinity;
  let backoff = policy.statusCheckInitialMs;
  const signature: NonNullable<OnboardingState['signature']> = {
    deadline: new Date(signatureDeadline).toISOString(),
    remindersSent: 0,
  };
  state.signature = signature;
  for (;;) {
    const current = await providerCalls.checkSignatures(envelope);
    recordSigners(state, current);
    if (current.state === 'completed') break;
    if (current.state === 'refused') {
      state.envelopeOpen = false;
      throw new Finished('refused', 'a signer refused to sign the CCB');
    }
    if (current.state === 'cancelled') {
      state.envelopeOpen = false;
      throw new Finished(
        'failed',
        `the envelope was cancelled at ${envelope.provider} outside the onboarding`,
      );
    }
    const wakeAt = Math.min(Date.now() + backoff, signatureDeadline, nextReminder);
    signature.nextCheck = new Date(wakeAt).toISOString();
    const woken = await awaitNextCheck(inbox, wakeAt);
    backoff = woken ? policy.statusCheckInitialMs : Math.min(backoff * 2, policy.statusCheckMaxMs);
    if (Date.now() >= signatureDeadline) {
      await closeAtDeadline(state, envelope);
      break;
    }
    if (Date.now() >= nextReminder) {
      const { reminded } = await providerCalls.remindSigners(envelope);
      signature.remindersSent += reminded > 0 ? 1 : 0;
      nextReminder += policy.reminderIntervalMs;
    }
  }
  for (const s of state.signers) s.state = 'signed';
  state.envelopeOpen = false;
  signature.nextCheck = undefined;
}

function recordSigners(state: OnboardingState, current: SignatureStatus): void {
  for (const s of current.signers) {
    const signer = state.signers.find((x) => x.index === s.index);
    if (signer) signer.state = s.state;
  }
}

/** Sleeps until `wakeAt` or a `signatureEvent`; true when an event woke it. */
async function awaitNextCheck(inbox: Inbox, wakeAt: number): Promise<boolean> {
  const woken = await condition(() => inbox.signatureEventPending, Math.max(0, wakeAt - Date.now()), {
    summary: 'next signature check',
  });
  inbox.signatureEventPending = false;
  return woken;
}

/** A last look at the deadline (a signature may have landed while the workflow slept); else cancel and expire. */
async function closeAtDeadline(state: OnboardingState, envelope: Envelope): Promise<void> {
  const last = await providerCalls.checkSignatures(envelope);
  if (last.state === 'completed') return;
  await providerCalls.cancelEnvelope({ envelope, reason: 'signature deadline passed' });
  state.envelopeOpen = false;
  throw new Finished('expired', 'the signatures were not all collected before the deadline');
}
