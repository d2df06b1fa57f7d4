/** Signio's environment variables. */
import { z } from 'zod';
import { SIMULATOR_SECRET, baseUrl, optionalString, credential, secret } from '../env';

export const signioEnv = z.object({
  /** The part of the URL before `/token/crear`. */
  SIGNIO_BASE_URL: baseUrl.default('http://127.0.0.1:4104'),
  SIGNIO_EMAIL: z.string().min(1).default(`${SIMULATOR_SECRET}@signio.local`),
  SIGNIO_PASSWORD: credential,
  /** The Signio tenant to use when the per-tenant authentication returns several. */
  SIGNIO_TENANT: optionalString,
  /** The shared secret Signio's webhook deliveries carry (see webhook.ts). */
  SIGNIO_WEBHOOK_SECRET: secret,
});
export type SignioEnv = z.infer<typeof signioEnv>;
