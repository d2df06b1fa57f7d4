/**
 * The onboarding's business metrics, through Temporal's workflow metric meter (exported with the
 * SDK's own on the worker's Prometheus endpoint; never emitted while a history is replayed). Tags
 * hold only the stage, the signing provider and the outcome: no personal data, no ids.
 */
import { metricMeter } from '@temporalio/workflow';
import type { OutcomeStatus, Stage } from '../../domain/onboarding';

export function countStarted(signingProvider: string): void {
  metricMeter
    .createCounter('credit_onboarding_started', 'onboardings', 'Onboardings whose input was valid')
    .add(1, { signing_provider: signingProvider });
}

export function countEnded(outcome: OutcomeStatus, signingProvider: string | undefined): void {
  metricMeter
    .createCounter('credit_onboarding_ended', 'onboardings', 'Onboardings ended, by outcome')
    .add(1, { outcome, signing_provider: signingProvider ?? 'none' });
}

export function recordStageTime(stage: Stage, ms: number): void {
  metricMeter
    .createHistogram('credit_onboarding_stage_duration', 'int', 'ms', 'Time spent in each stage')
    .record(Math.max(0, Math.round(ms)), { stage });
}

/** An onboarding parked in needs_attention (repair.ts): by the step, and the provider where the failure names one. */
export function countNeedsAttention(step: string, provider: string | undefined): void {
  metricMeter
    .createCounter(
      'credit_onboarding_needs_attention',
      'onboardings',
      'Onboardings parked in needs_attention, by step and provider',
    )
    .add(1, { step, provider: provider ?? 'none' });
}

export function countRepair(action: string, step: string): void {
  metricMeter
    .createCounter('credit_onboarding_repairs', 'repairs', 'Repairs taken, by action and step')
    .add(1, { action, step });
}

export function countRefused(command: string, reason: string): void {
  metricMeter
    .createCounter(
      'credit_onboarding_commands_refused',
      'messages',
      'Messages an onboarding refused, by reason',
    )
    .add(1, { command, reason });
}
