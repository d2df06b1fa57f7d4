/** Assine Bem's environment variables. */
import { z } from 'zod';
import { baseUrl, secret, type CredentialRule } from '../env';

export const assineBemEnv = z.object({
  /** The part of the URL before `/documento` (production `https://www.assinebem.com.br/api`). */
  ASSINEBEM_BASE_URL: baseUrl.default('http://127.0.0.1:4103/api'),
  ASSINEBEM_TOKEN: secret,
});
export type AssineBemEnv = z.infer<typeof assineBemEnv>;

export const assineBemCredentials: CredentialRule = {
  baseUrl: 'ASSINEBEM_BASE_URL',
  secrets: ['ASSINEBEM_TOKEN'],
};
