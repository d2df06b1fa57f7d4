/**
 * Needs attention, not failed: a provider call of a repairable step that fails for good (a refusal
 * a person can fix, a garbled answer, retries exhausted by an outage) parks the onboarding in
 * `needs_attention` until an operator acts through the `repair` update: retry the step, retry it
 * with corrected fields (checked as the input is), or abandon. The wait has the policy's deadline;
 * an onboarding parks at most `maxRepairs` times. Anything else that ends a step (a refusal of the
 * applicant, a cancel) ends the onboarding as before. docs/repair.md has the table.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  isCancellation,
  patched,
} from '@temporalio/workflow';
import type { OnboardingInputDraft } from '../../domain/input';
import {
  applyCorrections,
  correctableFields,
  correctedFieldNames,
  type Attention,
  type RepairAction,
  type RepairableStep,
} from '../../domain/repair';
import type { RunningOnboarding } from '../../activities/types';
import { workerChecks } from './calls';
import { describePrincipal } from './commands';
import { countNeedsAttention, countRepair } from './metrics';
import type { Inbox } from './inbox';
import { Finished, describeFailure } from './outcome';
import { patches } from './patches';
import type { OnboardingState } from './state';

/** Policies from before repairs name no limits: these apply (src/domain/credit-policy.ts has the same defaults). */
const DEFAULT_ATTENTION_TIMEOUT_MS = 3 * 86_400_000;
const DEFAULT_MAX_REPAIRS = 3;

/** What a repaired step runs with: the input, corrected or not, and how many times it was corrected. */
export class RepairableOnboarding {
  /** Corrected identity checks so far: each is a new Data Trust transaction. */
  corrections = 0;
  private parked = 0;

  constructor(
    private readonly state: OnboardingState,
    private readonly inbox: Inbox,
    private draft: OnboardingInputDraft,
    public input: RunningOnboarding,
  ) {}

  /**
   * Runs `step`; when its provider call fails for good, looks for what the failed call may have made
   * at the provider (`lookUp`: it answers what it found, recorded so an ending closes it), waits for
   * a repair and, on a retry, runs the step again (with the input as corrected). Onboardings started
   * before repairs end as they did.
   */
  async run<T>(
    step: RepairableStep,
    attempt: () => Promise<T>,
    lookUp?: () => Promise<string | undefined>,
  ): Promise<T> {
    for (;;) {
      try {
        return await attempt();
      } catch (err) {
        if (!isRepairable(err) || !patched(patches.repairs)) throw err;
        const { policy } = this.input;
        if (this.parked >= (policy.maxRepairs ?? DEFAULT_MAX_REPAIRS)) throw err;
        this.parked += 1;
        const made = lookUp ? await lookUp() : undefined;
        await this.awaitRepair(step, err, policy.attentionTimeoutMs ?? DEFAULT_ATTENTION_TIMEOUT_MS, made);
      }
    }
  }

  /**
   * `made`: what the failed call made at the provider, if anything. The provider keeps it as it was
   * made, so a retry continues with it and corrections could not reach it: only retry or abandon.
   */
  private async awaitRepair(
    step: RepairableStep,
    err: unknown,
    timeoutMs: number,
    made: string | undefined,
  ): Promise<void> {
    const { state, inbox } = this;
    const failure = made === undefined ? describeFailure(err) : `${describeFailure(err)}; ${made}`;
    const since = Date.now();
    const attention: Attention = {
      step,
      ...failedCall(err),
      failure,
      since: new Date(since).toISOString(),
      deadline: new Date(since + timeoutMs).toISOString(),
      actions: made === undefined ? actionsFor(step) : ['retry', 'abandon'],
    };
    state.attention = attention;
    state.enter('needs_attention', `${step}: ${failure}`);
    countNeedsAttention(step, attention.provider);
    for (;;) {
      const remaining = since + timeoutMs - Date.now();
      const asked =
        remaining > 0 &&
        (await condition(() => inbox.repair !== undefined, remaining, {
          summary: 'repair deadline',
        }));
      const request = inbox.repair;
      if (!asked || request === undefined) {
        throw new Finished('failed', `${failure}; nobody repaired it by ${attention.deadline}`);
      }
      const { command } = request;
      const by = describePrincipal(command.principal);
      countRepair(command.action, step);
      if (command.action === 'abandon') {
        state.repaired({ step, action: 'abandon', reason: command.reason, principal: command.principal });
        request.answer = { action: 'abandon', next: 'finished' };
        inbox.repair = undefined;
        throw new Finished('failed', `${failure}; abandoned by ${by}: ${command.reason}`);
      }
      if (command.action === 'correct' && command.corrections) {
        const corrected = applyCorrections(this.draft, command.corrections);
        let checked: RunningOnboarding;
        try {
          const { queuedProviders: _routes, ...admitted } =
            await workerChecks.validateOnboardingInput(corrected);
          checked = admitted;
        } catch (checkErr) {
          // The corrections do not make a valid input: the operator is told which fields, and the wait goes on.
          request.refusal = describeFailure(checkErr);
          inbox.repair = undefined;
          continue;
        }
        this.draft = corrected;
        // The policy and the routes stay the ones the onboarding started with.
        this.input = { ...checked, policy: this.input.policy };
        if (step === 'identity_check') this.corrections += 1;
        state.signers = this.input.signers.map((s, index) => ({
          index,
          role: s.role,
          name: s.name,
          state: state.signers[index]?.state ?? 'pending',
        }));
      }
      state.repaired({
        step,
        action: command.action,
        reason: command.reason,
        principal: command.principal,
        ...(command.action === 'correct' && command.corrections
          ? { corrected: correctedFieldNames(command.corrections) }
          : {}),
      });
      request.answer = { action: command.action, next: step };
      inbox.repair = undefined;
      state.attention = undefined;
      state.note('needs_attention', `${command.action} by ${by}`);
      return;
    }
  }
}

/** A provider call that failed for good; not a cancellation, not a verdict on the applicant. */
function isRepairable(err: unknown): boolean {
  return err instanceof ActivityFailure && !isCancellation(err);
}

/** The provider, call and status the failure names (src/activities/failures.ts puts them in its details). */
function failedCall(err: unknown): Pick<Attention, 'provider' | 'call' | 'status'> {
  let cause: unknown = err;
  while (cause instanceof ActivityFailure && cause.cause) cause = cause.cause;
  const details = cause instanceof ApplicationFailure ? cause.details?.[0] : undefined;
  if (typeof details !== 'object' || details === null) return {};
  const { provider, operation, status } = details as Record<string, unknown>;
  return {
    ...(typeof provider === 'string' ? { provider } : {}),
    ...(typeof operation === 'string' ? { call: operation } : {}),
    ...(typeof status === 'number' ? { status } : {}),
  };
}

const actionsFor = (step: RepairableStep): RepairAction[] =>
  Object.keys(correctableFields[step]).length > 0 ? ['retry', 'correct', 'abandon'] : ['retry', 'abandon'];
