/**
 * Where each tenant's events go and the secrets they are signed with (docs/events.md).
 *
 * `EVENT_ENDPOINTS` holds `name@tenant=url` entries separated by commas (several per tenant: each
 * gets every event); `EVENT_SIGNING_SECRETS` holds `tenant=whsec_<base64>` entries, several per
 * tenant while a secret rotates (every event is signed with each, and a receiver takes any). A
 * tenant with an endpoint needs a secret. In production mode an endpoint is `https://`. Errors
 * name the variable and the entry's position, never a value.
 */
import { ConfigError, type Config } from '../config';
import type { DeliveryPolicy } from '../event-messages';
import { productionMode } from '../production';
import { tenantPattern } from '../domain/tenant';

export interface EventEndpoint {
  /** Its name in the delivery log (a URL may carry a token, so the log never shows one). */
  name: string;
  url: string;
}

export interface EventRoutes {
  /** The tenants that have an endpoint: the onboardings of these push events. */
  tenants: string[];
  endpointsOf(tenant: string): EventEndpoint[];
  secretsOf(tenant: string): string[];
}

/** The worker's events: where they go, and how they are delivered. */
export interface EventSetup {
  routes: EventRoutes;
  policy: DeliveryPolicy;
}

export function eventSetupOf(config: Config): EventSetup {
  return {
    routes: parseEventRoutes(config.EVENT_ENDPOINTS, config.EVENT_SIGNING_SECRETS, {
      production: productionMode(config),
    }),
    policy: {
      firstRetryMs: config.EVENT_RETRY_FIRST_MS,
      retryForMs: Math.round(config.EVENT_RETRY_FOR_HOURS * 3_600_000),
      resendWindowMs: Math.round(config.EVENT_RESEND_DAYS * 86_400_000),
    },
  };
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/** Standard Webhooks' secret: `whsec_` and the key in base64, 24 to 64 bytes. */
const SECRET = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

export function parseEventRoutes(
  endpointsText: string | undefined,
  secretsText: string | undefined,
  options: { production: boolean },
): EventRoutes {
  const endpoints = new Map<string, EventEndpoint[]>();
  entries(endpointsText).forEach((entry, i) => {
    const wrong = (what: string) =>
      new ConfigError(['EVENT_ENDPOINTS'], `EVENT_ENDPOINTS: entry ${i + 1} ${what} (name@tenant=https://…)`);
    const at = entry.indexOf('=');
    const [name, tenant, ...rest] = entry.slice(0, Math.max(at, 0)).split('@');
    if (at < 0 || rest.length > 0 || !name || !NAME.test(name)) throw wrong('has no valid name');
    if (!tenant || !tenantPattern.test(tenant)) throw wrong('has no valid tenant');
    let url: URL;
    try {
      url = new URL(entry.slice(at + 1));
    } catch {
      throw wrong('has no valid URL');
    }
    if (url.protocol !== 'https:' && (options.production || url.protocol !== 'http:'))
      throw wrong(options.production ? 'is not https:// (production mode)' : 'is not http(s)://');
    const list = endpoints.get(tenant) ?? [];
    if (list.some((e) => e.name === name)) throw wrong('repeats a name of its tenant');
    endpoints.set(tenant, [...list, { name, url: url.toString() }]);
  });
  const secrets = new Map<string, string[]>();
  entries(secretsText).forEach((entry, i) => {
    const wrong = (what: string) =>
      new ConfigError(
        ['EVENT_SIGNING_SECRETS'],
        `EVENT_SIGNING_SECRETS: entry ${i + 1} ${what} (tenant=whsec_<base64 of 24 to 64 bytes>)`,
      );
    const at = entry.indexOf('=');
    const tenant = entry.slice(0, Math.max(at, 0));
    if (!tenantPattern.test(tenant)) throw wrong('has no valid tenant');
    const secret = entry.slice(at + 1);
    if (!SECRET.test(secret) || Buffer.from(secret.slice('whsec_'.length), 'base64').length < 24)
      throw wrong('has no valid secret');
    secrets.set(tenant, [...(secrets.get(tenant) ?? []), secret]);
  });
  for (const tenant of endpoints.keys())
    if (!secrets.has(tenant))
      throw new ConfigError(
        ['EVENT_SIGNING_SECRETS'],
        `EVENT_SIGNING_SECRETS: tenant ${tenant} has an endpoint in EVENT_ENDPOINTS and no secret`,
      );
  return {
    tenants: [...endpoints.keys()].sort(),
    endpointsOf: (tenant) => endpoints.get(tenant) ?? [],
    secretsOf: (tenant) => secrets.get(tenant) ?? [],
  };
}

const entries = (text: string | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
