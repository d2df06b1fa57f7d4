/**
 * How the onboarding writes its search attributes. Each write is a history event and a visibility
 * update, so onboardings write only what changes (`OnlyChanges`), and, where their routes say so,
 * the stage only where they wait or end (`writeWaitsOnly`); those started before that
 * (patch `fewer-attribute-writes-jittered-checks`) replay with every change written at once
 * (`EveryChange`), and go when that patch is deprecated (docs/versioning.md).
 */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Stage } from '../../domain/onboarding';
import { onboardingStageKey } from '../../search-attributes';

export type AttributePair = SearchAttributeUpdatePair;

export interface AttributeWriter {
  /** The stage entered, with the provider references not written yet. */
  stage(stage: Stage, references: AttributePair[]): void;
  /** Provider references, without a change of stage (a resent token's transaction). */
  references(pairs: AttributePair[]): void;
  /** The signing provider, once the input is valid. */
  provider(pair: AttributePair): void;
  /** The outcome, written with the `finished` stage entered next. */
  outcome(pair: AttributePair): void;
}

const stagePair = (stage: Stage): AttributePair => ({ key: onboardingStageKey, value: stage });

/** The stages an onboarding stays in for minutes or days, and its end: those visibility shows. */
export const waitingStages: ReadonlySet<Stage> = new Set<Stage>([
  'manual_review',
  'sms_token',
  'waiting_signatures',
  'needs_attention',
  'finished',
]);

/**
 * A value the attributes already hold (the stage and provider set when the onboarding was started)
 * is not written again; the provider and the outcome ride on the next stage's write; `decision`,
 * decided in the same workflow task as the stage that follows it, is never written.
 */
export class OnlyChanges implements AttributeWriter {
  private readonly pending = new Map<string, AttributePair>();
  private waitsOnly = false;

  /**
   * From now on the stage is written only where the onboarding waits (on a person, a provider, an
   * operator) and where it ends: the stages between last under a second and show in the status
   * query, the Web UI's current details and the timeline. What they hold rides on the next write.
   */
  writeWaitsOnly(): void {
    this.waitsOnly = true;
  }

  stage(stage: Stage, references: AttributePair[]): void {
    if (stage === 'decision' || (this.waitsOnly && !waitingStages.has(stage))) this.hold(references);
    else this.write([stagePair(stage), ...references]);
  }

  references(pairs: AttributePair[]): void {
    if (pairs.length > 0) this.write(pairs);
  }

  provider(pair: AttributePair): void {
    this.hold([pair]);
  }

  outcome(pair: AttributePair): void {
    this.hold([pair]);
  }

  private hold(pairs: AttributePair[]): void {
    for (const pair of pairs) this.pending.set(pair.key.name, pair);
  }

  /** Writes `pairs` with whatever is held, leaving out values the attributes already hold. */
  private write(pairs: AttributePair[]): void {
    this.hold(pairs);
    const held = workflowInfo().typedSearchAttributes;
    const changed = [...this.pending.values()].filter(
      (pair) => JSON.stringify(held.get(pair.key)) !== JSON.stringify(pair.value),
    );
    this.pending.clear();
    if (changed.length > 0) upsertSearchAttributes(changed);
  }
}

/** Onboardings started before 2026-11-24: every change written at once, the outcome after its stage. */
export class EveryChange implements AttributeWriter {
  private outcomePair: AttributePair | undefined;

  stage(stage: Stage, references: AttributePair[]): void {
    upsertSearchAttributes([stagePair(stage), ...references]);
    if (this.outcomePair) upsertSearchAttributes([this.outcomePair]);
    this.outcomePair = undefined;
  }

  references(pairs: AttributePair[]): void {
    if (pairs.length > 0) upsertSearchAttributes(pairs);
  }

  provider(pair: AttributePair): void {
    upsertSearchAttributes([pair]);
  }

  outcome(pair: AttributePair): void {
    this.outcomePair = pair;
  }
}
