/**
 * onboardingEvents: the delivery of one onboarding's events to its lender's backend
 * (docs/events.md). The onboarding signals each event as it happens; this workflow delivers them
 * one at a time, in their order, each retried by Temporal with backoff for as long as the policy
 * says, and keeps the log. After the outcome's event it takes re-sends for a while, then ends.
 * Its own workflow, so that an endpoint that is down for a day costs the onboarding nothing.
 */
import { ActivityFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { DeliveryLog, EventDelivery, OnboardingEvent } from '../../domain/events';
import { onboardingEventTypes } from '../../domain/events';
import type { EventActivities } from '../../events/delivery';
import { describePrincipal, isPrincipal } from '../onboarding/commands';
import { deliveryLog, onboardingEvent, resendEvent, type EventsStart } from '../../event-messages';

/** Past the longest life of an onboarding (docs/versioning.md) with no event, the delivery ends. */
const IDLE_LIMIT_MS = 70 * 86_400_000;
/** Re-sends an onboarding's delivery takes in all: each is history. */
const MAX_RESENDS = 50;

export async function onboardingEvents(start: EventsStart): Promise<DeliveryLog> {
  const { deliverEvent } = proxyActivities<EventActivities>({
    startToCloseTimeout: '1 minute',
    scheduleToCloseTimeout: start.policy.retryForMs,
    retry: { initialInterval: start.policy.firstRetryMs, backoffCoefficient: 2, maximumInterval: '1 hour' },
  });
  const log: DeliveryLog = { onboardingId: start.onboardingId, tenant: start.tenant, deliveries: [] };
  const received = new Map<number, OnboardingEvent>();
  const delivered = new Map<string, { event: OnboardingEvent; entry: EventDelivery }>();
  const resends: string[] = [];
  let next = 1;
  let resendsTaken = 0;

  setHandler(onboardingEvent, (event) => {
    // A payload the codec refused, another onboarding's event or one already here changes nothing.
    if (!isEventOf(event, start) || event.sequence < next || received.has(event.sequence)) return;
    received.set(event.sequence, event);
  });
  setHandler(
    resendEvent,
    ({ eventId, principal }) => {
      const found = delivered.get(eventId)!;
      found.entry.resends.push({ at: new Date().toISOString(), principal: describePrincipal(principal) });
      found.entry.state = 'pending';
      resends.push(eventId);
      resendsTaken += 1;
      return { eventId, state: 'pending' };
    },
    {
      validator: ({ eventId, principal }) => {
        if (!isPrincipal(principal)) throw new Error('a re-send names who asked for it');
        if (!delivered.has(eventId))
          throw new Error('no event with this id has been delivered or given up yet');
        if (resendsTaken >= MAX_RESENDS)
          throw new Error(`this onboarding's events were re-sent ${MAX_RESENDS} times`);
      },
    },
  );
  setHandler(deliveryLog, () => JSON.parse(JSON.stringify(log)) as DeliveryLog);

  const deliver = async (event: OnboardingEvent, entry: EventDelivery) => {
    try {
      const result = await deliverEvent(event);
      entry.state = 'noEndpoint' in result ? 'no_endpoint' : 'delivered';
      entry.endpoints = 'noEndpoint' in result ? [] : result.endpoints;
      delete entry.lastError;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      entry.state = 'failed';
      entry.lastError = err.cause?.message ?? err.message;
    }
  };

  for (let finished = false; !finished;) {
    if (!(await condition(() => received.has(next) || resends.length > 0, IDLE_LIMIT_MS))) return log;
    const resent = resends.shift();
    if (resent !== undefined) {
      const { event, entry } = delivered.get(resent)!;
      await deliver(event, entry);
      continue;
    }
    const event = received.get(next)!;
    received.delete(next);
    next += 1;
    const entry: EventDelivery = {
      eventId: event.id,
      type: event.type,
      sequence: event.sequence,
      occurredAt: event.occurredAt,
      state: 'pending',
      endpoints: [],
      resends: [],
    };
    log.deliveries.push(entry);
    await deliver(event, entry);
    delivered.set(event.id, { event, entry });
    finished = event.type === 'onboarding.finished';
  }

  const until = Date.now() + start.policy.resendWindowMs;
  log.resendableUntil = new Date(until).toISOString();
  while (resends.length > 0 || (await condition(() => resends.length > 0, Math.max(until - Date.now(), 1)))) {
    const { event, entry } = delivered.get(resends.shift()!)!;
    await deliver(event, entry);
  }
  return log;
}

function isEventOf(value: unknown, start: EventsStart): value is OnboardingEvent {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Partial<OnboardingEvent>;
  return (
    e.onboardingId === start.onboardingId &&
    typeof e.id === 'string' &&
    Number.isInteger(e.sequence) &&
    (e.sequence ?? 0) >= 1 &&
    (onboardingEventTypes as readonly unknown[]).includes(e.type)
  );
}
