/**
 * Every provider a worker talks to, built once per process from its environment: the Data Trust
 * and Securities clients (their HTTP agents and cached tokens live here), and one SignatureProvider
 * per registered signing provider.
 */
import type { SignatureProvider } from '../signing/contract';
import { DataTrustClient } from './datatrust';
import type { ProvidersEnv } from './env-schema';
import { signingProviderModules, type SigningProviderName } from './registry';
import { SecuritiesCcbDocuments, SecuritiesClient } from './securities';

export interface Providers {
  datatrust: DataTrustClient;
  securities: SecuritiesClient;
  signing: Record<SigningProviderName, SignatureProvider>;
  close(): Promise<void>;
}

export function buildProviders(env: ProvidersEnv): Providers {
  const datatrust = DataTrustClient.fromEnv(env);
  const securities = SecuritiesClient.fromEnv(env);
  const context = { ccbDocuments: new SecuritiesCcbDocuments(securities) };
  const instances = signingProviderModules.map((m) => [m.name, m.create(env, context)] as const);
  return {
    datatrust,
    securities,
    signing: Object.fromEntries(instances.map(([name, i]) => [name, i.provider])) as Providers['signing'],
    close: async () => {
      await Promise.all([datatrust.close(), securities.close(), ...instances.map(([, i]) => i.close())]);
    },
  };
}
