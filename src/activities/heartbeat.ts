/**
 * Heartbeats for every activity: a running activity tells Temporal it is alive every few seconds,
 * so an attempt that died with its worker is noticed by the short heartbeat timeout and retried
 * within seconds, not after the start-to-close timeout. Each heartbeat carries the attempt's latest
 * checkpoint (what it already created), so the next attempt can take it up.
 */
import { Context } from '@temporalio/activity';

/** How often a running activity heartbeats (the workflow's heartbeat timeouts are a few times this). */
export const HEARTBEAT_EVERY_MS = 2_000;

const latest = new WeakMap<Context, unknown>();

const currentContext = (): Context | undefined => {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
};

/** Records progress and heartbeats it at once; later keep-alive heartbeats repeat it. */
export function saveProgress(details: unknown): void {
  const context = Context.current();
  latest.set(context, details);
  context.heartbeat(details);
}

/** Heartbeats until the returned function is called; outside an activity it does nothing. */
export function keepAlive(intervalMs = HEARTBEAT_EVERY_MS): () => void {
  const context = currentContext();
  // A local activity has no heartbeat: its worker keeps the workflow task alive instead.
  if (context === undefined || context.info.isLocal) return () => undefined;
  const beat = () =>
    context.heartbeat(latest.has(context) ? latest.get(context) : context.info.heartbeatDetails);
  const timer = setInterval(beat, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
