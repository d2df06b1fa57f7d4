/**
 * The skeleton's worker, a process of its own laid out like the onboarding's (src/temporal/onboarding-workers.ts):
 * a worker on its own task queue with its workflows, bundled at start by the SDK's bundler, and its
 * no-op activity, plus an activity-only worker per provider queue (`<queue>-datatrust`, ...), all on
 * one connection, with the SDK's default worker options (as src/worker.ts uses them) and the SDK's
 * default data converter. Prints a line once polling.
 *
 *   TEMPORAL_ADDRESS=127.0.0.1:7233 node --import tsx scripts/bench/skeleton/worker.ts <task queue>
 *
 * It connects as the product's processes do (src/temporal/connection.ts: TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_TLS_*).
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../../../src/config';
import { calledProviders } from '../../../src/providers/registry';
import { temporalConnectionSettings } from '../../../src/temporal/connection';
import { providerTaskQueue } from '../../../src/temporal/provider-queues';
import * as activities from './activities';

async function main(): Promise<void> {
  const taskQueue = process.argv[2] ?? 'bench-skeleton';
  Runtime.install({ logger: new DefaultLogger('WARN') });
  // The product's Temporal settings (address, mutual TLS on the production topology), nothing else.
  const settings = temporalConnectionSettings(loadConfig());
  const connection = await NativeConnection.connect({
    address: settings.address,
    ...(settings.tls ? { tls: settings.tls } : {}),
  });
  const common = {
    connection,
    namespace: settings.namespace,
    activities,
    shutdownGraceTime: '5 seconds',
  } as const;
  const workers = [
    await Worker.create({ ...common, taskQueue, workflowsPath: require.resolve('./workflows') }),
    ...(await Promise.all(
      calledProviders.map((p) => Worker.create({ ...common, taskQueue: providerTaskQueue(taskQueue, p) })),
    )),
  ];
  const done = Promise.all(workers.map((w) => w.run()));
  console.log(`skeleton worker polling task queue ${taskQueue}`);
  await done;
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
