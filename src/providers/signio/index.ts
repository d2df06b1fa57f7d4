export { SignioClient, type FileContent, type SignioClientOptions } from './client';
export {
  INTERNAL_ERROR,
  OK_CODE,
  SIGNIO_CODES,
  TOKEN_INVALID,
  codeError,
  isTokenRejected,
  readOutcome,
  type SignioCode,
  type SignioOutcome,
} from './codes';
export { SignioRequestError } from './request-error';
export { SIGNIO_ROUTES, routeName, type SignioOperation } from './routes';
export { signioEnv, type SignioEnv } from './config';
export * from './statuses';
export {
  DEDUPLICATION_KEY_MAX,
  DOCUMENT_EXTENSIONS,
  ENVELOPE_SORTS,
  ENVELOPE_STATUSES,
  IDENTIFICATION_TYPES,
} from './schemas';
export type * from './schemas';

import { credentialRule } from '../env';
import { defineSigningProvider } from '../signing-module';
import { SignioClient } from './client';
import { signioEnv } from './config';
import { SignioSigning } from './signing';
import { signioWebhookAuth, signioWebhookReference } from './webhook';

/** Signio signs the rendered CCB; Securities does not accept Signio as a `signature_provider`. */
export const signioSigningProvider = defineSigningProvider({
  name: 'signio',
  env: signioEnv,
  credentials: credentialRule(signioEnv),
  // Decision: docs/providers/signio.md: no reminder call; cancelling returns (devolver) and deletes the envelope.
  capabilities: { reminders: false, cancel: true, securitiesRegistration: 'none' },
  webhook: {
    auth: signioWebhookAuth,
    secretVariable: 'SIGNIO_WEBHOOK_SECRET',
    referenceOf: signioWebhookReference,
  },
  create: (env, { ccbDocuments }) => {
    const client = SignioClient.fromEnv(env);
    return { provider: new SignioSigning(client, ccbDocuments), close: () => client.close() };
  },
});
