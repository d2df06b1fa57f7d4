/**
 * The events an onboarding pushes to its lender's backend (docs/events.md): each change of stage,
 * `needs_attention` with why, and the outcome. They carry ids, stages, outcomes and provider
 * references, never personal data: a lender reads the applicant's details through the API.
 * Payloads only ever gain fields.
 */
import type { OnboardingOutcome, Stage } from './onboarding';
import type { Attention } from './repair';

export const onboardingEventTypes = [
  'onboarding.stage_changed',
  'onboarding.needs_attention',
  'onboarding.finished',
] as const;
export type OnboardingEventType = (typeof onboardingEventTypes)[number];

export interface OnboardingEvent {
  /** Stable for the event's life: a redelivery, automatic or asked for, carries the same id. */
  id: string;
  type: OnboardingEventType;
  /** 1, 2, … in the order the onboarding made them: the order they are delivered in. */
  sequence: number;
  occurredAt: string;
  onboardingId: string;
  tenant: string;
  stage: Stage;
  note?: string;
  /** With `onboarding.needs_attention`: the failed step and what may be done. */
  attention?: Pick<Attention, 'step' | 'provider' | 'call' | 'status' | 'failure' | 'deadline' | 'actions'>;
  /** With `onboarding.finished`: the outcome, without its timeline (the events were the timeline). */
  outcome?: Omit<OnboardingOutcome, 'timeline'>;
}

/** `evt_<onboardingId>.<sequence>`: an onboarding id has no dot, so the id names both. */
export const eventIdFor = (onboardingId: string, sequence: number): string =>
  `evt_${onboardingId}.${sequence}`;

/** The onboarding and sequence an event id names, or undefined for anything else. */
export function eventIdParts(id: string): { onboardingId: string; sequence: number } | undefined {
  const match = /^evt_([A-Za-z0-9][A-Za-z0-9_-]{0,63})\.([1-9][0-9]{0,5})$/.exec(id);
  return match ? { onboardingId: match[1]!, sequence: Number(match[2]) } : undefined;
}

/** How an event's delivery stands. */
export const deliveryStates = ['pending', 'delivered', 'failed', 'no_endpoint'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

/** One endpoint's answer to the last attempt that reached it. */
export interface EndpointDelivery {
  endpoint: string;
  deliveredAt: string;
  status: number;
  /** The attempt (1, 2, …) that got a 2xx. */
  attempt: number;
}

export interface EventDelivery {
  eventId: string;
  type: OnboardingEventType;
  sequence: number;
  occurredAt: string;
  state: DeliveryState;
  /** The endpoints that took it, in the last delivery (a re-send starts a new one). */
  endpoints: EndpointDelivery[];
  /** Why the last delivery gave up (after retrying for the configured time): no personal data. */
  lastError?: string;
  /** Deliveries asked for again, with who asked. */
  resends: Array<{ at: string; principal: string }>;
}

/** What the delivery of one onboarding's events did: `GET /v1/events?onboardingId=`. */
export interface DeliveryLog {
  onboardingId: string;
  tenant: string;
  deliveries: EventDelivery[];
  /** Until when a re-send may be asked for; set once the outcome's event was delivered or given up. */
  resendableUntil?: string;
}
