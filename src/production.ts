/**
 * Production mode (`NODE_ENV=production`): no development default anywhere. What each of the
 * product's processes needs then is here, in `productionProblems`; the worker, the API and the
 * codec server load their configuration with `loadConfigFor` (below), which refuses to start
 * one that lacks any of it, naming every variable at once and never a value, before it connects
 * anywhere.
 *
 * Outside production mode the embedded development setup keeps its zero configuration on loopback:
 * a development encryption key, codec token and API key made in the cache folder, the simulators'
 * webhook secret accepted, the provider base URLs at the simulators.
 */
import { ConfigError, envSchema, loadConfig, processEnvironment, type Config, type Env } from './config';
import { isLoopbackAddress } from './loopback';
import { SIMULATOR_SECRET, secret } from './providers/env';
import { credentialRules, providersEnv } from './providers/env-schema';

export type ProcessRole = 'worker' | 'api' | 'codec-server';

export interface ProductionProblem {
  /** The variable to set or change. */
  variable: string;
  /** What it must be; never its value. */
  problem: string;
}

/** Whether production mode is on: `NODE_ENV=production`, nothing else. */
export const productionMode = (config: { NODE_ENV?: string | undefined }): boolean =>
  config.NODE_ENV === 'production';

/** The secrets providers present to us (their webhooks'): the variables declared with `secret`. */
const webhookSecretVariables = Object.entries(providersEnv.shape)
  .filter(([, schema]) => schema === secret)
  .map(([name]) => name);

const MADE_IN_DEVELOPMENT = 'must be set (production mode makes no development key or token)';

/**
 * What `role` lacks for production mode: empty when it has everything. `env` is the environment
 * `config` was parsed from, which tells a variable left unset from one set to its default's value.
 */
export function productionProblems(config: Config, role: ProcessRole, env: Env): ProductionProblem[] {
  const problems: ProductionProblem[] = [];
  const need = (variable: string, problem: string) => problems.push({ variable, problem });
  const isSet = (variable: string) => (env[variable]?.trim() ?? '') !== '';
  const isDevelopmentValue = (variable: string) => env[variable]?.trim() === SIMULATOR_SECRET;

  // Every role encrypts or decrypts payloads: a key made by one replica would be lost with it, and
  // no other replica could read what it wrote.
  if (config.TEMPORAL_ENCRYPTION_KEYS === undefined) need('TEMPORAL_ENCRYPTION_KEYS', MADE_IN_DEVELOPMENT);
  // Each onboarding's data key: files on one machine would be another replica's missing keys.
  if (config.DATA_KEY_STORE_URL === undefined)
    need(
      'DATA_KEY_STORE_URL',
      "is required in production mode: every replica reads each onboarding's data key from PostgreSQL",
    );

  // The worker and the API connect to Temporal; the codec server does not.
  if (role === 'worker' || role === 'api') problems.push(...temporalTlsProblems(config));

  if (role === 'worker') {
    // The worker signs the evidence records; a key made by one replica could not be verified later.
    if (config.EVIDENCE_SIGNING_KEY === undefined) need('EVIDENCE_SIGNING_KEY', MADE_IN_DEVELOPMENT);
    // A lender's backend may be down for a day: its events are retried at least that long.
    if (config.EVENT_RETRY_FOR_HOURS < 24)
      need('EVENT_RETRY_FOR_HOURS', 'must be at least 24 in production mode');
    for (const rule of credentialRules) {
      const url = (config as Record<string, unknown>)[rule.baseUrl];
      if (typeof url !== 'string' || new URL(url).protocol !== 'https:')
        need(rule.baseUrl, 'must be an https URL');
      for (const variable of rule.secrets) {
        if (!isSet(variable) || isDevelopmentValue(variable))
          need(variable, "must be set to the provider's credential (production mode has no development one)");
      }
    }
  }

  if (role === 'api') {
    if (config.API_KEYS === undefined) need('API_KEYS', MADE_IN_DEVELOPMENT);
    // API keys and webhook secrets cross this port: in clear only on loopback, or behind a TLS proxy.
    const tls = config.API_TLS_CERT_PATH !== undefined && config.API_TLS_KEY_PATH !== undefined;
    if (!tls && !config.API_TLS_TERMINATED_BY_PROXY && !isLoopbackAddress(config.API_HOST))
      need(
        'API_TLS_CERT_PATH',
        'is required to serve beyond loopback (API_HOST) in production mode, with API_TLS_KEY_PATH, unless a TLS proxy in front terminates it (API_TLS_TERMINATED_BY_PROXY)',
      );
    // Unset, a webhook's receiver is off (src/http/webhooks/receivers.ts); the development secret is public.
    for (const variable of webhookSecretVariables) {
      if (isDevelopmentValue(variable))
        need(
          variable,
          'is the development value, which is public: set a secret of its own, or unset it to turn its webhook off',
        );
    }
  }

  if (role === 'codec-server') {
    const issuer = config.CODEC_SERVER_OIDC_ISSUER;
    if (config.CODEC_SERVER_TOKENS === undefined && issuer === undefined)
      need(
        'CODEC_SERVER_TOKENS',
        `${MADE_IN_DEVELOPMENT}, unless the Web UI's users alone call it (CODEC_SERVER_OIDC_ISSUER)`,
      );
    // The users' tokens are checked with keys fetched from the issuer: only over TLS.
    if (issuer !== undefined && !(URL.canParse(issuer) && new URL(issuer).protocol === 'https:'))
      need('CODEC_SERVER_OIDC_ISSUER', 'must be an https URL in production mode');
  }

  return problems;
}

/** TLS to Temporal beyond loopback: TEMPORAL_TLS, a client certificate pair, or an API key (which turns TLS on). */
function temporalTlsProblems(config: Config): ProductionProblem[] {
  const cert = config.TEMPORAL_TLS_CERT_PATH !== undefined;
  const key = config.TEMPORAL_TLS_KEY_PATH !== undefined;
  // Half a pair is no client certificate (src/temporal/connection.ts would connect without one).
  if (cert !== key) {
    return [
      {
        variable: cert ? 'TEMPORAL_TLS_KEY_PATH' : 'TEMPORAL_TLS_CERT_PATH',
        problem: 'must be set with the other half of the client certificate pair',
      },
    ];
  }
  if (config.TEMPORAL_TLS || cert || config.TEMPORAL_API_KEY !== undefined) return [];
  if (isLoopbackAddress(config.TEMPORAL_ADDRESS)) return [];
  return [
    {
      variable: 'TEMPORAL_TLS',
      problem:
        'TLS is required to a Temporal address beyond loopback (TEMPORAL_ADDRESS): set TEMPORAL_TLS, a client certificate (TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH) or TEMPORAL_API_KEY',
    },
  ];
}

/** One sentence for every problem: the variables that share a problem named together, in order. */
export function describeProblems(problems: ProductionProblem[]): string {
  const byProblem = new Map<string, string[]>();
  for (const { variable, problem } of problems) {
    const variables = byProblem.get(problem) ?? [];
    if (!variables.includes(variable)) variables.push(variable);
    byProblem.set(problem, variables);
  }
  return [...byProblem].map(([problem, variables]) => `${variables.join(', ')}: ${problem}`).join('; ');
}

/**
 * The configuration of the worker, the API or the codec server, loaded at its start. In production
 * mode (`NODE_ENV=production`) a process that lacks what src/production.ts requires of it is
 * refused here, before it connects anywhere: one error names every missing or wrong variable.
 */
export function loadConfigFor(role: ProcessRole, env: Env = processEnvironment()): Config {
  if (!productionMode(env)) return loadConfig(env);
  const parsed = envSchema.safeParse(env);
  const wrong = (parsed.error?.issues ?? []).map((i) => ({ variable: i.path.join('.'), problem: i.message }));
  const isWrong = (variable: string) => wrong.some((w) => w.variable === variable);
  // The rest is judged as if the wrong variables were unset, so that one error names them all.
  const rest = Object.fromEntries(Object.entries(env).filter(([name]) => !isWrong(name)));
  const config = parsed.success ? parsed.data : envSchema.safeParse(rest).data;
  const problems = [
    ...wrong,
    ...(config === undefined
      ? []
      : productionProblems(config, role, rest).filter((p) => !isWrong(p.variable))),
  ];
  if (problems.length > 0) {
    throw new ConfigError(
      [...new Set(problems.map((p) => p.variable))],
      `production mode (NODE_ENV=production): ${describeProblems(problems)}`,
    );
  }
  return loadConfig(env);
}
