/**
 * creditOnboarding: one durable workflow per credit applicant, from the Data Trust check to a
 * signed CCB. It reads as the business process: each stage is a named function, every provider
 * call is an activity, every wait a durable timer or a condition with a deadline, and the outcome
 * is always a typed value.
 */
import { CancellationScope, patched, workflowInfo } from '@temporalio/workflow';
import { ccbContentOf } from '../../domain/ccb';
import type { OnboardingInputDraft } from '../../domain/input';
import type { RunningOnboarding } from '../../activities/types';
import { DEFAULT_TENANT, type OnboardingOutcome } from '../../domain/onboarding';
import { isRefusedPayload } from '../../domain/refused-payload';
import type { CcbProposal, Envelope, Preparation } from '../../signing/contract';
import { ALL_QUEUED, DATA_TRUST, ProviderCalls, SECURITIES, inputCheck, workerChecks } from './calls';
import { countStarted } from './metrics';
import { patches } from './patches';
import { decide, decisionRecordOf } from './decision';
import { Inbox, listen } from './inbox';
import { end, endingOf } from './ending';
import { EventOutbox } from './events';
import { addEvidence } from './evidence';
import { Finished } from './outcome';
import { RepairableOnboarding } from './repair';
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

  const calls = new ProviderCalls();
  let finalizeSigned: (() => Promise<OnboardingOutcome>) | undefined;
  const onboard = async (): Promise<OnboardingOutcome> => {
    // A provider call that fails for good waits for an operator's repair (repair.ts), which may correct the input.
    const onboarding = new RepairableOnboarding(state, inbox, raw, await validate(state, calls, raw));
    const check = await onboarding.run(
      'identity_check',
      () => checkIdentity(state, calls, workflowId, onboarding.input, onboarding.corrections),
      () => lookUpIdentityCheck(state, calls, workflowId, onboarding.input, onboarding.corrections),
    );
    await decideOnApplicant(state, inbox, onboarding.input, check.score);
    await collectSmsToken({ workflowId, input: onboarding.input, state, inbox, calls, check });
    const proposal = await onboarding.run(
      'ccb_proposal',
      () => generateCcb(state, calls, onboarding.input),
      () => lookUpCcbProposal(state, calls, onboarding.input),
    );
    const sending: Sending = {};
    const envelope = await onboarding.run(
      'signing',
      () => sendForSignature(state, calls, signingRequest(workflowId, onboarding.input, proposal), sending),
      () => lookUpSent(state, calls, signingRequest(workflowId, onboarding.input, proposal), sending),
    );
    finalizeSigned = () => finalize(state, calls, onboarding.input, envelope, proposal);
    await awaitSignatures(state, inbox, calls, envelope, onboarding.input.policy);
    return onboarding.run('finalizing', finalizeSigned);
  };

  let outcome: OnboardingOutcome;
  try {
    outcome = await flow.run(onboard);
  } catch (err) {
    // Closing the envelope must run even while the workflow itself is being cancelled.
    outcome = await CancellationScope.nonCancellable(() =>
      end(state, calls, endingOf(err, state), () => finalizeSigned!()),
    );
  }
  await CancellationScope.nonCancellable(() => state.reportEnd(outcome));
  return outcome;
}

/**
 * The workflow's own check of its input (it may come from the Temporal CLI or another SDK), and
 * where each provider's calls go, as the worker's configuration says: asked once, recorded, and
 * kept for the onboarding's whole life whatever the workers' configuration says later.
 * Onboardings started before that carry their routes in the check's answer or, earlier still,
 * sent every provider's calls to its own queue.
 */
async function validate(
  state: OnboardingState,
  calls: ProviderCalls,
  raw: OnboardingInputDraft,
): Promise<RunningOnboarding> {
  state.enter('validating_input');
  if (isRefusedPayload(raw)) {
    // Its input was not encrypted for it (or not at all): nothing of it is read, nobody is called.
    throw new Finished('failed', `the onboarding's input was refused (${raw.refusedPayload})`);
  }
  // Asked before the check, in the first workflow task: a patch decided after a local activity's
  // answer can land in the next workflow task, where a replay would not see its marker in time.
  const routes = patched(patches.providerRoutes) ? await workerChecks.providerRoutes() : undefined;
  const { queuedProviders, ...input } = patched(patches.fewerWritesJitter)
    ? await workerChecks.validateOnboardingInput(raw)
    : await inputCheck.validateOnboardingInput(raw);
  calls.route(routes ?? (queuedProviders === undefined ? ALL_QUEUED : { queued: queuedProviders }));
  if (routes?.visibleStages === 'waits') state.writeWaitingStagesOnly();
  state.onboardingId = input.onboardingId;
  state.tenant = input.tenant ?? DEFAULT_TENANT;
  const events = routes?.events;
  if (events?.tenants.includes(state.tenant))
    state.publishTo(
      new EventOutbox({ onboardingId: input.onboardingId, tenant: state.tenant, policy: events.policy }),
    );
  const { name, version } = input.policy;
  if (name !== undefined) state.policy = { name, version };
  state.chooseSigningProvider(input.signingProvider);
  state.signers = input.signers.map((s, index) => ({ index, role: s.role, name: s.name, state: 'pending' }));
  state.smsToken.resendsLeft = input.policy.maxSmsTokenResends;
  countStarted(input.signingProvider);
  return input;
}

/**
 * Data Trust's identity and fraud check; its transaction also sends the first SMS token. A check
 * run again with a corrected applicant is a new transaction, under a reference of its own (10 and
 * up: resends count from 1).
 */
async function checkIdentity(
  state: OnboardingState,
  calls: ProviderCalls,
  workflowId: string,
  input: RunningOnboarding,
  corrections: number,
) {
  state.enter('identity_check');
  const check = await calls.forApplicant(DATA_TRUST).startIdentityCheck({
    workflowId,
    attempt: corrections === 0 ? 0 : 9 + corrections,
    applicant: input.applicant,
  });
  state.checked(check.transactionId);
  return check;
}

/** The policy decides by score; between its thresholds a person does. */
async function decideOnApplicant(
  state: OnboardingState,
  inbox: Inbox,
  input: RunningOnboarding,
  score: number,
): Promise<void> {
  const { policy } = input;
  const verdict = decide(score, policy);
  state.identity = { score, decision: verdict };
  state.decision = decisionRecordOf(state, verdict, score, policy);
  state.enter(
    'decision',
    state.policy && `by credit policy ${state.policy.name} version ${state.policy.version}`,
  );
  if (verdict === 'reject') {
    throw new Finished('rejected', `Data Trust score ${score} is below ${policy.rejectScoreBelow}`);
  }
  if (verdict === 'review') await awaitManualReview(state, inbox, policy);
}

/** The CCB as a Securities proposal, generated once per onboarding. */
async function generateCcb(state: OnboardingState, calls: ProviderCalls, input: RunningOnboarding) {
  state.enter('ccb_proposal');
  const proposal = await calls.to(SECURITIES).createCcbProposal({ ccb: ccbContentOf(input) });
  state.references.proposalId = proposal.proposalId;
  state.references.proposalNumber = proposal.number;
  state.references.documentKey = proposal.documentKey;
  return proposal;
}

/** What the CCB is sent with, and what a lookup of the send looks for. */
const signingRequest = (workflowId: string, input: RunningOnboarding, proposal: CcbProposal) => ({
  provider: input.signingProvider,
  key: workflowId,
  onboardingId: input.onboardingId,
  proposal,
  signers: input.signers.map((s, index) => ({ ...s, index })),
});
type SigningRequestOf = ReturnType<typeof signingRequest>;

/** The send's history across its runs: the ids the provider issued first, and whether it ran before. */
interface Sending {
  preparation?: Preparation;
  tried?: boolean;
}

/**
 * The CCB sent for signature with the provider the lender chose. Run again after a repair, the send
 * says so (`retry`): what the failed one made at the provider is continued, never made twice.
 */
async function sendForSignature(
  state: OnboardingState,
  providers: ProviderCalls,
  request: SigningRequestOf,
  sending: Sending,
): Promise<Envelope> {
  state.enter('signing');
  const calls = providers.to(request.provider);
  const retry = sending.tried === true ? { retry: true } : {};
  sending.tried = true;
  // The first run of this onboarding (no reset before it: a reset run keeps its chain's first run
  // id) has no earlier run to look for, and the send spares Temporal's visibility that query.
  const info = workflowInfo();
  const firstRun = info.runId === info.firstExecutionRunId ? { firstRun: true } : {};
  // A provider that issues its own ids gives them first; recorded here, a retried send reuses them.
  if (sending.preparation === undefined) {
    const first = await calls.sendForSignature({ ...request, mayPrepare: true, ...retry, ...firstRun });
    if (!('preparation' in first)) {
      state.sent(first);
      return first;
    }
    sending.preparation = first.preparation;
  }
  const envelope = (await calls.sendForSignature({
    ...request,
    preparation: sending.preparation,
    ...retry,
    ...firstRun,
  })) as Envelope;
  state.sent(envelope);
  return envelope;
}

/**
 * What a failed step made at a provider before its answer was lost, found by the keys the product
 * derives: recorded, so the outcome names it and an ending closes it (repair.ts asks, when it parks).
 * A lookup that fails says nothing was found: the onboarding still parks.
 */
async function lookUpIdentityCheck(
  state: OnboardingState,
  calls: ProviderCalls,
  workflowId: string,
  input: RunningOnboarding,
  corrections: number,
): Promise<string | undefined> {
  const attempt = corrections === 0 ? 0 : 9 + corrections;
  const found = await calls
    .statusChecks(DATA_TRUST)
    .findIdentityCheck({ workflowId, attempt, applicant: input.applicant })
    .catch(() => ({ transactionId: undefined }));
  if (found.transactionId === undefined) return undefined;
  state.checked(found.transactionId);
  return `Data Trust holds transaction ${found.transactionId}`;
}

async function lookUpCcbProposal(
  state: OnboardingState,
  calls: ProviderCalls,
  input: RunningOnboarding,
): Promise<string | undefined> {
  const { proposal } = await calls
    .statusChecks(SECURITIES)
    .findCcbProposal({ onboardingId: input.onboardingId })
    .catch(() => ({ proposal: undefined }));
  if (proposal === undefined) return undefined;
  state.references.proposalId = proposal.proposalId;
  state.references.proposalNumber = proposal.number;
  state.references.documentKey = proposal.documentKey;
  return `Securities holds proposal ${proposal.number}, with the terms it was created with`;
}

async function lookUpSent(
  state: OnboardingState,
  calls: ProviderCalls,
  request: SigningRequestOf,
  sending: Sending,
): Promise<string | undefined> {
  const found = await calls
    .statusChecks(request.provider)
    .findSentEnvelope({ ...request, ...(sending.preparation ? { preparation: sending.preparation } : {}) })
    .catch(() => undefined);
  if (found === undefined || (found.found === 'nothing' && found.conclusive)) return undefined;
  if (found.found === 'nothing') {
    // The provider's lookups do not show every state (Assine Bem lists only documents awaiting a
    // signature): what the send made may be there, so corrections could not be sure to reach it.
    return `${request.provider} may hold what the send made (its lookups do not show every state)`;
  }
  // Recorded as sent: an ending looks at it once more and closes it (or says it cannot be closed).
  state.sent(found.envelope);
  const what = found.found === 'partial' ? found.what : `an envelope (${found.state})`;
  return `${request.provider} holds ${what}: ${found.envelope.envelopeId}`;
}

/** The signed CCB registered in Securities where it was signed elsewhere. */
async function finalize(
  state: OnboardingState,
  calls: ProviderCalls,
  input: RunningOnboarding,
  envelope: Envelope,
  proposal: CcbProposal,
): Promise<OnboardingOutcome> {
  state.enter('finalizing');
  const finalized = await calls.documentTransfer(envelope.provider).finalizeSignedCcb({
    envelope,
    proposal,
    ccb: ccbContentOf(input),
  });
  if (finalized.ccbId) state.references.ccbId = finalized.ccbId;
  const outcome = state.finish('completed', finalized.note ?? 'the CCB is signed by every signer');
  return patched(patches.evidence) ? addEvidence(state, calls, envelope, outcome) : outcome;
}
