/**
 * The environment, parsed once with zod. Nothing else in the product reads `process.env`.
 *
 * Every default points at the local simulators (see `npm run simulators`), so the project runs
 * with no credentials. Pointing a base URL at a real provider while keeping a simulator credential
 * is refused: it would only ever produce 401s.
 */
import { z } from 'zod';
import { isLoopbackHost } from './loopback';
import { optionalString } from './providers/env';
import { credentialRules, providersEnv } from './providers/env-schema';
import { calledProviders } from './providers/registry';

/** A migration window longer than this is not a window (src/temporal/encryption-codec.ts). */
const MIGRATION_WINDOW_MAX_DAYS = 60;

const bool = z
  .string()
  .optional()
  .transform((v) => v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase()));

// Temporal joins the two as `<deployment>.<build id>`, so a deployment name holds no dot.
const deploymentName = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const buildId = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/;

/** The Temporal connection: a local dev server by default; a remote cluster or Temporal Cloud in production. */
export const temporalEnv = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('credit-onboarding'),
  TEMPORAL_API_KEY: optionalString,
  TEMPORAL_TLS: bool,
  TEMPORAL_TLS_CERT_PATH: optionalString,
  TEMPORAL_TLS_KEY_PATH: optionalString,
  TEMPORAL_TLS_SERVER_NAME: optionalString,
  TEMPORAL_TLS_SERVER_ROOT_CA_PATH: optionalString,
  /**
   * The payload encryption keyring: `id:base64key` entries (32-byte AES-256 keys) separated by
   * commas, the active key first; older keys only decrypt. Unset on a loopback address: a local
   * development key is created in the cache folder. Unset elsewhere: the worker and client refuse to start.
   */
  TEMPORAL_ENCRYPTION_KEYS: optionalString,
  /**
   * Where each onboarding's data key is kept (a `postgres://` URL: src/temporal/data-keys/postgres-store.ts).
   * Unset outside production mode: files in the cache folder. Production mode requires it.
   */
  DATA_KEY_STORE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  /**
   * How long after an onboarding closes its data key is destroyed by the retention schedule (hours;
   * 168, seven days, as the namespace's default retention): docs/privacy.md.
   */
  PERSONAL_DATA_RETENTION_HOURS: optionalString.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number of hours')
      .transform(Number)
      .pipe(
        z
          .number()
          .min(1, 'must be at least 1')
          .max(24 * 366, 'must be at most a year (8784)'),
      )
      .default(168),
  ),
  /**
   * The end of a migration window (a date, YYYY-MM-DD, at most 60 days ahead): until then payloads
   * written before they were bound to their onboarding (in clear, or encrypted for none) are read,
   * for onboardings started before this release on an unversioned deployment. A process refuses to
   * start with a window that has closed. Unset: such payloads are refused.
   */
  TEMPORAL_PAYLOAD_MIGRATION_UNTIL: optionalString.transform((text, ctx) => {
    if (text === undefined) return undefined;
    const until = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T23:59:59.999Z`) : new Date(NaN);
    const now = Date.now();
    if (Number.isNaN(until.getTime()))
      ctx.addIssue({ code: 'custom', message: 'must be a date, YYYY-MM-DD' });
    else if (until.getTime() < now)
      ctx.addIssue({ code: 'custom', message: 'the migration window has closed: remove it' });
    else if (until.getTime() > now + MIGRATION_WINDOW_MAX_DAYS * 86_400_000)
      ctx.addIssue({ code: 'custom', message: `must be at most ${MIGRATION_WINDOW_MAX_DAYS} days ahead` });
    else return until;
    return z.NEVER;
  }),
  /** The name backend code with the TypeScript client acts under: the principal of its commands. */
  TEMPORAL_CLIENT_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, dot, dash and underscore, at most 64')
    .default('backend'),
  /** The git-ignored cache folder (`.temporal/`): binaries, the dev server's database, development keys. */
  TEMPORAL_CACHE_DIR: optionalString,
  /**
   * How many workflows a worker keeps in memory between their tasks (unset: the SDK's default, from
   * the heap size). Parked onboardings beyond it are evicted and replayed from history when they
   * wake: lower bounds the worker's memory, higher saves the replays.
   */
  TEMPORAL_MAX_CACHED_WORKFLOWS: optionalString.pipe(
    z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).optional(),
  ),
  /**
   * How often each signing provider's signature sweep runs (seconds; 0 turns it off): onboardings
   * whose status checks have backed off to this interval or longer stop checking by themselves and
   * the sweep checks their envelopes instead (docs/signature-sweep.md).
   */
  SIGNATURE_SWEEP_SECONDS: optionalString.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number of seconds')
      .transform(Number)
      .pipe(z.number().max(86_400, 'must be at most a day (86400)'))
      .default(3_600),
  ),
  /**
   * `on`: the onboardings this worker starts put the calls an applicant waits for before background
   * work in the task queues (src/workflows/onboarding/call-options.ts); `off`: every call at the
   * default priority (the benchmark's reference).
   */
  TASK_QUEUE_PRIORITY: optionalString.pipe(
    z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  ),
  /** The most envelopes a signature sweep checks a second at one provider (its calls go on top of the onboardings'). */
  SIGNATURE_SWEEP_CHECKS_PER_SECOND: optionalString.pipe(
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, 'must be a positive number')
      .transform(Number)
      .pipe(z.number().gt(0, 'must be above 0').max(1_000, 'must be at most 1000'))
      .default(10),
  ),
  /** The worker's name in the workflow histories (e.g. the pod's name); unset: the SDK's `pid@host`. */
  TEMPORAL_WORKER_IDENTITY: optionalString,
  /** Where the worker serves Prometheus metrics (`host:port`, path `/metrics`). Unset: none. */
  TEMPORAL_METRICS_ADDRESS: optionalString,
  /**
   * Worker Versioning (README, Production: releases): the worker deployment this worker belongs to
   * and its build id, both or neither. Set, the worker polls as that deployment version, and every
   * onboarding stays pinned to the version it started on until it ends. Unset: an unversioned worker.
   */
  TEMPORAL_DEPLOYMENT_NAME: optionalString.pipe(
    z.string().regex(deploymentName, 'letters, digits, dash and underscore, at most 100').optional(),
  ),
  TEMPORAL_BUILD_ID: optionalString.pipe(
    z.string().regex(buildId, 'letters, digits, dot, plus, dash and underscore, at most 100').optional(),
  ),
  /**
   * At most this many activities a second per provider, across every worker: `provider:rate`
   * entries separated by commas (e.g. `datatrust:5,assinebem:2`). A provider named here has its
   * activities on a task queue of its own, where Temporal enforces it. Unset: no limit.
   */
  PROVIDER_RATE_LIMITS: optionalString.transform((text, ctx) => {
    const limits: Record<string, number> = {};
    for (const entry of (text ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '')) {
      const [name, rate] = entry.split(':');
      const value = Number(rate);
      if (!name || !calledProviders.includes(name) || !(value > 0) || !Number.isFinite(value)) {
        ctx.addIssue({
          code: 'custom',
          message: `entries must be provider:rate, with a provider among ${calledProviders.join(', ')} and a positive rate`,
        });
        return z.NEVER;
      }
      limits[name] = value;
    }
    return limits;
  }),
  /**
   * Provider queues to keep polling, without a limit and without new calls routed to them: where
   * onboardings started while the provider had a rate limit (or, before 2026-11-24, every
   * provider) still send their calls. Provider names separated by commas, or `all`. Unset: none.
   */
  PROVIDER_QUEUES_DRAINING: optionalString.transform((text, ctx) => {
    const names = (text ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '');
    if (names.length === 1 && names[0] === 'all') return [...calledProviders];
    if (names.some((name) => !calledProviders.includes(name))) {
      ctx.addIssue({
        code: 'custom',
        message: `must be "all" or providers among ${calledProviders.join(', ')}`,
      });
      return z.NEVER;
    }
    return names;
  }),
});

/** The codec server (`npm run codec-server`): the Web UI and the CLI decode payloads through it. */
export const codecServerEnv = z.object({
  CODEC_SERVER_HOST: z.string().min(1).default('127.0.0.1'),
  CODEC_SERVER_PORT: z.coerce.number().int().min(0).max(65535).default(8089),
  /**
   * Tokens accepted as `Authorization: Bearer <token>` (or, for a Web UI that cannot send a header,
   * as the first path segment after `/ui/`), separated by commas. Unset on loopback: a development
   * token is created in the cache folder.
   */
  CODEC_SERVER_TOKENS: optionalString,
  /**
   * Users signed in to the Web UI through this OpenID Connect issuer (the UI forwards their token,
   * `codec.passAccessToken`) may decode when they are in one of CODEC_SERVER_OIDC_DECODE_GROUPS.
   * Unset: no user token is accepted, only CODEC_SERVER_TOKENS.
   */
  CODEC_SERVER_OIDC_ISSUER: optionalString,
  /** The client ids (`aud`) a user's token must be issued to, separated by commas. */
  CODEC_SERVER_OIDC_AUDIENCES: optionalString,
  /** The groups whose members may decode, separated by commas. */
  CODEC_SERVER_OIDC_DECODE_GROUPS: optionalString,
  /** The groups whose members may send onboardings commands from the Web UI (a repair, a cancel), separated by commas. */
  CODEC_SERVER_OIDC_COMMAND_GROUPS: optionalString,
  /** The claim of the token that lists the user's groups. */
  CODEC_SERVER_OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
  /** The Web UI origins allowed to call it from a browser, separated by commas. */
  CODEC_SERVER_CORS_ORIGINS: z.string().default('http://127.0.0.1:8233,http://localhost:8233'),
  CODEC_SERVER_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024),
});

/** The HTTP service (`npm run api`): the backend API and the providers' webhooks. */
export const apiEnv = z.object({
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(8088),
  /**
   * API keys as `name@tenant:scopes:sha256hex` entries separated by commas (src/http/api-keys.ts):
   * the key's SHA-256 in hex, so the keys themselves are never stored. Unset on loopback, outside
   * production mode: a development key is created in the cache folder.
   */
  API_KEYS: optionalString,
  API_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024),
  /** How long a call to Temporal may take before the API answers 503 with Retry-After. */
  API_TEMPORAL_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Where the API is reached from outside, for the links it answers with (default: its own address). */
  API_PUBLIC_URL: optionalString,
  /** The API serves TLS with this certificate (PEM, its chain) and key: both or neither. */
  API_TLS_CERT_PATH: optionalString,
  API_TLS_KEY_PATH: optionalString,
  /**
   * The API listens in plain HTTP beyond loopback because a TLS proxy in front of it terminates TLS
   * (docs/production.md): production mode takes this as the lender's word for it.
   */
  API_TLS_TERMINATED_BY_PROXY: bool,
  /**
   * The API's limits, per replica (src/http/api/limits.ts; the defaults are justified in
   * docs/api.md#limits): requests a minute per key and per tenant, writes (POST) and reads (GET)
   * apart; onboardings started and SMS sent a day per applicant phone within a tenant; webhook
   * deliveries a minute per provider.
   */
  API_WRITES_PER_MINUTE_PER_KEY: z.coerce.number().int().positive().default(120),
  API_WRITES_PER_MINUTE_PER_TENANT: z.coerce.number().int().positive().default(600),
  API_READS_PER_MINUTE_PER_KEY: z.coerce.number().int().positive().default(1_200),
  API_READS_PER_MINUTE_PER_TENANT: z.coerce.number().int().positive().default(6_000),
  API_STARTS_PER_DAY_PER_PHONE: z.coerce.number().int().positive().default(3),
  API_SMS_PER_DAY_PER_PHONE: z.coerce.number().int().positive().default(8),
  API_WEBHOOKS_PER_MINUTE_PER_PROVIDER: z.coerce.number().int().positive().default(600),
});

/** Traces (docs/tracing.md): the worker's and the API's spans, exported over OTLP when set. */
export const tracingEnv = z.object({
  /**
   * The OTLP/HTTP collector's base URL (spans go to `<url>/v1/traces`, as JSON). Unset: no traces,
   * and nothing traced costs anything. https, except on loopback: spans name onboardings and providers.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.pipe(
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .refine(
        (u) => new URL(u).protocol === 'https:' || isLoopbackHost(new URL(u).hostname),
        'must be an https URL (http on loopback only)',
      )
      .optional(),
  ),
});

/** The credit policies onboardings run on (src/domain/credit-policy.ts, docs/credit-policies.md). */
export const creditPolicyEnv = z.object({
  /** The policy catalog as JSON; unset, with no file either: the built-in `standard` policy. */
  CREDIT_POLICIES: optionalString,
  /** The same, from a file (a mounted secret or config map); one of the two. */
  CREDIT_POLICIES_FILE: optionalString,
});

/** The key that signs each completed onboarding's evidence record (src/evidence/keys.ts, docs/evidence.md). */
export const evidenceEnv = z.object({
  /**
   * An Ed25519 private key: PKCS#8 PEM, or its 32-byte seed in base64. Unset outside production
   * mode: a development key is made once in the cache folder. Production mode requires it (worker).
   */
  EVIDENCE_SIGNING_KEY: optionalString,
  /** The key's id in each record's signature (unset: `ed25519-` and 16 hex digits of the public key's SHA-256). */
  EVIDENCE_SIGNING_KEY_ID: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash and underscore, at most 64')
      .optional(),
  ),
});

/** Events pushed to each tenant's backend (src/events/endpoints.ts, docs/events.md); read by the workers. */
export const eventsEnv = z.object({
  /** `name@tenant=https://…` entries; unset: no tenant gets events. */
  EVENT_ENDPOINTS: optionalString,
  /** `tenant=whsec_<base64>` entries, several per tenant while one rotates. */
  EVENT_SIGNING_SECRETS: optionalString,
  /** The first retry's wait; each next doubles, up to an hour. */
  EVENT_RETRY_FIRST_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** How long an event is retried before it is given up (at least 24 in production mode). */
  EVENT_RETRY_FOR_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 7)
    .default(26),
  /** How long after the outcome's event re-sends are taken. */
  EVENT_RESEND_DAYS: z.coerce.number().positive().max(30).default(7),
});

export const envSchema = z.object({
  /** `production`: no development default anywhere (src/production.ts). */
  NODE_ENV: z.string().optional(),
  ...temporalEnv.shape,
  ...creditPolicyEnv.shape,
  ...evidenceEnv.shape,
  ...eventsEnv.shape,
  ...codecServerEnv.shape,
  ...apiEnv.shape,
  ...tracingEnv.shape,
  ...providersEnv.shape,
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

export const isLoopbackUrl = (u: string): boolean => isLoopbackHost(new URL(u).hostname);

export type Env = Record<string, string | undefined>;

/** This process's environment: the one place the product reads `process.env`. */
export const processEnvironment = (): Env => process.env;

/** Parses `env` with `schema`; the error names every bad variable, never its value. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((i) => i.path.join('.')),
    parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
  );
}

/** Parses an environment (process.env by default). Errors name every bad variable, never its value. */
export function loadConfig(env: Env = processEnvironment()): Config {
  const config = parseEnv(envSchema, env);
  if ((config.TEMPORAL_DEPLOYMENT_NAME === undefined) !== (config.TEMPORAL_BUILD_ID === undefined)) {
    throw new ConfigError(
      ['TEMPORAL_DEPLOYMENT_NAME', 'TEMPORAL_BUILD_ID'],
      'TEMPORAL_DEPLOYMENT_NAME and TEMPORAL_BUILD_ID are set together or not at all',
    );
  }
  for (const rule of credentialRules) {
    const url = (config as Record<string, unknown>)[rule.baseUrl];
    if (typeof url !== 'string' || isLoopbackUrl(url)) continue;
    const defaulted = rule.secrets.filter((f) => env[f] === undefined || env[f] === '');
    if (defaulted.length > 0) {
      throw new ConfigError(
        defaulted,
        `${rule.baseUrl} points at a real provider but ${defaulted.join(', ')} ${defaulted.length > 1 ? 'are' : 'is'} not set`,
      );
    }
  }
  return config;
}
