/**
 * The provider simulators in a process of their own for the benchmark, on free loopback ports, so
 * they share no event loop with the worker or the load generator. Prints one JSON line with the
 * base URLs (`{"simulators": {...}}`), then serves until SIGTERM/SIGINT.
 *
 *   node --import tsx scripts/bench/simulators-process.ts '{"autoSignMs": 0}'   # or null: signers never sign
 */
import { runService } from '../../src/service';
import { startSimulators } from '../../simulators';
import { loadSimulatorConfig } from '../../simulators/config';

runService(async () => {
  const options = JSON.parse(process.argv[2] ?? '{}') as { autoSignMs?: number | null };
  const simulators = await startSimulators(loadSimulatorConfig({ SIMULATOR_HOST: '127.0.0.1' }), {
    randomPorts: true,
    autoSignMs: options.autoSignMs ?? null,
    webhookBaseUrl: null,
  });
  const servers = { datatrust: simulators.datatrust, ...simulators.signing };
  console.log(
    JSON.stringify({
      simulators: {
        baseUrls: simulators.baseUrls,
        servers: Object.fromEntries(Object.entries(servers).map(([name, s]) => [name, s.baseUrl])),
      },
    }),
  );
  return simulators;
});
