/**
 * The four provider simulators together, as `npm run simulators`, the demo and the tests start them.
 * Ports come from config (4101-4104) unless `randomPorts` is set (tests), and `baseUrls` gives the
 * configuration that points the clients at them.
 */
import type { Config } from '../config';
import { assineBemSimulatorOptions, createAssineBemSimulator } from './assinebem';
import { createDataTrustSimulator, dataTrustSimulatorOptions, type DataTrustSimulator } from './datatrust';
import { createSecuritiesSimulator, securitiesSimulatorOptions } from './securities';
import { createSignioSimulator, signioSimulatorOptions } from './signio';
import type { SimulatorServer } from './simulator-kit';

export interface SimulatorsOptions {
  /** Overrides SIMULATOR_AUTO_SIGN_MS (null: off). */
  autoSignMs?: number | null;
  /** Listen on free ports instead of the configured ones. */
  randomPorts?: boolean;
}

export interface Simulators {
  datatrust: DataTrustSimulator;
  securities: SimulatorServer;
  assinebem: SimulatorServer;
  signio: SimulatorServer;
  /** The base URL variables that point the clients at these simulators. */
  baseUrls: Pick<
    Config,
    'DATATRUST_BASE_URL' | 'SECURITIES_BASE_URL' | 'ASSINEBEM_BASE_URL' | 'SIGNIO_BASE_URL'
  >;
  /** `<provider> listening on <base url>`, one line each. */
  describe(): string[];
  close(): Promise<void>;
}

export async function startSimulators(config: Config, options: SimulatorsOptions = {}): Promise<Simulators> {
  const common = {
    ...(options.randomPorts ? { port: 0 } : {}),
    ...(options.autoSignMs !== undefined ? { autoSignMs: options.autoSignMs ?? undefined } : {}),
  };
  const datatrust = createDataTrustSimulator({ ...dataTrustSimulatorOptions(config), ...common });
  const securities = createSecuritiesSimulator({ ...securitiesSimulatorOptions(config), ...common });
  const assinebem = createAssineBemSimulator({ ...assineBemSimulatorOptions(config), ...common });
  const signio = createSignioSimulator({ ...signioSimulatorOptions(config), ...common });
  const all = [datatrust, securities, assinebem, signio];
  try {
    await Promise.all(all.map((s) => s.listen()));
  } catch (err) {
    await Promise.all(all.map((s) => s.close()));
    throw err;
  }
  const baseUrls = {
    DATATRUST_BASE_URL: datatrust.baseUrl,
    SECURITIES_BASE_URL: `${securities.baseUrl}/api`,
    ASSINEBEM_BASE_URL: `${assinebem.baseUrl}/api`,
    SIGNIO_BASE_URL: signio.baseUrl,
  };
  return {
    datatrust,
    securities,
    assinebem,
    signio,
    baseUrls,
    describe: () => [
      `datatrust listening on ${baseUrls.DATATRUST_BASE_URL}`,
      `securities listening on ${baseUrls.SECURITIES_BASE_URL}`,
      `assinebem listening on ${baseUrls.ASSINEBEM_BASE_URL}`,
      `signio listening on ${baseUrls.SIGNIO_BASE_URL}`,
    ],
    close: async () => {
      await Promise.all(all.map((s) => s.close()));
    },
  };
}
