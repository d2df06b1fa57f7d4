/**
 * `npm run simulators`: the provider simulators on 127.0.0.1 (ports 4101-4104, see README),
 * until Ctrl-C. SIMULATOR_AUTO_SIGN_MS makes signers sign by themselves; SIMULATOR_FAULTS injects faults.
 */
import { startSimulators } from '../simulators';
import { loadSimulatorConfig } from '../simulators/config';

async function main(): Promise<void> {
  const simulators = await startSimulators(loadSimulatorConfig());
  for (const line of simulators.describe()) console.log(line);
  const stop = () => {
    simulators.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
