export { AssineBemClient, type AssineBemClientOptions, type DownloadedDocument } from './client';
export { apiStatusError, isApiSuccess, isAuthFailure } from './api-status';
export { assineBemEnv, type AssineBemEnv } from './config';
export * from './statuses';
export * from './readings';
export type * from './schemas';

import { credentialRule } from '../env';
import { defineSigningProvider } from '../signing-module';
import { AssineBemClient } from './client';
import { assineBemEnv } from './config';
import { AssineBemSigning } from './signing';
import { assineBemWebhookAuth, assineBemWebhookReference } from './webhook';

/** Assine Bem signs the rendered CCB; Securities registers the signed PDF as signed by `assinebem`. */
export const assineBemSigningProvider = defineSigningProvider({
  name: 'assinebem',
  env: assineBemEnv,
  credentials: credentialRule(assineBemEnv),
  capabilities: {
    reminders: true,
    cancel: true,
    securitiesRegistration: { signatureProvider: 'assinebem' },
  },
  webhook: {
    auth: assineBemWebhookAuth,
    secretVariable: 'ASSINEBEM_WEBHOOK_SECRET',
    referenceOf: assineBemWebhookReference,
  },
  create: (env, { ccbDocuments }) => {
    const client = AssineBemClient.fromEnv(env);
    return { provider: new AssineBemSigning(client, ccbDocuments), close: () => client.close() };
  },
});
