/**
 * Waiting on signatures: the status is checked on durable timers with a doubling, jittered backoff, at once
 * when a `signatureEvent` arrives, with reminders on the policy's interval where the provider can
 * remind. At the deadline the onboarding ends as expired, and the envelope is closed on the way out
 * (see ending.ts: looked at once more, then cancelled).
 *
 * Where the signature sweep runs (the routes say so) and the backoff has reached the policy's
 * maximum, no shorter than the sweep's interval, the onboarding parks: it writes its envelope to its
 * memo and sleeps until a `signatureEvent` (a webhook, or the sweep having seen a change), a
 * reminder, the deadline or its daily check of its own, so a parked onboarding costs no workflow
 * task while nothing changes (docs/signature-sweep.md).
 */
import { condition, isCancellation, patched, upsertMemo } from '@temporalio/workflow';
import type { Policy } from '../../domain/input';
import type { Envelope, SignatureStatus } from '../../signing/contract';
import { PARKED_ENVELOPE_MEMO, parkedEnvelopeOf } from '../../domain/parked-envelope';
import type { ProviderCalls } from './calls';
import type { Inbox } from './inbox';
import { Finished, describeFailure } from './outcome';
import { patches } from './patches';
import type { OnboardingState } from './state';

/** A parked onboarding still checks by itself this often, should the sweep and every webhook stop. */
export const PARKED_SELF_CHECK_MS = 24 * 3_600_000;

/** Returns once every signer has signed; ends the onboarding as refused, failed or expired otherwise. */
export async function awaitSignatures(
  state: OnboardingState,
  inbox: Inbox,
  calls: ProviderCalls,
  envelope: Envelope,
  policy: Policy,
): Promise<void> {
  state.enter('waiting_signatures');
  const signatureDeadline = Date.now() + policy.signatureDeadlineMs;
  let nextReminder = envelope.supportsReminders ? Date.now() + policy.reminderIntervalMs : Infinity;
  let backoff = policy.statusCheckInitialMs;
  // Workflow code's Math.random is seeded per run: the same draws on replay. An input validated
  // before the policy had a jitter carries none.
  const jitter = patched(patches.fewerWritesJitter) ? (policy.statusCheckJitter ?? 0) : 0;
  const signature: NonNullable<OnboardingState['signature']> = {
    deadline: new Date(signatureDeadline).toISOString(),
    remindersSent: 0,
  };
  state.signature = signature;
  const local = patched(patches.localStatusChecks);
  const sweepMs = calls.signatureSweepMs();
  const mayPark = sweepMs !== undefined && policy.statusCheckMaxMs >= sweepMs;
  let parkedMemo: string | undefined;
  for (;;) {
    const current = await checkSignatures(state, calls, envelope, local);
    if (current?.state === 'completed') break;
    if (current?.state === 'refused') {
      state.envelopeOpen = false;
      throw new Finished('refused', 'a signer refused to sign the CCB');
    }
    if (current?.state === 'cancelled') {
      state.envelopeOpen = false;
      throw new Finished(
        'failed',
        `the envelope was cancelled at ${envelope.provider} outside the onboarding`,
      );
    }
    const parked = mayPark && backoff >= policy.statusCheckMaxMs;
    if (parked) parkedMemo = park(state, envelope, parkedMemo);
    const wait = parked ? PARKED_SELF_CHECK_MS : backoff * (1 + jitter * (2 * Math.random() - 1));
    const wakeAt = Math.min(Date.now() + wait, signatureDeadline, nextReminder);
    signature.nextCheck = new Date(wakeAt).toISOString();
    signature.parked = parked || undefined;
    state.showDetails();
    const woken = await awaitNextCheck(inbox, wakeAt, parked);
    backoff = woken ? policy.statusCheckInitialMs : Math.min(backoff * 2, policy.statusCheckMaxMs);
    if (Date.now() >= signatureDeadline) {
      throw new Finished('expired', 'the signatures were not all collected before the deadline', {
        closeReason: 'signature deadline passed',
      });
    }
    if (Date.now() >= nextReminder) {
      await remindSigners(state, calls, envelope);
      nextReminder += policy.reminderIntervalMs;
    }
  }
  for (const s of state.signers) s.state = 'signed';
  state.envelopeOpen = false;
  signature.nextCheck = undefined;
  signature.parked = undefined;
}

/**
 * Leaves the envelope and what is known of it where the sweep reads it; written only when it
 * changed since the last time (each write is a history event and a visibility update).
 */
function park(state: OnboardingState, envelope: Envelope, written: string | undefined): string {
  const parked = parkedEnvelopeOf(envelope, state.signers);
  const memo = JSON.stringify(parked);
  if (memo !== written) upsertMemo({ [PARKED_ENVELOPE_MEMO]: parked });
  return memo;
}

/** One status check; undefined when it failed after its retries (the wait goes on to the next check). */
async function checkSignatures(
  state: OnboardingState,
  calls: ProviderCalls,
  envelope: Envelope,
  local: boolean,
): Promise<SignatureStatus | undefined> {
  try {
    const current = await calls.waitingStatusChecks(envelope.provider, local).checkSignatures(envelope);
    for (const s of current.signers) {
      const signer = state.signers.find((x) => x.index === s.index);
      if (signer) signer.state = s.state;
    }
    if (state.signature) state.signature.lastFailure = undefined;
    return current;
  } catch (err) {
    if (isCancellation(err)) throw err;
    if (state.signature) state.signature.lastFailure = `status check: ${describeFailure(err)}`;
    return undefined;
  }
}

/** Reminds the signers who have not signed; a reminder that fails is recorded, not fatal. */
async function remindSigners(
  state: OnboardingState,
  calls: ProviderCalls,
  envelope: Envelope,
): Promise<void> {
  const signature = state.signature!;
  try {
    const { reminded } = await calls.to(envelope.provider).remindSigners(envelope);
    signature.remindersSent += reminded > 0 ? 1 : 0;
  } catch (err) {
    if (isCancellation(err)) throw err;
    signature.lastFailure = `reminder: ${describeFailure(err)}`;
  }
}

/** Sleeps until `wakeAt` or a `signatureEvent`; true when an event woke it. */
async function awaitNextCheck(inbox: Inbox, wakeAt: number, parked: boolean): Promise<boolean> {
  // At least 1 ms: a timeout of 0 would make the SDK record a patch of its own.
  const woken = await condition(() => inbox.signatureEventPending, Math.max(1, wakeAt - Date.now()), {
    summary: parked ? 'parked: the signature sweep watches the envelope' : 'next signature check',
  });
  inbox.signatureEventPending = false;
  return woken;
}
