/** How a stage ends the onboarding early, and how a failure reads in the outcome. */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { OutcomeStatus } from '../../domain/onboarding';

/** Thrown by a stage to end the onboarding with a typed outcome. */
export class Finished extends Error {
  constructor(
    readonly status: OutcomeStatus,
    readonly reason: string,
    /** What the provider is told when an open envelope is cancelled on the way out. */
    readonly options: { closeReason?: string } = {},
  ) {
    super(reason);
  }
}

/** A failure as one line an operator can act on: the provider's typed error when there is one. */
export function describeFailure(err: unknown): string {
  let cause: unknown = err;
  while (cause instanceof ActivityFailure && cause.cause) cause = cause.cause;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  if (cause instanceof Error) return cause.message;
  return String(cause);
}
