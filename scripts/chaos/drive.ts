/**
 * One onboarding driven the way a lender's backend would, through the product's client, by a
 * backend that keeps trying while Temporal restarts and workers die: start it, type the SMS token
 * the Data Trust simulator sent once the onboarding waits for it, and wait for the outcome. Every
 * call is repeated on any error until the run's deadline; the stage and the Data Trust transaction
 * are read with `describe` (search attributes), which needs no worker, unlike a query.
 */
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowFailedError } from '@temporalio/client';
import {
  InvalidOnboardingInput,
  type OnboardingClient,
  type OnboardingInputDraft,
  type OnboardingOutcome,
} from '../../src/client';
import type { Stage } from '../../src/domain/onboarding';
import { dataTrustTransactionIdsKey, onboardingStageKey } from '../../src/search-attributes';
import { abortableSleep } from './abortable-sleep';

/**
 * The client's calls in flight. The SDK retries a call that found the server down on a timer of
 * its own, so the connection may close only once every call has settled: `cancel` cancels them and
 * waits for that.
 */
export class ClientCalls {
  private readonly controller = new AbortController();
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(readonly client: OnboardingClient) {
    // Every call in flight listens for the cancel.
    setMaxListeners(0, this.controller.signal);
  }

  run<T>(fn: (client: OnboardingClient) => Promise<T>): Promise<T> {
    const call = this.client.client.withAbortSignal(this.controller.signal, () => fn(this.client));
    this.inflight.add(call);
    const settled = () => this.inflight.delete(call);
    call.then(settled, settled);
    return call;
  }

  /** Cancels every call in flight and waits, at most `ms`, for all to settle. */
  async cancel(ms: number): Promise<void> {
    this.controller.abort();
    await Promise.race([Promise.allSettled([...this.inflight]), sleep(ms)]);
  }
}

export interface Driver {
  calls: ClientCalls;
  /** The token the Data Trust simulator sent for a transaction. */
  smsTokenFor(transactionId: string): Promise<string>;
  /** Epoch ms after which the onboarding counts as not terminal. */
  deadline: number;
  signal: AbortSignal;
  /** Pause between looks at the onboarding. */
  pollMs: number;
}

export type DrivenStatus = OnboardingOutcome['status'] | 'not terminal';

export interface Driven {
  onboardingId: string;
  status: DrivenStatus;
  /** From the start call to the outcome in hand. */
  durationMs: number;
  outcome: OnboardingOutcome | undefined;
  /** The last error seen while driving (for a run that did not end well). */
  lastError: string | undefined;
}

/** Stages after the SMS token: nothing left to type. */
const PAST_TOKEN = new Set<Stage>([
  'ccb_proposal',
  'signing',
  'waiting_signatures',
  'finalizing',
  'finished',
  'compensating',
]);

/** How long to wait for the answer to a token before looking at the onboarding again. */
const ANSWER_WAIT_MS = 30_000;

class DeadlinePassed extends Error {}

export async function driveOnboarding(d: Driver, input: OnboardingInputDraft): Promise<Driven> {
  const startedAt = performance.now();
  const id = input.onboardingId;
  let lastError: string | undefined;
  const note = (err: unknown) => {
    lastError = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  };
  /** Repeats `fn` until it answers, pausing after each error; throws DeadlinePassed at the deadline. */
  const persist = async <T>(fn: () => Promise<T>): Promise<T> => {
    for (;;) {
      d.signal.throwIfAborted();
      if (Date.now() > d.deadline) throw new DeadlinePassed();
      try {
        return await beforeDeadline(fn(), d.deadline);
      } catch (err) {
        // Only Temporal being away is worth waiting out; a refused input is the run's own mistake.
        const final = [DeadlinePassed, WorkflowFailedError, InvalidOnboardingInput].some(
          (t) => err instanceof t,
        );
        if (final) throw err;
        note(err);
        await abortableSleep(d.pollMs, d.signal);
      }
    }
  };
  const ended = (status: DrivenStatus, outcome?: OnboardingOutcome): Driven => ({
    onboardingId: id,
    status,
    durationMs: performance.now() - startedAt,
    outcome,
    lastError,
  });

  try {
    await persist(() => d.calls.run((c) => c.start(input)));
    for (;;) {
      const description = await persist(() => d.calls.run((c) => c.handle(id).describe()));
      if (description.status.name !== 'RUNNING') break;
      const stage = description.typedSearchAttributes.get(onboardingStageKey) as Stage | undefined;
      if (stage !== undefined && PAST_TOKEN.has(stage)) break;
      const transactionId = description.typedSearchAttributes.get(dataTrustTransactionIdsKey)?.at(-1);
      if (stage === 'sms_token' && transactionId !== undefined) {
        const token = await d.smsTokenFor(transactionId);
        // A repeated token is harmless: once one is valid, the others are answered as valid too.
        const answer = await beforeDeadline(
          d.calls.run((c) => c.validateSmsToken(id, token)),
          Math.min(d.deadline, Date.now() + ANSWER_WAIT_MS),
        ).catch((err: unknown) => {
          if (err instanceof DeadlinePassed && Date.now() > d.deadline) throw err;
          note(err);
          return undefined;
        });
        if (answer?.result === 'Valid') break;
      }
      await abortableSleep(d.pollMs, d.signal);
    }
    const outcome = await persist(() => d.calls.run((c) => c.result(id)));
    return ended(outcome.status, outcome);
  } catch (err) {
    if (err instanceof DeadlinePassed) return ended('not terminal');
    if (err instanceof WorkflowFailedError) {
      note(err);
      return ended('failed');
    }
    throw err;
  }
}

/** `promise`, or DeadlinePassed at the deadline (the call itself is left to finish or fail). */
function beforeDeadline<T>(promise: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlinePassed()), Math.max(0, deadline - Date.now()));
  });
  promise.catch(() => undefined);
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
