/**
 * The provider simulators together, as `npm run simulators`, the demo and the tests start them:
 * every simulator of the registry (./registry.ts), Data Trust's and one per registered signing
 * provider (Securities also makes the CCB). Each listens on its configured port (./addresses.ts:
 * by default the port of its provider's default base URL, e.g. 4101 for Data Trust) unless
 * `randomPorts` is set (tests), and `baseUrls` gives the configuration that points the product's
 * clients at them.
 *
 * Webhooks: with `SIMULATOR_WEBHOOK_BASE_URL` (or the `webhookBaseUrl` option), each simulator
 * calls the product's receiver at `<base>/<provider>` when something changes (Data Trust: a token's
 * state; the signing providers: a signature, a refusal, completion), proved as the product checks it.
 */
import type { SigningProviderName } from '../src/providers/registry';
import { baseUrlVariableOf, simulatorNames, type BaseUrlVariable, type SimulatorName } from './addresses';
import { parseWebhookBaseUrl, simulatorPort, type SimulatorConfig } from './config';
import type { DataTrustSimulator } from './datatrust/simulator';
import type { SimulatorServer } from './kit';
import { dataTrustSimulator, signingSimulators } from './registry';

export type { BaseUrlVariable, SimulatorName } from './addresses';

export interface SimulatorsOptions {
  /** Overrides SIMULATOR_AUTO_SIGN_MS (null: off). */
  autoSignMs?: number | null;
  /** Listen on free ports instead of the configured ones. */
  randomPorts?: boolean;
  /**
   * Overrides SIMULATOR_WEBHOOK_BASE_URL (null: no webhooks): where the product receives the
   * providers' webhooks, e.g. `http://127.0.0.1:8088/webhooks`; each delivers to `<base>/<provider>`.
   */
  webhookBaseUrl?: string | null;
}

export interface Simulators {
  datatrust: DataTrustSimulator;
  signing: Record<SigningProviderName, SimulatorServer>;
  /** Every simulator, by the name of the provider it simulates. */
  servers: Record<SimulatorName, SimulatorServer>;
  /** The base URL variables that point the clients at these simulators. */
  baseUrls: Record<BaseUrlVariable, string>;
  /** `<provider> listening on <base url>`, one line each. */
  describe(): string[];
  close(): Promise<void>;
}

export async function startSimulators(
  configured: SimulatorConfig,
  options: SimulatorsOptions = {},
): Promise<Simulators> {
  const config: SimulatorConfig = {
    ...configured,
    ...(options.webhookBaseUrl === undefined
      ? {}
      : { SIMULATOR_WEBHOOK_BASE_URL: parseWebhookBaseUrl(options.webhookBaseUrl ?? undefined) }),
    ...(options.autoSignMs === undefined ? {} : { SIMULATOR_AUTO_SIGN_MS: options.autoSignMs ?? undefined }),
  };
  const port = (name: SimulatorName) => (options.randomPorts ? 0 : simulatorPort(config, name));
  const datatrust = dataTrustSimulator.create(config, port('datatrust'));
  const signing = Object.fromEntries(
    Object.values(signingSimulators).map((s) => [s.name, s.create(config, port(s.name))]),
  ) as Record<SigningProviderName, SimulatorServer>;
  const servers: Record<SimulatorName, SimulatorServer> = { datatrust, ...signing };
  const all = simulatorNames.map((name) => [name, servers[name]] as const);
  try {
    await Promise.all(all.map(([, s]) => s.listen()));
  } catch (err) {
    await Promise.all(all.map(([, s]) => s.close()));
    throw err;
  }
  const baseUrlOf = (s: SimulatorServer) => `${s.baseUrl}${s.prefix}`;
  const baseUrls = Object.fromEntries(
    all.map(([name, s]) => [baseUrlVariableOf(name), baseUrlOf(s)]),
  ) as Record<BaseUrlVariable, string>;
  return {
    datatrust,
    signing,
    servers,
    baseUrls,
    describe: () =>
      all.map(
        ([name, s]) =>
          `${name} listening on ${baseUrlOf(s)}` +
          (config.SIMULATOR_WEBHOOK_BASE_URL === undefined
            ? ''
            : `, webhooks to ${config.SIMULATOR_WEBHOOK_BASE_URL}/${name}`),
      ),
    close: async () => {
      await Promise.all(all.map(([, s]) => s.close()));
    },
  };
}
