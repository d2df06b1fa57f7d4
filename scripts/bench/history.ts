/** Reading workflow histories: event names, times, and where an onboarding's time went. */
import type { WorkflowHandle } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { LOCAL_ACTIVITY_MARKER, eventName } from './skeleton/shape';

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** EventType by number (protobufjs enums map both ways). */
export const eventNames = temporal.api.enums.v1.EventType as unknown as Record<number, string>;

export const nameOf = (e: HistoryEvent): string => eventName(e, eventNames);
export const timeOf = (e: HistoryEvent): number => tsToMs(e.eventTime);

/** A local activity's type, from its marker (core records it as plain JSON); undefined for other events. */
export function localActivityType(e: HistoryEvent): string | undefined {
  const marker = e.markerRecordedEventAttributes;
  const data = marker?.details?.data?.payloads?.[0]?.data;
  if (marker?.markerName !== LOCAL_ACTIVITY_MARKER || !data) return undefined;
  return (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type: string }).activity_type;
}

export async function historyOf(handle: WorkflowHandle): Promise<HistoryEvent[]> {
  return (await handle.fetchHistory()).events ?? [];
}

/** Where one completed run's time went, by the server's clock (ms). */
export interface TimeSplit {
  /** Workflow started → completed. */
  total: number;
  /** Activities running (started → completed), summed. */
  activitiesRunning: number;
  /** Activities waiting for a worker (scheduled → started), summed. */
  activitiesQueued: number;
  /** Workflow tasks (scheduled → completed), summed: queueing plus the worker's workflow code. */
  workflowTasks: number;
  /** Per activity type: started → completed. */
  perActivity: Record<string, number>;
}

export function splitTime(events: HistoryEvent[]): TimeSplit {
  const byId = new Map<string, HistoryEvent>();
  for (const e of events) byId.set(String(e.eventId), e);
  const split: TimeSplit = {
    total: 0,
    activitiesRunning: 0,
    activitiesQueued: 0,
    workflowTasks: 0,
    perActivity: {},
  };
  const first = events[0];
  const last = events.at(-1);
  if (first && last) split.total = timeOf(last) - timeOf(first);
  for (const e of events) {
    const name = nameOf(e);
    if (name === 'ACTIVITY_TASK_COMPLETED') {
      const a = e.activityTaskCompletedEventAttributes;
      const scheduled = byId.get(String(a?.scheduledEventId));
      const started = byId.get(String(a?.startedEventId));
      if (scheduled && started) {
        const running = timeOf(e) - timeOf(started);
        split.activitiesRunning += running;
        split.activitiesQueued += timeOf(started) - timeOf(scheduled);
        const type = scheduled.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
        split.perActivity[type] = (split.perActivity[type] ?? 0) + running;
      }
    } else if (name === 'WORKFLOW_TASK_COMPLETED') {
      const scheduled = byId.get(String(e.workflowTaskCompletedEventAttributes?.scheduledEventId));
      if (scheduled) split.workflowTasks += timeOf(e) - timeOf(scheduled);
    }
  }
  return split;
}
