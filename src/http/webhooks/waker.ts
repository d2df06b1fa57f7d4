/**
 * Tells onboardings that a provider reported a change, without flooding them under a burst of
 * deliveries: per onboarding, one signal at a time and a pause after each. Deliveries that arrive
 * meanwhile fold into one more signal after the pause, so the last delivery is always followed by
 * a signal and a burst of a thousand costs the onboarding two.
 */
import { grpcCodeOf, grpcStatus } from '../../temporal/grpc';

export interface WakerOptions {
  /** The pause after each signal to one onboarding. */
  spacingMs: number;
  /** Tries per signal while Temporal is unavailable. */
  attempts: number;
  retryDelayMs: number;
  log: (line: string) => void;
}

export class Waker {
  private readonly busy = new Map<string, { again: boolean }>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: WakerOptions) {}

  /** Runs `send` for `key` now, or once more after the signal in progress. */
  wake(key: string, label: string, send: () => Promise<void>): void {
    const current = this.busy.get(key);
    if (current) {
      current.again = true;
      return;
    }
    const entry = { again: true };
    this.busy.set(key, entry);
    const task = (async () => {
      while (entry.again) {
        entry.again = false;
        if (!(await this.sendWithRetries(label, send))) break;
        await sleep(this.options.spacingMs);
      }
    })().finally(() => {
      this.busy.delete(key);
      this.running.delete(task);
    });
    this.running.add(task);
  }

  /** Waits for every signal in progress (on shutdown). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** False when the onboarding is gone or the signal could not be sent. */
  private async sendWithRetries(label: string, send: () => Promise<void>): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await send();
        return true;
      } catch (err) {
        const code = grpcCodeOf(err);
        // The onboarding ended (or never existed): nothing to tell.
        if (code === grpcStatus.NOT_FOUND || code === grpcStatus.FAILED_PRECONDITION) return false;
        if (attempt >= this.options.attempts) {
          // Nothing is lost: the onboarding's own timers check the provider again.
          this.options.log(`webhook ${label}: signal not sent after ${attempt} tries (${errorName(err)})`);
          return false;
        }
        await sleep(this.options.retryDelayMs * 2 ** (attempt - 1));
      }
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const errorName = (err: unknown): string =>
  `${(err as Error)?.name ?? 'Error'}${grpcCodeOf(err) === undefined ? '' : ` code ${grpcCodeOf(err)}`}`;
