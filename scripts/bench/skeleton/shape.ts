/**
 * The onboarding's shape, read from the history of one happy-path onboarding: the commands its
 * workflow code gave, in order (search attribute upserts with their keys, activities, timers and
 * what ended them, the update). The skeleton workflow replays the same shape with activities that
 * do nothing, so it tracks the onboarding as the workflow changes.
 */
import type { temporal } from '@temporalio/proto';

export type Step =
  | { kind: 'upsert'; keys: string[] }
  /** `queue`: the activity's task queue, named by what follows the workflow's own (`-datatrust`; '' for its own). */
  | { kind: 'activity'; name: string; queue: string }
  /** A local activity (its marker): runs inside the workflow task, no activity task. */
  | { kind: 'localActivity'; name: string }
  /** A patch marker (`patched()`), which the SDK follows with an upsert of TemporalChangeVersion. */
  | { kind: 'patch' }
  /** A wait for the update, bounded by a timer (the SMS token stage); the update is answered after the next activity. */
  | { kind: 'awaitUpdate'; timeoutMs: number }
  /** A timer that fired (a backoff, a jitter). */
  | { kind: 'sleep'; ms: number };

export interface Shape {
  steps: Step[];
  /** Search attributes the client set at start (keys). */
  startKeys: string[];
}

export interface ShapeCounts {
  activities: number;
  localActivities: number;
  patches: number;
  upserts: number;
  timers: number;
  updates: number;
  signals: number;
  workflowTasks: number;
  events: number;
  /** Activities per task queue, named relative to the workflow's (`-datatrust`, or `(own)`). */
  activityQueues: Record<string, number>;
}

type Event = temporal.api.history.v1.IHistoryEvent;

/** The marker names Temporal's core SDK records for local activities and patches. */
export const LOCAL_ACTIVITY_MARKER = 'core_local_activity';
const PATCH_MARKER = 'core_patch';
/** Written by the SDK with every first `patched()` of an id: the patch step brings it. */
const CHANGE_VERSION = 'TemporalChangeVersion';

const durationMs = (d: { seconds?: unknown; nanos?: number | null } | null | undefined): number =>
  Number(d?.seconds ?? 0) * 1000 + Math.round((d?.nanos ?? 0) / 1e6);

/** Event type names without the enum: `ACTIVITY_TASK_SCHEDULED`, ... */
export const eventName = (event: Event, names: Record<number, string>): string =>
  (names[event.eventType ?? 0] ?? String(event.eventType)).replace(/^EVENT_TYPE_/, '');

/** Counts of what a history holds: the figures the skeleton is checked against. */
export function countsOf(events: Event[], names: Record<number, string>): ShapeCounts {
  const count = (name: string) => events.filter((e) => eventName(e, names) === name).length;
  const markers = (name: string) =>
    events.filter((e) => e.markerRecordedEventAttributes?.markerName === name).length;
  const own = events[0]?.workflowExecutionStartedEventAttributes?.taskQueue?.name ?? '';
  const activityQueues: Record<string, number> = {};
  for (const e of events) {
    const queue = e.activityTaskScheduledEventAttributes?.taskQueue?.name;
    if (queue === undefined || queue === null) continue;
    const name = queue === own ? '(own)' : queue.startsWith(own) ? queue.slice(own.length) : queue;
    activityQueues[name] = (activityQueues[name] ?? 0) + 1;
  }
  return {
    activities: count('ACTIVITY_TASK_SCHEDULED'),
    localActivities: markers(LOCAL_ACTIVITY_MARKER),
    patches: markers(PATCH_MARKER),
    upserts: count('UPSERT_WORKFLOW_SEARCH_ATTRIBUTES'),
    timers: count('TIMER_STARTED'),
    updates: count('WORKFLOW_EXECUTION_UPDATE_ACCEPTED'),
    signals: count('WORKFLOW_EXECUTION_SIGNALED'),
    workflowTasks: count('WORKFLOW_TASK_COMPLETED'),
    events: events.length,
    activityQueues,
  };
}

/** The shape of a completed happy-path history. */
export function shapeOf(events: Event[], names: Record<number, string>): Shape {
  const steps: Step[] = [];
  const timers = new Map<string, { step: number; ms: number }>();
  let updateAccepted = false;
  const first = events[0]?.workflowExecutionStartedEventAttributes;
  const own = first?.taskQueue?.name ?? '';
  const startKeys = Object.keys(first?.searchAttributes?.indexedFields ?? {});
  for (const event of events) {
    switch (eventName(event, names)) {
      case 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES': {
        const keys = Object.keys(
          event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {},
        ).filter((k) => k !== CHANGE_VERSION);
        if (keys.length > 0) steps.push({ kind: 'upsert', keys });
        break;
      }
      case 'MARKER_RECORDED': {
        const marker = event.markerRecordedEventAttributes?.markerName;
        if (marker === PATCH_MARKER) steps.push({ kind: 'patch' });
        else if (marker === LOCAL_ACTIVITY_MARKER)
          steps.push({ kind: 'localActivity', name: 'local activity' });
        break;
      }
      case 'ACTIVITY_TASK_SCHEDULED': {
        const a = event.activityTaskScheduledEventAttributes;
        const queue = a?.taskQueue?.name ?? own;
        steps.push({
          kind: 'activity',
          name: a?.activityType?.name ?? 'activity',
          queue: queue.startsWith(own) ? queue.slice(own.length) : '',
        });
        break;
      }
      case 'TIMER_STARTED': {
        const a = event.timerStartedEventAttributes;
        const ms = durationMs(a?.startToFireTimeout);
        timers.set(a?.timerId ?? '', { step: steps.length, ms });
        steps.push({ kind: 'sleep', ms });
        updateAccepted = false;
        break;
      }
      case 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED':
        updateAccepted = true;
        break;
      case 'TIMER_CANCELED': {
        const timer = timers.get(event.timerCanceledEventAttributes?.timerId ?? '');
        // A timer cancelled by the update is the wait for the SMS token; other cancelled timers
        // (none on the happy path) would be waits ended by a signal, which the skeleton has not got.
        if (timer)
          steps[timer.step] = updateAccepted
            ? { kind: 'awaitUpdate', timeoutMs: timer.ms }
            : { kind: 'sleep', ms: 0 };
        break;
      }
      default:
        break;
    }
  }
  return { steps, startKeys };
}

export function describeShape(counts: ShapeCounts): string {
  const queues = Object.entries(counts.activityQueues)
    .map(([q, n]) => `${n} ${q}`)
    .join(', ');
  return (
    `${counts.activities} activities (${queues || 'none'}), ${counts.localActivities} local, ${counts.patches} patch marker(s), ` +
    `${counts.upserts} upserts, ${counts.timers} timer(s), ${counts.updates} update, ` +
    `${counts.workflowTasks} workflow tasks, ${counts.events} events`
  );
}
