/**
 * What the onboarding knows about itself: the stage it is in, what the `status` query reads, the
 * references it collected and the outcome. Entering a stage is recorded in the timeline and in the
 * `OnboardingStage` search attribute.
 */
import type { EventOutbox } from './events';
import { log, patched, setCurrentDetails } from '@temporalio/workflow';
import type { SigningProviderName } from '../../domain/input';
import {
  DEFAULT_TENANT,
  type CancelCommand,
  type OnboardingOutcome,
  type OnboardingStatus,
  type OutcomeStatus,
  type ProviderReferences,
  type RefusedCommand,
  type SignerStatus,
  type Stage,
  type TimelineEntry,
} from '../../domain/onboarding';
import {
  dataTrustTransactionIdsKey,
  onboardingOutcomeKey,
  signingEnvelopeIdKey,
  signingProviderKey,
} from '../../search-attributes';
import type { Attention, RepairRecord } from '../../domain/repair';
import type { Envelope } from '../../signing/contract';
import { EveryChange, OnlyChanges, type AttributePair, type AttributeWriter } from './attribute-writer';
import { countEnded, countRefused, recordStageTime } from './metrics';
import { patches } from './patches';

/** Data Trust allows three tries per token (docs/providers/datatrust.md: Incorrect up to 3 tries, then Invalid). */
export const TOKEN_TRIES = 3;
const MAX_REFUSED_KEPT = 20;

export class OnboardingState {
  stage: Stage = 'validating_input';
  /** Whose onboarding this is: set from the checked input (the default tenant for ones started before tenants). */
  tenant: string = DEFAULT_TENANT;
  policy: OnboardingStatus['policy'];
  /** Workflow time: when the current stage was entered (for the stage-duration metric). */
  private stageEnteredAt = Date.now();
  signingProvider: SigningProviderName | undefined;
  identity: OnboardingStatus['identity'];
  signers: SignerStatus[] = [];
  readonly smsToken: OnboardingStatus['smsToken'] = { attemptsLeft: TOKEN_TRIES, resendsLeft: 0 };
  review: OnboardingStatus['review'];
  decision: OnboardingStatus['decision'];
  signature: OnboardingStatus['signature'];
  readonly references: ProviderReferences = {};
  readonly timeline: TimelineEntry[] = [];
  outcome: OnboardingOutcome | undefined;
  /** Set by the `cancel` signal. */
  cancelReason: string | undefined;
  /** The accepted cancel, with who sent it (onboardings started before commands named one have none). */
  cancel: CancelCommand | undefined;
  /** The last messages refused, newest last. */
  private readonly refusedCommands: RefusedCommand[] = [];
  /** Why it waits in needs_attention (repair.ts), while it does. */
  attention: Attention | undefined;
  private readonly repairs: RepairRecord[] = [];
  /** The envelope sent for signature, and whether it may still be signed (so an ending must close it). */
  envelope: Envelope | undefined;
  envelopeOpen = false;
  /** Provider references not yet in the search attributes: they ride on the next upsert. */
  private readonly unrecorded = new Set<'envelope' | 'transactions'>();
  private readonly transactions: string[] = [];
  /** For the evidence record: tokens checked, and when one was valid (never the token). */
  readonly smsTokenTrail: { checks: number; validatedAt?: string } = { checks: 0 };
  /** Every Data Trust transaction (each sent an SMS token), oldest first. */
  get dataTrustTransactions(): readonly string[] {
    return this.transactions;
  }

  /** Where each change of stage goes as an event (events.ts): only for a tenant with an endpoint. */
  private outbox: EventOutbox | undefined;

  /** The workflow id until the input is validated (a refused id is never echoed), then the onboarding id. */
  constructor(public onboardingId: string) {}

  private writer: AttributeWriter | undefined;

  /** Chosen at the first write, where onboardings started before it took the patch's marker. */
  private get attributes(): AttributeWriter {
    this.writer ??= patched(patches.fewerWritesJitter) ? new OnlyChanges() : new EveryChange();
    return this.writer;
  }

  /** Visibility shows only the stages where it waits, and its end (attribute-writer.ts). */
  writeWaitingStagesOnly(): void {
    if (this.attributes instanceof OnlyChanges) this.attributes.writeWaitsOnly();
  }

  enter(next: Stage, note?: string): void {
    if (this.timeline.length > 0) recordStageTime(this.stage, Date.now() - this.stageEnteredAt);
    this.stageEnteredAt = Date.now();
    this.stage = next;
    this.note(next, note);
    this.attributes.stage(next, this.takeUnrecorded());
    this.showDetails();
    this.publish(next, note);
  }

  /** From now on, each change of stage is an event for the tenant's backend. */
  publishTo(outbox: EventOutbox): void {
    this.outbox = outbox;
  }

  /** The end: the outcome's event (with the evidence a completed one has), handed over before the onboarding ends. */
  async reportEnd(outcome: OnboardingOutcome): Promise<void> {
    if (this.outbox === undefined) return;
    const { timeline: _timeline, ...told } = outcome;
    this.outbox.add({ type: 'onboarding.finished', stage: 'finished', note: outcome.status, outcome: told });
    await this.outbox.handedOver();
  }

  private publish(stage: Stage, note: string | undefined): void {
    // The outcome's event is made by reportEnd, once the outcome is whole.
    if (this.outbox === undefined || stage === 'finished') return;
    const said = note ? { note } : {};
    if (stage === 'needs_attention' && this.attention) {
      const { step, provider, call, status, failure, deadline, actions } = this.attention;
      const attention = { step, provider, call, status, failure, deadline, actions: [...actions] };
      this.outbox.add({ type: 'onboarding.needs_attention', stage, ...said, attention });
    } else this.outbox.add({ type: 'onboarding.stage_changed', stage, ...said });
  }

  /** The envelope sent for signature: recorded with the next stage change. */
  sent(envelope: Envelope): void {
    this.envelope = envelope;
    this.envelopeOpen = true;
    this.references.envelopeId = envelope.envelopeId;
    this.unrecorded.add('envelope');
  }

  /** A Data Trust transaction (one per SMS token sent): recorded with the next upsert. */
  checked(transactionId: string): void {
    this.references.dataTrustTransactionId = transactionId;
    this.transactions.push(transactionId);
    this.unrecorded.add('transactions');
  }

  /** Records what is waiting now, without a change of stage (a resent token's new transaction). */
  recordReferences(): void {
    this.attributes.references(this.takeUnrecorded());
  }

  /**
   * Provider references ride in the search attributes, so a provider's webhook finds its onboarding
   * and a run after a reset finds the envelope an earlier run sent (see src/activities/earlier-runs.ts).
   */
  private takeUnrecorded(): AttributePair[] {
    const attributes: AttributePair[] = [];
    if (this.unrecorded.has('envelope') && this.envelope) {
      attributes.push({ key: signingEnvelopeIdKey, value: this.envelope.envelopeId });
    }
    if (this.unrecorded.has('transactions')) {
      attributes.push({ key: dataTrustTransactionIdsKey, value: [...this.transactions] });
    }
    this.unrecorded.clear();
    return attributes;
  }

  /** The Web UI's current details: the stage and its deadlines (no personal data). */
  showDetails(): void {
    const lines = [`**Stage** ${this.stage}`];
    if (this.stage === 'sms_token' && this.smsToken.deadline) {
      lines.push(
        `**SMS token** ${this.smsToken.attemptsLeft} tries left, deadline ${this.smsToken.deadline}`,
      );
    }
    if (this.stage === 'manual_review' && this.review)
      lines.push(`**Review deadline** ${this.review.deadline}`);
    if (this.signature && this.stage === 'waiting_signatures') {
      const signed = this.signers.filter((s) => s.state === 'signed').length;
      lines.push(`**Signed** ${signed} of ${this.signers.length} · **deadline** ${this.signature.deadline}`);
      if (this.signature.nextCheck) lines.push(`**Next check** ${this.signature.nextCheck}`);
      if (this.signature.parked) lines.push('**Parked** the signature sweep watches the envelope');
      if (this.signature.lastFailure) lines.push(`**Last failure** ${this.signature.lastFailure}`);
    }
    if (this.stage === 'needs_attention' && this.attention) {
      const { step, provider, call, status, failure, deadline, actions } = this.attention;
      const where = [provider, call, status === undefined ? undefined : `HTTP ${status}`].filter(Boolean);
      lines.push(`**Needs attention** ${step}${where.length > 0 ? ` (${where.join(' ')})` : ''}: ${failure}`);
      lines.push(`**Repair** ${actions.join(', ')} (the \`repair\` update) · **deadline** ${deadline}`);
    }
    if (this.outcome) lines.push(`**Outcome** ${this.outcome.status}`);
    setCurrentDetails(lines.join('\n\n'));
  }

  /** A line in the timeline without a change of stage. */
  note(stage: Stage, note?: string): void {
    this.timeline.push({ stage, at: new Date().toISOString(), ...(note ? { note } : {}) });
  }

  chooseSigningProvider(name: SigningProviderName): void {
    this.signingProvider = name;
    this.attributes.provider({ key: signingProviderKey, value: name });
  }

  finish(status: OutcomeStatus, reason: string): OnboardingOutcome {
    this.attributes.outcome({ key: onboardingOutcomeKey, value: status });
    this.enter('finished', status);
    countEnded(status, this.signingProvider);
    this.outcome = {
      status,
      reason,
      onboardingId: this.onboardingId,
      signingProvider: this.signingProvider,
      references: { ...this.references },
      timeline: this.timeline,
    };
    this.showDetails();
    return this.outcome;
  }

  /** A repair taken (repair.ts): kept in the status and the timeline. */
  repaired(record: Omit<RepairRecord, 'at'>): void {
    this.repairs.push({ ...record, at: new Date().toISOString() });
  }

  /** A message refused: kept in the status (the last 20), logged and counted; it changes nothing else. */
  refuse(command: string, reason: string): void {
    this.refusedCommands.push({ command, reason, at: new Date().toISOString() });
    if (this.refusedCommands.length > MAX_REFUSED_KEPT) this.refusedCommands.shift();
    log.warn('a message to the onboarding was refused', { command, reason });
    countRefused(command, reason);
  }

  /** The `status` query's answer: a copy, so callers cannot change the state. */
  status(): OnboardingStatus {
    return {
      onboardingId: this.onboardingId,
      tenant: this.tenant,
      ...(this.policy ? { policy: { ...this.policy } } : {}),
      stage: this.stage,
      signingProvider: this.signingProvider,
      ...(this.identity ? { identity: this.identity } : {}),
      smsToken: { ...this.smsToken },
      ...(this.review ? { review: this.review } : {}),
      ...(this.decision ? { decision: structuredCloneOf(this.decision) } : {}),
      signers: this.signers.map((s) => ({ ...s })),
      ...(this.signature ? { signature: { ...this.signature } } : {}),
      references: { ...this.references },
      cancelRequested: this.cancelReason !== undefined,
      ...(this.cancel ? { cancel: { ...this.cancel } } : {}),
      refusedCommands: this.refusedCommands.map((r) => ({ ...r })),
      ...(this.attention ? { attention: { ...this.attention } } : {}),
      ...(this.repairs.length > 0 ? { repairs: this.repairs.map((r) => ({ ...r })) } : {}),
      timeline: [...this.timeline],
      ...(this.outcome ? { outcome: this.outcome } : {}),
    };
  }
}

/** A copy (the workflow sandbox has no structuredClone), so callers cannot change the state. */
const structuredCloneOf = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
