/**
 * The onboarding's events on their way to its delivery workflow (src/workflows/events/workflow.ts):
 * numbered in the order they happen, and signalled one at a time, so they arrive in that order.
 * The delivery starts with the first event as a child that outlives the onboarding; the onboarding
 * ends only once every event is handed over (`handedOver`). Only onboardings of a tenant with an
 * endpoint make events, as the worker said when the onboarding started (recorded, so it replays).
 */
import {
  CancellationScope,
  ChildWorkflowCancellationType,
  ParentClosePolicy,
  getExternalWorkflowHandle,
  log,
  startChild,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { eventIdFor, type OnboardingEvent } from '../../domain/events';
import {
  EVENTS_WORKFLOW_TYPE,
  eventsWorkflowIdFor,
  onboardingEvent,
  type EventsStart,
} from '../../event-messages';

export type EventDraft = Omit<OnboardingEvent, 'id' | 'sequence' | 'onboardingId' | 'tenant' | 'occurredAt'>;

export class EventOutbox {
  private readonly queue: OnboardingEvent[] = [];
  private sequence = 0;
  private started = false;
  private sending: Promise<void> | undefined;

  constructor(private readonly start: EventsStart) {}

  add(draft: EventDraft): void {
    this.sequence += 1;
    this.queue.push({
      id: eventIdFor(this.start.onboardingId, this.sequence),
      sequence: this.sequence,
      occurredAt: new Date().toISOString(),
      onboardingId: this.start.onboardingId,
      tenant: this.start.tenant,
      ...draft,
    });
    this.kick();
  }

  private kick(): void {
    if (this.sending || this.queue.length === 0) return;
    // Handing over runs outside the flow's scope: a cancelled onboarding still reports how it ended.
    this.sending = CancellationScope.nonCancellable(() => this.handOver()).finally(() => {
      this.sending = undefined;
      this.kick();
    });
  }

  /** Resolves once every event made so far is with the delivery workflow. */
  async handedOver(): Promise<void> {
    while (this.sending) await this.sending;
  }

  /** Never throws: events are a report, and no failure of theirs may stop the onboarding. */
  private async handOver(): Promise<void> {
    try {
      await this.signalAll();
    } catch (err) {
      log.warn('events could not be handed to their delivery; they are dropped', {
        events: this.queue.map((e) => e.id),
        error: err instanceof Error ? err.name : 'unknown',
      });
      this.queue.length = 0;
    }
  }

  private async signalAll(): Promise<void> {
    const workflowId = eventsWorkflowIdFor(this.start.onboardingId);
    if (!this.started) {
      try {
        await startChild(EVENTS_WORKFLOW_TYPE, {
          workflowId,
          args: [this.start],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          cancellationType: ChildWorkflowCancellationType.ABANDON,
        });
      } catch (err) {
        // A run after a reset finds its delivery already there: it takes the events it lacks.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      this.started = true;
    }
    const delivery = getExternalWorkflowHandle(workflowId);
    while (this.queue.length > 0) {
      await delivery.signal(onboardingEvent, this.queue[0]!);
      this.queue.shift();
    }
  }
}
