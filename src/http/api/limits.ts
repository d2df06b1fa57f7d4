/**
 * The HTTP service's limits (docs/api.md#limits): what one key, one tenant, one applicant's phone
 * or one provider's webhook can make the service spend. Each start has Data Trust send a paid SMS,
 * so without them a key could pump SMS to any number.
 *
 * - Requests a minute per API key and per tenant (its keys together), writes (POST) and reads (GET)
 *   counted apart, as soon as the key is known.
 * - Onboardings started and SMS sent a day per phone number, within the tenant. The phone is kept
 *   only as an HMAC whose key is derived from the payload encryption key. A start counts one of
 *   each; a resend counts one SMS against the phone its onboarding was started with, when that
 *   start went through this process in the last day.
 * - Deliveries a minute per webhook receiver, counting those that carry their proof.
 *
 * Past a limit the answer is 429 with Retry-After and nothing reaches Temporal or a provider. The
 * counts are @fastify/rate-limit's, in its in-memory store: each replica keeps its own.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Config } from '../../config';
import { callerOf } from './principal';
import { answer, errorSchema } from './schemas';

export interface ApiLimits {
  writesPerMinutePerKey: number;
  writesPerMinutePerTenant: number;
  readsPerMinutePerKey: number;
  readsPerMinutePerTenant: number;
  startsPerDayPerPhone: number;
  smsPerDayPerPhone: number;
  webhooksPerMinutePerProvider: number;
  /** The active payload encryption key: the phone's HMAC key is derived from it. */
  secret: Buffer;
}

export const apiLimitsOf = (config: Config, secret: Buffer): ApiLimits => ({
  writesPerMinutePerKey: config.API_WRITES_PER_MINUTE_PER_KEY,
  writesPerMinutePerTenant: config.API_WRITES_PER_MINUTE_PER_TENANT,
  readsPerMinutePerKey: config.API_READS_PER_MINUTE_PER_KEY,
  readsPerMinutePerTenant: config.API_READS_PER_MINUTE_PER_TENANT,
  startsPerDayPerPhone: config.API_STARTS_PER_DAY_PER_PHONE,
  smsPerDayPerPhone: config.API_SMS_PER_DAY_PER_PHONE,
  webhooksPerMinutePerProvider: config.API_WEBHOOKS_PER_MINUTE_PER_PROVIDER,
  secret,
});

/** Answers 429 and says true when the webhook receiver `name` is past its limit. */
export type WebhookLimit = (request: FastifyRequest, reply: FastifyReply, name: string) => Promise<boolean>;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/**
 * How many phones each per-phone count remembers; past it the least recently counted is forgotten.
 * Forgetting one takes this many starts, which the per-key and per-tenant limits spread over hours.
 */
const PHONES = 100_000;

const START = '/v1/onboardings';
const RESEND = '/v1/onboardings/:id/sms-token/resend';
/** The routes each key's and tenant's counts apply to. */
const LIMITED = [START, '/v1/repairs', '/v1/events'];

export const tooManyRequests = answer(
  'Past a limit (docs/api.md#limits): try again after the `Retry-After` seconds.',
  errorSchema,
);

/**
 * Registers the limits on `app`, before the routes: every `/v1/onboardings`, `/v1/repairs` and
 * `/v1/events` route gets its key's and tenant's count, the start and the resend their phone's, and
 * each documents its 429. The webhook
 * routes call the returned check once a delivery has proved itself.
 */
export async function limitRequests(app: FastifyInstance, limits: ApiLimits): Promise<WebhookLimit> {
  await app.register(rateLimit, { global: false });

  /** A count of at most `max` a `windowMs`: counts one for `key`, and says how long to wait past it. */
  const counter = (max: number, windowMs: number, remembered?: number) => {
    const keys = new WeakMap<FastifyRequest, string>();
    const options: RateLimitOptions = {
      max,
      timeWindow: windowMs,
      keyGenerator: (request) => keys.get(request) ?? '',
      // The size of this count's in-memory store (its default: 5,000 keys).
      ...(remembered !== undefined ? { cache: remembered } : {}),
    };
    const count = app.createRateLimit(options);
    return async (request: FastifyRequest, key: string): Promise<number | undefined> => {
      keys.set(request, key);
      const result = await count(request);
      if (result.isAllowed || !result.isExceeded) return undefined;
      return Math.max(1, result.ttlInSeconds);
    };
  };
  const refuse = (reply: FastifyReply, retryAfterSeconds: number, error: string): FastifyReply =>
    reply.status(429).header('retry-after', String(retryAfterSeconds)).send({ error });

  const perCaller = (kind: 'writes' | 'reads', perKey: number, perTenant: number) => {
    const byKey = counter(perKey, MINUTE);
    const byTenant = counter(perTenant, MINUTE);
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const { name, tenant } = callerOf(request);
      let wait = await byKey(request, name);
      if (wait !== undefined)
        return refuse(reply, wait, `this API key has sent too many ${kind} this minute`);
      wait = await byTenant(request, tenant);
      if (wait !== undefined)
        return refuse(reply, wait, `this API key's tenant has sent too many ${kind} this minute`);
    };
  };
  const writes = perCaller('writes', limits.writesPerMinutePerKey, limits.writesPerMinutePerTenant);
  const reads = perCaller('reads', limits.readsPerMinutePerKey, limits.readsPerMinutePerTenant);

  const phoneHashKey = Buffer.from(
    hkdfSync('sha256', limits.secret, Buffer.alloc(0), 'credit-onboarding api phone limit', 32),
  );
  const phoneKeyOf = (tenant: string, phone: string): string =>
    createHmac('sha256', phoneHashKey).update(`${tenant}\n${phone}`).digest('base64url');
  const startsByPhone = counter(limits.startsPerDayPerPhone, DAY, PHONES);
  const smsByPhone = counter(limits.smsPerDayPerPhone, DAY, PHONES);
  const startedWith = new StartedPhones(PHONES, DAY);
  const tooManyStarts = 'too many onboardings were started for this phone number today';
  const tooManySms = 'too many SMS were sent to this phone number today';

  // After the route's own pre-handlers: a key without the route's scope has had its 403.
  const startHook = async (request: FastifyRequest, reply: FastifyReply) => {
    const { tenant } = callerOf(request);
    const { onboardingId, applicant } = request.body as StartBody;
    const phone = phoneKeyOf(tenant, applicant.phone);
    // The same start again (a retry) starts nothing and sends no SMS.
    if (startedWith.get(tenant, onboardingId) === phone) return;
    let wait = await startsByPhone(request, phone);
    if (wait !== undefined) return refuse(reply, wait, tooManyStarts);
    wait = await smsByPhone(request, phone);
    if (wait !== undefined) return refuse(reply, wait, tooManySms);
  };
  const rememberStart = async (request: FastifyRequest, reply: FastifyReply) => {
    if (reply.statusCode !== 200 && reply.statusCode !== 201) return;
    const { tenant } = callerOf(request);
    const { onboardingId, applicant } = request.body as StartBody;
    startedWith.set(tenant, onboardingId, phoneKeyOf(tenant, applicant.phone));
  };
  const resendHook = async (request: FastifyRequest, reply: FastifyReply) => {
    const { tenant } = callerOf(request);
    // Unknown here (started through another replica, before a restart or over a day ago): the
    // policy's maximum resends per onboarding bounds it.
    const phone = startedWith.get(tenant, (request.params as { id: string }).id);
    if (phone === undefined) return;
    const wait = await smsByPhone(request, phone);
    if (wait !== undefined) return refuse(reply, wait, tooManySms);
  };

  app.addHook('onRoute', (route) => {
    if (!LIMITED.some((base) => route.url === base || route.url.startsWith(`${base}/`))) return;
    const methods = [route.method].flat();
    const reading = methods.every((m) => m === 'GET' || m === 'HEAD');
    route.onRequest = [...hooks(route.onRequest), reading ? reads : writes];
    if (methods.includes('POST') && route.url === START) {
      route.preHandler = [...hooks(route.preHandler), startHook];
      route.onResponse = [...hooks(route.onResponse), rememberStart];
    }
    if (methods.includes('POST') && route.url === RESEND)
      route.preHandler = [...hooks(route.preHandler), resendHook];
    route.schema = { ...route.schema, response: { ...responses(route), 429: tooManyRequests } };
  });

  const webhooks = counter(limits.webhooksPerMinutePerProvider, MINUTE);
  return async (request, reply, name) => {
    const wait = await webhooks(request, name);
    if (wait === undefined) return false;
    refuse(reply, wait, 'too many deliveries this minute');
    return true;
  };
}

interface StartBody {
  onboardingId: string;
  applicant: { phone: string };
}

/** A route's hooks of one kind as a list. */
const hooks = <H>(value: H | H[] | undefined): H[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const responses = (route: RouteOptions): Record<string, unknown> =>
  (route.schema as { response?: Record<string, unknown> } | undefined)?.response ?? {};

/**
 * The phone key each onboarding was started with, by tenant and onboarding id, for `ttlMs`; the
 * oldest forgotten past `capacity`.
 */
class StartedPhones {
  private readonly entries = new Map<string, { phone: string; until: number }>();
  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
  ) {}

  get(tenant: string, onboardingId: string): string | undefined {
    const key = `${tenant}\n${onboardingId}`;
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.until > Date.now()) return entry.phone;
    this.entries.delete(key);
    return undefined;
  }

  set(tenant: string, onboardingId: string, phone: string): void {
    const key = `${tenant}\n${onboardingId}`;
    this.entries.delete(key);
    this.entries.set(key, { phone, until: Date.now() + this.ttlMs });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
