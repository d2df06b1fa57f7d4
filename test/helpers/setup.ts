// Runs in every test process before its tests: the SDK logs warnings and errors only.
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { recordLog } from './worker-log';

/**
 * Expected in these tests, so not printed: the time-skipping test server does not advertise the
 * heartbeat-on-failure capability (Core warns once per worker; the tests that need heartbeat
 * details check their effect), and the fault-injection tests make activities fail on purpose (the
 * tests assert the attempts from the workflow history), and each provider queue's worker runs
 * activities only (the SDK notes it polls no workflow tasks). Set TEST_LOG_ALL=1 to see everything.
 */
// The SDK loads the failure converter (src/temporal/failure-converter.ts) with Node's own
// `require`, outside vitest's transform: TypeScript sources must be loadable that way too.
// eslint-disable-next-line @typescript-eslint/no-require-imports
(require('tsx/cjs/api') as { register: () => void }).register();

const KNOWN_NOISE = /activity_failure_include_heartbeat|^Activity failed$|^No workflows registered/;
const showAll = process.env['TEST_LOG_ALL'] !== undefined;

Runtime.install({
  logger: new DefaultLogger('WARN', (entry: LogEntry) => {
    recordLog(entry);
    if (!showAll && KNOWN_NOISE.test(entry.message)) return;
    console.error(`${entry.level} ${entry.message}`, entry.meta ?? '');
  }),
  telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
});
