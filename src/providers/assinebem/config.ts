/** Assine Bem's environment variables. */
import { z } from 'zod';
import { baseUrl, credential, secret } from '../env';

export const assineBemEnv = z.object({
  /** The part of the URL before `/documento` (production `https://www.assinebem.com.br/api`). */
  ASSINEBEM_BASE_URL: baseUrl.default('http://127.0.0.1:4103/api'),
  ASSINEBEM_TOKEN: credential,
  /** The shared secret Assine Bem's webhook deliveries carry (see webhook.ts). */
  ASSINEBEM_WEBHOOK_SECRET: secret,
});
export type AssineBemEnv = z.infer<typeof assineBemEnv>;
