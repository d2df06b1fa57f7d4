/** ClearSale Data Trust's environment variables. */
import { z } from 'zod';
import { baseUrl, credential, credentialRule, secret } from '../env';

export const dataTrustEnv = z.object({
  /** The part of the URL before `/products` (production `https://api.clearsale.com.br`). */
  DATATRUST_BASE_URL: baseUrl.default('http://127.0.0.1:4101'),
  DATATRUST_USERNAME: credential,
  DATATRUST_PASSWORD: credential,
  /** The Bearer token ClearSale sends with its webhook notifications. */
  DATATRUST_WEBHOOK_TOKEN: secret,
});
export type DataTrustEnv = z.infer<typeof dataTrustEnv>;

export const dataTrustCredentials = credentialRule(dataTrustEnv);
