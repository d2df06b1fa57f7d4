/**
 * `npm run stack`: the production topology on this machine (scripts/stack/topology.ts), until Ctrl-C.
 * The first run builds the Temporal server, its SQL tool and the Web UI server from the Go module
 * proxy (minutes); later runs start in seconds. Then, in another terminal:
 *
 *   npm run demo -- --address 127.0.0.1:7633      # one onboarding on the stack
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runService } from '../src/service';
import { loadStackConfig } from './stack/config';
import { startStack } from './stack/topology';

Runtime.install({ logger: new DefaultLogger('WARN') });
runService(async () => {
  const stack = await startStack(loadStackConfig(), { log: (line) => console.log(line) });
  console.log(`Web UI ${stack.uiUrl}`);
  console.log(`API ${stack.api.url} (key in .temporal/dev-api-key)`);
  for (const w of stack.workers) console.log(`${w.name}: metrics ${w.metricsUrl}`);
  console.log(`Workers: deployment ${stack.deployment.name}, build ${stack.deployment.buildId} (current)`);
  console.log(`Logs in ${stack.logs}`);
  console.log(`Temporal ${stack.server.address}: npm run demo -- --address ${stack.server.address}`);
  return { close: stack.stop };
});
