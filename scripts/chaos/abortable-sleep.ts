/**
 * A pause that an abort ends at once, rejecting with the signal's reason (the run's `interrupted`
 * error, which the script tells apart from a failure); `setTimeout` from node:timers/promises would
 * reject with an AbortError instead.
 */
export const abortableSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
