export { DataTrustClient, readDataTrustError, type DataTrustClientOptions } from './client';
export { dataTrustCredentials, dataTrustEnv, type DataTrustEnv } from './config';
export { DataTrustRequestError } from './request-error';
export { dataTrustWebhookAuth, verifyWebhookAuthorization } from './webhook';
export * from './schemas';
