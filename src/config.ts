/**
 * The environment, parsed once with zod. Nothing else in the project reads `process.env`.
 *
 * Every default points at the local simulators (see `npm run simulators`), so the project runs
 * with no credentials. Pointing a base URL at a real provider while keeping a simulator credential
 * is refused: it would only ever produce 401s.
 */
import { z } from 'zod';
import { faultRulesSchema } from './providers/simulator-kit';

const SIMULATOR_SECRET = 'simulator';

const url = z
  .string()
  .url()
  .transform((u) => u.replace(/\/+$/, ''));
const port = z.coerce.number().int().min(0).max(65535);
const positiveMs = z.coerce.number().int().positive();
const optionalPath = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v : undefined));

/** `SIMULATOR_AUTO_SIGN_MS`: off when unset or `off`, else the delay before simulated signers sign. */
const autoSignMs = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === '' || v.trim().toLowerCase() === 'off') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) {
      ctx.addIssue({ code: 'custom', message: 'must be a number of milliseconds or "off"' });
      return z.NEVER;
    }
    return n;
  });

const bool = z
  .string()
  .optional()
  .transform((v) => v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase()));

export const envSchema = z.object({
  // Temporal connection: a local dev server by default; a remote cluster or Temporal Cloud in production.
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('credit-onboarding'),
  TEMPORAL_API_KEY: optionalPath,
  TEMPORAL_TLS: bool,
  TEMPORAL_TLS_CERT_PATH: optionalPath,
  TEMPORAL_TLS_KEY_PATH: optionalPath,
  TEMPORAL_TLS_SERVER_NAME: optionalPath,
  TEMPORAL_TLS_SERVER_ROOT_CA_PATH: optionalPath,

  // Where the Temporal binaries come from (see src/temporal/binaries.ts).
  TEMPORAL_CLI_PATH: optionalPath,
  TEMPORAL_TEST_SERVER_PATH: optionalPath,
  TEMPORAL_CACHE_DIR: optionalPath,
  /** Searched for the Temporal binaries when neither variable above nor the cache has them. */
  PATH: z.string().default(''),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_PORT: port.default(7233),

  // ClearSale Data Trust: the part of the URL before `/products`.
  DATATRUST_BASE_URL: url.default('http://127.0.0.1:4101'),
  DATATRUST_USERNAME: z.string().min(1).default(SIMULATOR_SECRET),
  DATATRUST_PASSWORD: z.string().min(1).default(SIMULATOR_SECRET),
  /** Bearer token ClearSale sends with its webhook notifications. */
  DATATRUST_WEBHOOK_TOKEN: z.string().min(1).default(SIMULATOR_SECRET),

  // Clicksign Securities: the part of the URL before `/v1`.
  SECURITIES_BASE_URL: url.default('http://127.0.0.1:4102/api'),
  SECURITIES_TOKEN: z.string().min(1).default(SIMULATOR_SECRET),

  // Assine Bem: the part of the URL before `/documento`.
  ASSINEBEM_BASE_URL: url.default('http://127.0.0.1:4103/api'),
  ASSINEBEM_TOKEN: z.string().min(1).default(SIMULATOR_SECRET),

  // Signio: the part of the URL before `/token/crear`.
  SIGNIO_BASE_URL: url.default('http://127.0.0.1:4104'),
  SIGNIO_EMAIL: z.string().min(1).default(`${SIMULATOR_SECRET}@signio.local`),
  SIGNIO_PASSWORD: z.string().min(1).default(SIMULATOR_SECRET),
  /** The Signio tenant to use when the per-tenant authentication returns several. */
  SIGNIO_TENANT: optionalPath,

  // HTTP to providers: one undici Agent per provider with these timeouts.
  PROVIDER_CONNECT_TIMEOUT_MS: positiveMs.default(5_000),
  PROVIDER_HEADERS_TIMEOUT_MS: positiveMs.default(30_000),
  PROVIDER_BODY_TIMEOUT_MS: positiveMs.default(60_000),
  PROVIDER_REQUEST_TIMEOUT_MS: positiveMs.default(90_000),

  // The simulators (npm run simulators).
  SIMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  SIMULATOR_DATATRUST_PORT: port.default(4101),
  SIMULATOR_SECURITIES_PORT: port.default(4102),
  SIMULATOR_ASSINEBEM_PORT: port.default(4103),
  SIMULATOR_SIGNIO_PORT: port.default(4104),
  SIMULATOR_AUTO_SIGN_MS: autoSignMs,
  /** How long a simulated SMS token stays valid. */
  SIMULATOR_SMS_TOKEN_TTL_MS: positiveMs.default(5 * 60_000),
  /** JSON array of fault rules applied at start (see src/providers/simulator-kit.ts). */
  SIMULATOR_FAULTS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return [];
      let json: unknown;
      try {
        json = JSON.parse(v);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON array of fault rules' });
        return z.NEVER;
      }
      const rules = faultRulesSchema.safeParse(json);
      if (rules.success) return rules.data;
      for (const issue of rules.error.issues) ctx.addIssue({ ...issue, code: 'custom', path: issue.path });
      return z.NEVER;
    }),
});

export type Config = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(
    readonly fields: string[],
    detail: string,
  ) {
    super(`Invalid configuration: ${detail}`);
    this.name = 'ConfigError';
  }
}

const isLoopback = (u: string): boolean => {
  const host = new URL(u).hostname;
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
};

/** Parses an environment (process.env by default). Errors name every bad variable, never its value. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.'));
    throw new ConfigError(
      fields,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  const config = parsed.data;
  const guarded: Array<[string, string, string[]]> = [
    ['DATATRUST_BASE_URL', config.DATATRUST_BASE_URL, ['DATATRUST_USERNAME', 'DATATRUST_PASSWORD']],
    ['SECURITIES_BASE_URL', config.SECURITIES_BASE_URL, ['SECURITIES_TOKEN']],
    ['ASSINEBEM_BASE_URL', config.ASSINEBEM_BASE_URL, ['ASSINEBEM_TOKEN']],
    ['SIGNIO_BASE_URL', config.SIGNIO_BASE_URL, ['SIGNIO_PASSWORD']],
  ];
  for (const [urlField, value, secretFields] of guarded) {
    if (isLoopback(value)) continue;
    const defaulted = secretFields.filter((f) => env[f] === undefined || env[f] === '');
    if (defaulted.length > 0) {
      throw new ConfigError(
        defaulted,
        `${urlField} points at a real provider but ${defaulted.join(', ')} ${defaulted.length > 1 ? 'are' : 'is'} not set`,
      );
    }
  }
  return config;
}

let cached: Config | undefined;
/** The process's configuration, parsed on first use. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
