/**
 * The messages of an onboarding's event delivery (src/workflows/events/workflow.ts), defined once
 * and imported by the delivery workflow, the onboarding that feeds it and the API that reads it.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DeliveryLog, OnboardingEvent } from './domain/events';
import type { Principal } from './domain/onboarding';
import { workflowIdFor } from './messages';

export const EVENTS_WORKFLOW_TYPE = 'onboardingEvents';

/** How long and how often a delivery is tried, and how long re-sends are taken after the outcome's. */
export interface DeliveryPolicy {
  /** The first retry's wait; each next one doubles, up to an hour. */
  firstRetryMs: number;
  /** How long one event is retried before it is given up (at least a day in production mode). */
  retryForMs: number;
  /** How long after the last event re-sends may be asked for; the delivery then ends. */
  resendWindowMs: number;
}

export interface EventsStart {
  onboardingId: string;
  tenant: string;
  policy: DeliveryPolicy;
}

/** `events-onboarding-<id>`: beside its onboarding, and never an onboarding's own id. */
export const eventsWorkflowIdFor = (onboardingId: string): string => `events-${workflowIdFor(onboardingId)}`;

/** The next event of the onboarding, sent by the onboarding itself. */
export const onboardingEvent = defineSignal<[event: OnboardingEvent]>('onboardingEvent');

/** Deliver an event again (same id), to every endpoint; answers how it stands now. */
export const resendEvent = defineUpdate<
  { eventId: string; state: string },
  [command: { eventId: string; principal: Principal }]
>('resendEvent');

/** What was delivered, when, and what was given up. */
export const deliveryLog = defineQuery<DeliveryLog>('deliveryLog');
