// Runs in every test process before its tests: the SDK logs warnings and errors only.
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';

/**
 * The time-skipping test server does not advertise the heartbeat-on-failure capability, and Core
 * warns about it once per worker. The tests that depend on heartbeat details check them directly.
 */
const KNOWN_NOISE = /activity_failure_include_heartbeat/;

Runtime.install({
  logger: new DefaultLogger('WARN', (entry: LogEntry) => {
    if (KNOWN_NOISE.test(entry.message)) return;
    console.error(`${entry.level} ${entry.message}`, entry.meta ?? '');
  }),
  telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
});
