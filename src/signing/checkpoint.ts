/** Progress an activity keeps across its own retries (Temporal heartbeat details). */
export interface Checkpoint<T> {
  /** True when an earlier attempt of the same activity ran (and may have created something). */
  readonly retry: boolean;
  load(): T | undefined;
  save(value: T): void;
}

/** For callers outside an activity: assume an earlier attempt may have run, keep nothing. */
export const noCheckpoint = <T>(): Checkpoint<T> => ({
  retry: true,
  load: () => undefined,
  save: () => undefined,
});
