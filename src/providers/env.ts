/**
 * The zod pieces every provider's environment schema is built from, and the HTTP timeouts all
 * providers share. Each provider folder declares its own variables in its `config.ts`; the product's
 * configuration (src/config.ts) merges them.
 */
import { z } from 'zod';
import type { HttpTimeouts } from './http';

/** The simulators' credential: the default of every secret, accepted only on loopback. */
export const SIMULATOR_SECRET = 'simulator';

export const baseUrl = z
  .string()
  .url()
  .transform((u) => u.replace(/\/+$/, ''));
/** A credential; unset or empty is the simulators' (compose passes unset variables as empty). */
export const secret = z
  .string()
  .optional()
  .transform((v) => (v !== undefined && v.trim() !== '' ? v : SIMULATOR_SECRET));
export const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v : undefined));
export const positiveMs = z.coerce.number().int().positive();

/** Which variables must be set when the base URL is not loopback (the simulators' defaults would only get 401s). */
export interface CredentialRule {
  baseUrl: string;
  secrets: string[];
}

export const httpEnv = z.object({
  PROVIDER_CONNECT_TIMEOUT_MS: positiveMs.default(5_000),
  PROVIDER_HEADERS_TIMEOUT_MS: positiveMs.default(30_000),
  PROVIDER_BODY_TIMEOUT_MS: positiveMs.default(60_000),
  PROVIDER_REQUEST_TIMEOUT_MS: positiveMs.default(90_000),
});
export type HttpEnv = z.infer<typeof httpEnv>;

export const timeoutsFromEnv = (env: HttpEnv): HttpTimeouts => ({
  connectMs: env.PROVIDER_CONNECT_TIMEOUT_MS,
  headersMs: env.PROVIDER_HEADERS_TIMEOUT_MS,
  bodyMs: env.PROVIDER_BODY_TIMEOUT_MS,
  totalMs: env.PROVIDER_REQUEST_TIMEOUT_MS,
});
