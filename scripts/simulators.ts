/**
 * `npm run simulators`: the provider simulators on 127.0.0.1 (ports 4101-4104 unless a
 * `SIMULATOR_<NAME>_PORT` moves one), until Ctrl-C. SIMULATOR_AUTO_SIGN_MS makes signers sign by
 * themselves; SIMULATOR_FAULTS injects faults.
 */
import { runService } from '../src/service';
import { startSimulators } from '../simulators';
import { loadSimulatorConfig } from '../simulators/config';

runService(async () => {
  const simulators = await startSimulators(loadSimulatorConfig());
  for (const line of simulators.describe()) console.log(line);
  return simulators;
});
