/**
 * creditOnboarding: one durable workflow per credit applicant, from the Data Trust check to a
 * signed CCB. It reads as the business process: each stage is a named function, every provider
 * call is an activity, every wait a durable timer or a condition with a deadline, and the outcome
 * is always a typed value.
 */
import { CancellationScope, patched, workflowInfo } from '@temporalio/workflow';
import { ccbContentOf } from '../../domain/ccb';
import type { OnboardingInput, OnboardingInputDraft } from '../../domain/input';
import type { OnboardingOutcome } from '../../domain/onboarding';
import type { CcbProposal, Envelope } from '../../signing/contract';
import {
  DATA_TRUST,
  SECURITIES,
  documentTransfer,
  inputCheck,
  localInputCheck,
  providerCalls,
  routeProviderCalls,
} from './activities';
import { countStarted } from './metrics';
import { PATCH_FEWER_WRITES_JITTER } from './patches';
import { decide } from './decision';
import { Inbox, listen } from './inbox';
import { end, endingOf } from './ending';
import { Finished } from './outcome';
import { awaitManualReview } from './review';
import { awaitSignatures } from './signatures';
import { collectSmsToken } from './sms-token';
import { OnboardingState } from './state';

export async function creditOnboarding(raw: OnboardingInputDraft): Promise<OnboardingOutcome> {
  const { workflowId } = workflowInfo();
  const state = new OnboardingState(workflowId);
  const inbox = new Inbox();
  // The whole flow runs in one scope, so the cancel signal and a Temporal cancellation take the same path.
  const flow = new CancellationScope();
  listen(state, inbox, flow);

  let finalizeSigned: (() => Promise<OnboardingOutcome>) | undefined;
  const onboard = async (): Promise<OnboardingOutcome> => {
    const input = await validate(state, raw);
    const check = await checkIdentity(state, workflowId, input);
    await decideOnApplicant(state, inbox, input, check.score);
    await collectSmsToken({ workflowId, input, state, inbox, check });
    const proposal = await generateCcb(state, workflowId, input);
    const envelope = await sendForSignature(state, workflowId, input, proposal);
    finalizeSigned = () => finalize(state, workflowId, input, envelope, proposal);
    await awaitSignatures(state, inbox, envelope, input.policy);
    return finalizeSigned();
  };

  try {
    return await flow.run(onboard);
  } catch (err) {
    // Closing the envelope must run even while the workflow itself is being cancelled.
    return CancellationScope.nonCancellable(() => end(state, endingOf(err, state), () => finalizeSigned!()));
  }
}

/** The workflow's own check of its input: it may come from the Temporal CLI or another SDK. */
async function validate(state: OnboardingState, raw: OnboardingInputDraft): Promise<OnboardingInput> {
  state.enter('validating_input');
  const { queuedProviders, ...input } = patched(PATCH_FEWER_WRITES_JITTER)
    ? await localInputCheck.validateOnboardingInput(raw)
    : await inputCheck.validateOnboardingInput(raw);
  routeProviderCalls(queuedProviders);
  state.onboardingId = input.onboardingId;
  state.chooseSigningProvider(input.signingProvider);
  state.signers = input.signers.map((s, index) => ({ index, role: s.role, name: s.name, state: 'pending' }));
  state.smsToken.resendsLeft = input.policy.maxSmsTokenResends;
  countStarted(input.signingProvider);
  return input;
}

/** Data Trust's identity and fraud check; its transaction also sends the first SMS token. */
async function checkIdentity(state: OnboardingState, workflowId: string, input: OnboardingInput) {
  state.enter('identity_check');
  const check = await providerCalls(DATA_TRUST).startIdentityCheck({
    workflowId,
    attempt: 0,
    applicant: input.applicant,
  });
  state.checked(check.transactionId);
  return check;
}

/** The policy decides by score; between its thresholds a person does. */
async function decideOnApplicant(
  state: OnboardingState,
  inbox: Inbox,
  input: OnboardingInput,
  score: number,
): Promise<void> {
  const { policy } = input;
  const verdict = decide(score, policy);
  state.identity = { score, decision: verdict };
  state.enter('decision');
  if (verdict === 'reject') {
    throw new Finished('rejected', `Data Trust score ${score} is below ${policy.rejectScoreBelow}`);
  }
  if (verdict === 'review') await awaitManualReview(state, inbox, policy);
}

/** The CCB as a Securities proposal, generated once per onboarding. */
async function generateCcb(state: OnboardingState, workflowId: string, input: OnboardingInput) {
  state.enter('ccb_proposal');
  const proposal = await providerCalls(SECURITIES).createCcbProposal({ ccb: ccbContentOf(input) });
  state.references.proposalId = proposal.proposalId;
  state.references.proposalNumber = proposal.number;
  state.references.documentKey = proposal.documentKey;
  return proposal;
}

/** The CCB sent for signature with the provider the lender chose. */
async function sendForSignature(
  state: OnboardingState,
  workflowId: string,
  input: OnboardingInput,
  proposal: CcbProposal,
): Promise<Envelope> {
  state.enter('signing');
  const calls = providerCalls(input.signingProvider);
  const request = {
    provider: input.signingProvider,
    key: workflowId,
    onboardingId: input.onboardingId,
    proposal,
    signers: input.signers.map((s, index) => ({ ...s, index })),
  };
  // A provider that issues its own ids gives them first; recorded here, a retried send reuses them.
  const first = await calls.sendForSignature({ ...request, mayPrepare: true });
  const envelope =
    'preparation' in first
      ? ((await calls.sendForSignature({ ...request, preparation: first.preparation })) as Envelope)
      : first;
  state.sent(envelope);
  return envelope;
}

/** The signed CCB registered in Securities where it was signed elsewhere. */
async function finalize(
  state: OnboardingState,
  workflowId: string,
  input: OnboardingInput,
  envelope: Envelope,
  proposal: CcbProposal,
): Promise<OnboardingOutcome> {
  state.enter('finalizing');
  const finalized = await documentTransfer(envelope.provider).finalizeSignedCcb({
    envelope,
    proposal,
    ccb: ccbContentOf(input),
  });
  if (finalized.ccbId) state.references.ccbId = finalized.ccbId;
  return state.finish('completed', finalized.note ?? 'the CCB is signed by every signer');
}
