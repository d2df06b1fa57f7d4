/**
 * How the product's long-running commands (`npm run api`, `npm run codec-server`) run: started,
 * stopped gracefully on SIGINT or SIGTERM, and a start-up failure printed (its message only: a
 * configuration error names variables, never values) with exit status 1.
 */
export function runService(start: () => Promise<{ close(): Promise<void> }>): void {
  start().then(
    (service) => {
      const stop = () => {
        service.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
