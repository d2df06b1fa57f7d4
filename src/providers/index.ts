/**
 * Every provider client, built once per worker process from config (their HTTP agents and cached
 * tokens live here), and the three signing providers behind one interface.
 */
import type { Config } from '../config';
import type { SigningProviderName } from '../domain/input';
import { AssineBemClient } from './assinebem';
import { AssineBemSigning } from './assinebem/signing';
import { DataTrustClient } from './datatrust';
import { SecuritiesClient } from './securities';
import { SecuritiesCcbDocuments, SecuritiesSigning } from './securities/signing';
import type { SignatureProvider } from './signature-provider';
import { SignioClient } from './signio';
import { SignioSigning } from './signio/signing';

export interface ProviderClients {
  datatrust: DataTrustClient;
  securities: SecuritiesClient;
  assinebem: AssineBemClient;
  signio: SignioClient;
}

export interface Providers extends ProviderClients {
  signing: Record<SigningProviderName, SignatureProvider>;
  close(): Promise<void>;
}

export function providersFrom(clients: ProviderClients): Providers {
  const ccb = new SecuritiesCcbDocuments(clients.securities);
  return {
    ...clients,
    signing: {
      securities: new SecuritiesSigning(clients.securities),
      assinebem: new AssineBemSigning(clients.assinebem, ccb),
      signio: new SignioSigning(clients.signio, ccb),
    },
    close: async () => {
      await Promise.all(Object.values(clients).map((c: { close(): Promise<void> }) => c.close()));
    },
  };
}

export function buildProviders(config: Config): Providers {
  return providersFrom({
    datatrust: DataTrustClient.fromConfig(config),
    securities: SecuritiesClient.fromConfig(config),
    assinebem: AssineBemClient.fromConfig(config),
    signio: SignioClient.fromConfig(config),
  });
}
