/**
 * `npm run api`: the HTTP service (src/http/api/server.ts): the backend API and the providers'
 * webhooks, connected to Temporal with the configured keyring, until SIGINT/SIGTERM. `npm run demo`
 * starts it too and drives the onboarding through it.
 */
import { readFileSync } from 'node:fs';
import { OnboardingClient } from './client';
import { ConfigError, type Config } from './config';
import { loadConfigFor } from './production';
import { loadCreditPolicies } from './credit-policies';
import { resolveApiKeys } from './http/api-keys';
import { apiLimitsOf } from './http/api/limits';
import { buildApiServer, type ApiServerOptions } from './http/api/server';
import { webhookReceivers } from './http/webhooks/receivers';
import { runService } from './service';
import { connectWhenReachable } from './temporal/reachable';
import { resolveKeyring } from './temporal/keyring';
import { startTracing } from './tracing/exporter';

export interface RunningApi {
  url: string;
  /** The development API key, when one was made (on loopback without API_KEYS). */
  developmentKey: string | undefined;
  close(): Promise<void>;
}

export async function startApi(
  config: Config,
  options: {
    port?: number;
    onboardings?: OnboardingClient;
    log?: (line: string) => void;
    webhooks?: ApiServerOptions['webhooks'];
    /** The credit policies to check starts against (tests); CREDIT_POLICIES otherwise. */
    policies?: ApiServerOptions['policies'];
    /** Spans per request: this process traces (src/tracing/exporter.ts). */
    traced?: boolean;
  } = {},
): Promise<RunningApi> {
  // Configuration problems (keys, secrets) are reported before anything connects.
  const apiKeys = resolveApiKeys(config);
  const receivers = webhookReceivers(config);
  const pageTokenSecret = resolveKeyring(config).active.key;
  const policies = options.policies ?? loadCreditPolicies(config);
  const tls = apiTls(config);
  const onboardings =
    options.onboardings ??
    (await connectWhenReachable(
      config.TEMPORAL_ADDRESS,
      () => OnboardingClient.connect(config),
      options.log,
    ));
  const app = await buildApiServer({
    onboardings,
    apiKeys,
    receivers,
    bodyLimitBytes: config.API_BODY_LIMIT_BYTES,
    temporalTimeoutMs: config.API_TEMPORAL_TIMEOUT_MS,
    publicUrl: config.API_PUBLIC_URL,
    pageTokenSecret,
    policies,
    limits: apiLimitsOf(config, pageTokenSecret),
    ...(tls ? { tls } : {}),
    ...(options.traced ? { traced: true } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
  });
  await app.listen({ host: config.API_HOST, port: options.port ?? config.API_PORT });
  const { port } = app.server.address() as { port: number };
  return {
    url: `${tls ? 'https' : 'http'}://${config.API_HOST.includes(':') ? `[${config.API_HOST}]` : config.API_HOST}:${port}`,
    developmentKey: apiKeys.developmentKey,
    close: async () => {
      await app.close();
      // A client passed in belongs to the caller.
      if (options.onboardings === undefined) await onboardings.client.connection.close();
    },
  };
}

/** The certificate and key the API serves TLS with, when configured (both or neither). */
function apiTls(config: Config): { cert: Buffer; key: Buffer } | undefined {
  const { API_TLS_CERT_PATH: certPath, API_TLS_KEY_PATH: keyPath } = config;
  if (certPath === undefined && keyPath === undefined) return undefined;
  if (certPath === undefined || keyPath === undefined) {
    throw new ConfigError(
      ['API_TLS_CERT_PATH', 'API_TLS_KEY_PATH'],
      'API_TLS_CERT_PATH and API_TLS_KEY_PATH are set together or not at all',
    );
  }
  try {
    return { cert: readFileSync(certPath), key: readFileSync(keyPath) };
  } catch {
    throw new ConfigError(
      ['API_TLS_CERT_PATH', 'API_TLS_KEY_PATH'],
      'the API certificate or key cannot be read',
    );
  }
}

if (require.main === module) {
  runService(async () => {
    const config = loadConfigFor('api');
    const tracing = startTracing(config, 'api');
    const api = await startApi(config, { traced: tracing !== undefined });
    console.log(
      `API on ${api.url} (OpenAPI: ${api.url}/v1/openapi.json)${tracing ? ', traces over OTLP' : ''}`,
    );
    if (api.developmentKey !== undefined) {
      console.log('  development API key in .temporal/dev-api-key (Authorization: Bearer <key>)');
    }
    return {
      close: async () => {
        await api.close();
        await tracing?.shutdown();
      },
    };
  });
}
