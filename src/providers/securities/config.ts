/** Clicksign Securities' environment variables. */
import { z } from 'zod';
import { baseUrl, credential, secret } from '../env';

export const securitiesEnv = z.object({
  /** The part of the URL before `/v1` (production `https://app.securities.com.br/api`). */
  SECURITIES_BASE_URL: baseUrl.default('http://127.0.0.1:4102/api'),
  /** The organisation's token, issued by Securities' support. */
  SECURITIES_TOKEN: credential,
  /** The HMAC secret Securities signs its webhook deliveries with (see webhook.ts). */
  SECURITIES_WEBHOOK_SECRET: secret,
});
export type SecuritiesEnv = z.infer<typeof securitiesEnv>;
