/**
 * Which simulators there are (Data Trust's and one per registered signing provider), where each
 * listens, and the variable that points the product's client at it.
 *
 * A simulator's default port is the port of its provider's default base URL (Data Trust's
 * `http://127.0.0.1:4101`, Securities' `http://127.0.0.1:4102/api`, ...), so the product with no
 * configuration finds the simulators `npm run simulators` starts, and a provider's port is written
 * once, in its src/providers/<name>/config.ts. `SIMULATOR_<NAME>_PORT` moves a simulator.
 */
import { dataTrustCredentials } from '../src/providers/datatrust/config';
import { providersEnv, type ProvidersEnv } from '../src/providers/env-schema';
import {
  signingProviderModule,
  signingProviderNames,
  type SigningProviderName,
} from '../src/providers/registry';

export type SimulatorName = 'datatrust' | SigningProviderName;
/** Data Trust's, then the signing providers' in the registry's order. */
export const simulatorNames: [SimulatorName, ...SimulatorName[]] = ['datatrust', ...signingProviderNames];

/** `DATATRUST_BASE_URL`, `SECURITIES_BASE_URL`, ...: every provider's base URL variable. */
export type BaseUrlVariable = Extract<keyof ProvidersEnv, `${string}_BASE_URL`>;

/** The variable that points the product's client at the simulator (its provider's `credentials.baseUrl`). */
export const baseUrlVariableOf = (name: SimulatorName): BaseUrlVariable =>
  (name === 'datatrust' ? dataTrustCredentials : signingProviderModule(name).credentials)
    .baseUrl as BaseUrlVariable;

export type PortVariable = `SIMULATOR_${Uppercase<SimulatorName>}_PORT`;
export const portVariableOf = (name: SimulatorName): PortVariable =>
  `SIMULATOR_${name.toUpperCase()}_PORT` as PortVariable;

const productDefaults = providersEnv.parse({});

/** The port of the provider's default base URL. */
export function defaultPortOf(name: SimulatorName): number {
  const url = new URL(productDefaults[baseUrlVariableOf(name)]);
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}
