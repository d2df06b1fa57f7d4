/**
 * The provider simulators together, as `npm run simulators`, the demo and the tests start them:
 * Data Trust, and one per registered signing provider (Securities also makes the CCB). Ports come
 * from the configuration (4101-4104) unless `randomPorts` is set (tests), and `baseUrls` gives the
 * configuration that points the product's clients at them.
 *
 * Webhooks: with `SIMULATOR_WEBHOOK_BASE_URL` (or the `webhookBaseUrl` option), each simulator
 * calls the product's receiver at `<base>/<provider>` when something changes (Data Trust: a token's
 * state; the signing providers: a signature, a refusal, completion), proved as the product checks it.
 */
import type { ProvidersEnv } from '../src/providers/env-schema';
import type { SigningProviderName } from '../src/providers/registry';
import { assineBemSimulatorOptions, createAssineBemSimulator } from './assinebem/simulator';
import { parseWebhookBaseUrl, type SimulatorConfig } from './config';
import {
  createDataTrustSimulator,
  dataTrustSimulatorOptions,
  type DataTrustSimulator,
} from './datatrust/simulator';
import type { SimulatorServer } from './kit';
import { createSecuritiesSimulator, securitiesSimulatorOptions } from './securities/simulator';
import { createSignioSimulator, signioSimulatorOptions } from './signio/simulator';

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

type Overrides = { port?: number; autoSignMs?: number | undefined };

/** `DATATRUST_BASE_URL`, `SECURITIES_BASE_URL`, ...: every provider's base URL variable. */
export type BaseUrlVariable = Extract<keyof ProvidersEnv, `${string}_BASE_URL`>;

interface SimulatorEntry<S extends SimulatorServer = SimulatorServer> {
  create(config: SimulatorConfig, overrides: Overrides): S;
  /** The configuration variable that points the product's client at it, and the path the client expects. */
  baseUrlVariable: BaseUrlVariable;
  path: string;
}

const dataTrust: SimulatorEntry<DataTrustSimulator> = {
  create: (config, o) => createDataTrustSimulator({ ...dataTrustSimulatorOptions(config), ...o }),
  baseUrlVariable: 'DATATRUST_BASE_URL',
  path: '',
};

/** One simulator per registered signing provider: a provider without one does not compile. */
const signing: Record<SigningProviderName, SimulatorEntry> = {
  securities: {
    create: (config, o) => createSecuritiesSimulator({ ...securitiesSimulatorOptions(config), ...o }),
    baseUrlVariable: 'SECURITIES_BASE_URL',
    path: '/api',
  },
  assinebem: {
    create: (config, o) => createAssineBemSimulator({ ...assineBemSimulatorOptions(config), ...o }),
    baseUrlVariable: 'ASSINEBEM_BASE_URL',
    path: '/api',
  },
  signio: {
    create: (config, o) => createSignioSimulator({ ...signioSimulatorOptions(config), ...o }),
    baseUrlVariable: 'SIGNIO_BASE_URL',
    path: '',
  },
};

export interface Simulators {
  datatrust: DataTrustSimulator;
  signing: Record<SigningProviderName, SimulatorServer>;
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
  const config: SimulatorConfig =
    options.webhookBaseUrl === undefined
      ? configured
      : {
          ...configured,
          SIMULATOR_WEBHOOK_BASE_URL: parseWebhookBaseUrl(options.webhookBaseUrl ?? undefined),
        };
  const overrides: Overrides = {
    ...(options.randomPorts ? { port: 0 } : {}),
    ...(options.autoSignMs !== undefined ? { autoSignMs: options.autoSignMs ?? undefined } : {}),
  };
  const datatrust = dataTrust.create(config, overrides);
  const signingServers = Object.fromEntries(
    Object.entries(signing).map(([name, entry]) => [name, entry.create(config, overrides)]),
  ) as Record<SigningProviderName, SimulatorServer>;
  const all: Array<[string, SimulatorEntry, SimulatorServer]> = [
    ['datatrust', dataTrust, datatrust],
    ...Object.entries(signing).map(([name, entry]): [string, SimulatorEntry, SimulatorServer] => [
      name,
      entry,
      signingServers[name as SigningProviderName],
    ]),
  ];
  try {
    await Promise.all(all.map(([, , s]) => s.listen()));
  } catch (err) {
    await Promise.all(all.map(([, , s]) => s.close()));
    throw err;
  }
  const baseUrls = Object.fromEntries(
    all.map(([, e, s]) => [e.baseUrlVariable, `${s.baseUrl}${e.path}`]),
  ) as Record<BaseUrlVariable, string>;
  return {
    datatrust,
    signing: signingServers,
    baseUrls,
    describe: () =>
      all.map(
        ([name, e, s]) =>
          `${name} listening on ${s.baseUrl}${e.path}` +
          (config.SIMULATOR_WEBHOOK_BASE_URL === undefined
            ? ''
            : `, webhooks to ${config.SIMULATOR_WEBHOOK_BASE_URL}/${name}`),
      ),
    close: async () => {
      await Promise.all(all.map(([, , s]) => s.close()));
    },
  };
}
