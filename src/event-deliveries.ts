/**
 * The delivery of an onboarding's events, read and re-sent from backend code (the API's
 * `/v1/events` routes use it): the log of each event's delivery, and a re-send with the same id.
 */
import type { Client } from '@temporalio/client';
import { eventIdParts, type DeliveryLog } from './domain/events';
import type { Principal } from './domain/onboarding';
import { deliveryLog, eventsWorkflowIdFor, resendEvent } from './event-messages';

export class UnknownEvent extends Error {
  constructor() {
    super('no event with this id');
    this.name = 'UnknownEvent';
  }
}

export class EventDeliveries {
  constructor(private readonly client: Client) {}

  /** The onboarding's delivery log; WorkflowNotFoundError when it has made no event. */
  log(onboardingId: string): Promise<DeliveryLog> {
    return this.client.workflow.getHandle(eventsWorkflowIdFor(onboardingId)).query(deliveryLog);
  }

  /** Delivers `eventId` again; WorkflowUpdateFailedError when its delivery refuses (not delivered yet, or ended). */
  resend(eventId: string, principal: Principal): Promise<{ eventId: string; state: string }> {
    const parts = eventIdParts(eventId);
    if (parts === undefined) throw new UnknownEvent();
    return this.client.workflow
      .getHandle(eventsWorkflowIdFor(parts.onboardingId))
      .executeUpdate(resendEvent, { args: [{ eventId, principal }] });
  }
}
