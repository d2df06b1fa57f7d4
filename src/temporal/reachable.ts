/**
 * Connecting to a Temporal that is not up yet: a worker or the API started before the server (a
 * container ordering, a server restarting) waits for it, says so once, and goes on when it
 * answers. Only "cannot reach" is waited out; a refusal (TLS, a wrong API key, a namespace that
 * does not exist) fails at once, since waiting would not mend it.
 */
import { setTimeout } from 'node:timers/promises';

const FIRST_RETRY_MS = 500;
const LONGEST_RETRY_MS = 10_000;

/** gRPC's UNAVAILABLE and DEADLINE_EXCEEDED: the server is not there (yet). */
const UNREACHABLE_CODES = new Set([14, 4]);

/** Whether `err`, thrown by connecting, means the server could not be reached. */
export function isUnreachable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  // The worker's native connection: a transport error (refused, no route, name not resolved).
  if (err.name === 'TransportError') return true;
  // The client's connection: the channel never became ready, or the first call found no server.
  if (err.message === 'Failed to connect before the deadline') return true;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' && UNREACHABLE_CODES.has(code);
}

/** Why it could not connect, in a few words (the raw errors are long and name internals). */
function reasonOf(err: Error): string {
  const text = err.message;
  if (/Connection refused|ECONNREFUSED/i.test(text)) return 'connection refused';
  if (/dns error|Name or service not known|ENOTFOUND|EAI_AGAIN/i.test(text)) return 'name not resolved';
  if (/before the deadline/.test(text)) return 'no connection within the connect timeout';
  if (/timed out|ETIMEDOUT/i.test(text)) return 'timed out';
  return 'unreachable';
}

/**
 * `connect()`, repeated with a growing pause while Temporal cannot be reached. `log` is told once
 * that it waits and once that it connected; every other error is thrown at once.
 */
export async function connectWhenReachable<T>(
  address: string,
  connect: () => Promise<T>,
  log: (line: string) => void = console.log,
): Promise<T> {
  let pause = FIRST_RETRY_MS;
  let waiting = false;
  for (;;) {
    try {
      const connection = await connect();
      if (waiting) log(`Temporal at ${address} is reachable; connected`);
      return connection;
    } catch (err) {
      if (!isUnreachable(err)) throw err;
      if (!waiting) {
        log(`waiting for Temporal at ${address} (${reasonOf(err as Error)}); trying again until it answers`);
        waiting = true;
      }
      await setTimeout(pause);
      pause = Math.min(pause * 2, LONGEST_RETRY_MS);
    }
  }
}
