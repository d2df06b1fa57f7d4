/**
 * The zod pieces every provider's environment schema is built from, the rule that reads which of
 * its variables are credentials, and the HTTP timeouts all providers share. Each provider folder
 * declares its own variables in its `config.ts`; env-schema.ts merges them.
 */
import { z } from 'zod';
import type { HttpTimeouts } from './http';

/** The simulators' credential: the default of every secret, accepted only on loopback. */
export const SIMULATOR_SECRET = 'simulator';

export const baseUrl = z
  .string()
  .url()
  .transform((u) => u.replace(/\/+$/, ''));
/** Unset or empty is the simulators' secret (compose passes unset variables as empty). */
const simulatorDefault = () =>
  z
    .string()
    .optional()
    .transform((v) => (v !== undefined && v.trim() !== '' ? v : SIMULATOR_SECRET));
/** A secret the provider presents to us, such as its webhook secret. */
export const secret = simulatorDefault();
/** A secret our calls present to the provider: it must be set when the base URL is not loopback. */
export const credential = simulatorDefault();
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

/** The variables of `env` declared with `piece`, with or without a default. */
const declaredWith = (env: z.ZodObject, piece: z.ZodType): string[] =>
  Object.entries(env.shape)
    .filter(([, schema]) => schema === piece || (schema instanceof z.ZodDefault && schema.unwrap() === piece))
    .map(([name]) => name);

/** A provider's rule, read from its environment schema: its `baseUrl` variable and its `credential` ones. */
export function credentialRule(env: z.ZodObject): CredentialRule {
  const [url, ...others] = declaredWith(env, baseUrl);
  if (url === undefined || others.length > 0) throw new Error('a provider declares one base URL variable');
  return { baseUrl: url, secrets: declaredWith(env, credential) };
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
