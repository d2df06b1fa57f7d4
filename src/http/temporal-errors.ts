/**
 * Temporal's answers as HTTP answers: an onboarding that does not exist is 404, a message the
 * workflow refuses is 400 or 409, and Temporal being unreachable or slow is 503 with Retry-After,
 * never a hang: every call runs under a deadline.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { grpcCodeOf, grpcStatus } from '../temporal/grpc';

export interface HttpAnswer {
  status: number;
  body: { error: string };
  retryAfterSeconds?: number;
}

/** Runs `call` with a deadline on Temporal's side. */
export const withinDeadline = <T>(client: Client, timeoutMs: number, call: () => Promise<T>): Promise<T> =>
  client.withDeadline(Date.now() + timeoutMs, call);

export const RETRY_AFTER_SECONDS = 5;

const unavailable: HttpAnswer = {
  status: 503,
  body: { error: 'Temporal is unavailable or slow; try again' },
  retryAfterSeconds: RETRY_AFTER_SECONDS,
};
const noWorker: HttpAnswer = {
  status: 503,
  body: { error: 'no worker is serving this onboarding right now; try again' },
  retryAfterSeconds: RETRY_AFTER_SECONDS,
};
export const notFound: HttpAnswer = { status: 404, body: { error: 'no onboarding with this id' } };

const UNAVAILABLE = new Set<number>([
  grpcStatus.UNAVAILABLE,
  grpcStatus.DEADLINE_EXCEEDED,
  grpcStatus.RESOURCE_EXHAUSTED,
  grpcStatus.ABORTED,
  grpcStatus.CANCELLED,
]);

/** The HTTP answer for an error Temporal gave, or undefined when it is none of Temporal's. */
export function temporalAnswer(err: unknown): HttpAnswer | undefined {
  if (err instanceof WorkflowNotFoundError) return notFound;
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure) {
      // The workflow's own messages name no value (src/workflows/onboarding/inbox.ts).
      if (cause.type === 'InvalidSmsToken') return { status: 400, body: { error: cause.message } };
      if (cause.type === 'NotWaitingForToken') return { status: 409, body: { error: cause.message } };
    }
    return { status: 409, body: { error: 'the onboarding refused the request' } };
  }
  const code = grpcCodeOf(err);
  if (code === grpcStatus.NOT_FOUND) return notFound;
  if (code !== undefined && UNAVAILABLE.has(code)) return unavailable;
  // A query while no worker polls the onboarding's task queue: the workers are down, for now.
  if (code === grpcStatus.FAILED_PRECONDITION && /no poller/i.test(messagesOf(err))) return noWorker;
  if (isConnectionFailure(err)) return unavailable;
  return undefined;
}

const isConnectionFailure = (err: unknown): boolean =>
  /ECONNREFUSED|Failed to connect|No connection established|deadline|timed? ?out/i.test(
    String((err as Error)?.message ?? ''),
  );

/** The messages of an error and its causes (gRPC puts the server's words in `details`). */
const messagesOf = (err: unknown): string => {
  const texts: string[] = [];
  let cause: unknown = err;
  for (let depth = 0; depth < 5 && cause; depth++) {
    const { message, details } = cause as { message?: unknown; details?: unknown };
    for (const text of [message, details]) if (typeof text === 'string') texts.push(text);
    cause = (cause as { cause?: unknown }).cause;
  }
  return texts.join(' ');
};
