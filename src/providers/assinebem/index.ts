export {
  AssineBemClient,
  type AssineBemClientOptions,
  type BinaryDownload,
  type DownloadedDocument,
} from './client';
export { apiStatusError, isApiSuccess, isAuthFailure } from './api-status';
export { assineBemEnv, type AssineBemEnv } from './config';
export * from './statuses';
export * from './readings';
export type {
  Anexo,
  AttachmentRequest,
  AttachmentsList,
  CampoPreenchido,
  CentroCusto,
  Documento,
  Modelo,
  ModeloResumo,
  Parte,
  ParteDocumento,
  ParteEnvio,
  PartyChanges,
  PartyStatus,
  PendingSignature,
  PendingSignaturesPage,
  SignatureStatus,
  SignerUrl,
  UploadDocumentRequest,
  UploadTemplateRequest,
} from './schemas';

import { defineSigningProvider } from '../signing-module';
import { AssineBemClient } from './client';
import { assineBemCredentials, assineBemEnv } from './config';
import { AssineBemSigning } from './signing';
import { assineBemWebhookAuth, assineBemWebhookReference } from './webhook';

/** Assine Bem signs the rendered CCB; Securities registers the signed PDF as signed by `assinebem`. */
export const assineBemSigningProvider = defineSigningProvider({
  name: 'assinebem',
  env: assineBemEnv,
  credentials: assineBemCredentials,
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
