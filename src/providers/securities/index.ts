export {
  SecuritiesClient,
  readSecuritiesError,
  type SecuritiesClientOptions,
  type SignedFile,
} from './client';
export { SecuritiesCcbDocuments } from './ccb-documents';
export { securitiesEnv, type SecuritiesEnv } from './config';
export * from './schemas';

import { credentialRule } from '../env';
import { defineSigningProvider } from '../signing-module';
import { SecuritiesClient } from './client';
import { securitiesEnv } from './config';
import { SecuritiesSigning } from './signing';
import { securitiesWebhookAuth, securitiesWebhookReference } from './webhook';

/** Securities signs its own proposal: the signed proposal is the CCB. */
export const securitiesSigningProvider = defineSigningProvider({
  name: 'securities',
  env: securitiesEnv,
  credentials: credentialRule(securitiesEnv),
  // Decision: docs/providers/securities.md: the API lists no reminder and no cancel call for a document.
  capabilities: { reminders: false, cancel: false, securitiesRegistration: 'native' },
  webhook: {
    auth: securitiesWebhookAuth,
    secretVariable: 'SECURITIES_WEBHOOK_SECRET',
    referenceOf: securitiesWebhookReference,
  },
  create: (env) => {
    const client = SecuritiesClient.fromEnv(env);
    return { provider: new SecuritiesSigning(client), close: () => client.close() };
  },
});
