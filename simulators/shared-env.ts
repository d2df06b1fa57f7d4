/**
 * The variables every simulator may read: the providers' own (the simulators accept the same
 * credentials the clients send and serve under the same base-URL paths) plus their ports, the
 * automatic signing delay, the SMS token lifetime, fault rules and where to deliver webhooks. The
 * variables a simulator declares for itself join them in ./config.ts.
 */
import { z } from 'zod';
import { positiveMs } from '../src/providers/env';
import { providersEnv } from '../src/providers/env-schema';
import {
  defaultPortOf,
  portVariableOf,
  simulatorNames,
  type PortVariable,
  type SimulatorName,
} from './addresses';
import { faultRulesSchema } from './kit';

const port = z.coerce.number().int().min(0).max(65535);

/** `SIMULATOR_DATATRUST_PORT`, `SIMULATOR_SECURITIES_PORT`, ...: one per simulator (./addresses.ts). */
const ports = Object.fromEntries(
  simulatorNames.map((name) => [portVariableOf(name), port.default(defaultPortOf(name))]),
) as Record<PortVariable, z.ZodDefault<typeof port>>;

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

/** `SIMULATOR_FAULTS`: a JSON array of fault rules applied at start (see ./kit.ts). */
const faults = z
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
  });

/**
 * `SIMULATOR_WEBHOOK_BASE_URL`: where the product receives the providers' webhooks, e.g.
 * `http://127.0.0.1:8088/webhooks`; each simulator delivers to `<base>/<provider>` (`datatrust`,
 * then each signing provider's name). Trailing slashes are removed; unset or empty: no webhooks.
 */
const webhookBaseUrl = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return undefined;
    const url = v.trim().replace(/\/+$/, '');
    if (!URL.canParse(url) || !['http:', 'https:'].includes(new URL(url).protocol)) {
      ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL' });
      return z.NEVER;
    }
    return url;
  });

export const sharedEnv = z.object({
  ...providersEnv.shape,
  SIMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  ...ports,
  SIMULATOR_AUTO_SIGN_MS: autoSignMs,
  /** How long a simulated SMS token stays valid. */
  SIMULATOR_SMS_TOKEN_TTL_MS: positiveMs.default(5 * 60_000),
  SIMULATOR_FAULTS: faults,
  /** Seeds the draws of fault rules with a `probability` (./kit.ts), so a run can be repeated; random when unset. */
  SIMULATOR_FAULT_SEED: z.coerce.number().int().min(0).max(0xffffffff).optional(),
  SIMULATOR_WEBHOOK_BASE_URL: webhookBaseUrl,
});
/** The variables every simulator may read; a simulator's own are typed in its module (`create`). */
export type SimulatorConfig = z.infer<typeof sharedEnv>;

/** The port a simulator listens on by default (`SIMULATOR_<NAME>_PORT`, else its provider's default). */
export const simulatorPort = (config: SimulatorConfig, name: SimulatorName): number =>
  config[portVariableOf(name)];

/** A `SIMULATOR_WEBHOOK_BASE_URL` value as the configuration reads it (undefined: off); throws when it is not a URL. */
export function parseWebhookBaseUrl(value: string | undefined): string | undefined {
  const parsed = webhookBaseUrl.safeParse(value);
  if (!parsed.success) throw new Error('the webhook base URL must be an http(s) URL');
  return parsed.data;
}
