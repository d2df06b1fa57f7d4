export {
  AssineBemClient,
  type AssineBemClientOptions,
  type BinaryDownload,
  type DownloadedDocument,
} from './client';
export { apiStatusError, isApiSuccess, isAuthFailure } from './api-status';
export {
  createAssineBemSimulator,
  assineBemSimulatorOptions,
  type AssineBemSimulatorOptions,
} from './simulator';
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
