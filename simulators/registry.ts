/**
 * The simulators: Data Trust's, and one per signing provider of src/providers/registry.ts, each the
 * object its folder's index.ts exports. A registered signing provider without a line here does
 * not compile.
 */
import { signingProviderNames, type SigningProviderName } from '../src/providers/registry';
import type { SimulatorName } from './addresses';
import { assineBemSimulator } from './assinebem';
import { dataTrustSimulator } from './datatrust';
import { securitiesSimulator } from './securities';
import type { SigningSimulatorModule, SimulatorModule } from './simulator-module';
import { signioSimulator } from './signio';

export { dataTrustSimulator };

export const signingSimulators: { [N in SigningProviderName]: SigningSimulatorModule<N> } = {
  securities: securitiesSimulator,
  assinebem: assineBemSimulator,
  signio: signioSimulator,
};

/** Every simulator: Data Trust's, then the signing providers' in the registry's order. */
export const simulatorModules: Array<SimulatorModule<SimulatorName>> = [
  dataTrustSimulator,
  ...signingProviderNames.map((name) => signingSimulators[name]),
];
