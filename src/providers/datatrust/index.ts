export { DataTrustClient, readDataTrustError, type DataTrustClientOptions } from './client';
export { DataTrustRequestError } from './request-error';
export {
  DataTrustSimulator,
  createDataTrustSimulator,
  dataTrustSimulatorOptions,
  simulatedScore,
  type DataTrustSimulatorOptions,
  type SentSms,
} from './simulator';
export { verifyWebhookAuthorization } from './webhook';
export * from './schemas';
