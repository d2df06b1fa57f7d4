/**
 * The HTTP service (`npm run api`): the backend API under `/v1` and the providers' webhooks under
 * `/webhooks`, on Fastify. The zod schemas (schemas.ts) validate every request, shape every answer
 * and generate the OpenAPI 3.1 document served at `/v1/openapi.json`.
 *
 * - `/v1/onboardings…` and `/v1/repairs…` take an API key (`Authorization: Bearer <key>` or `X-API-Key: <key>`).
 * - Each request is logged once: key name, method, route pattern, status and duration; never a
 *   body, a query string or a key.
 * - Bad input is 400 naming the fields, never echoing a value; an unreadable body 400, a large one
 *   413; Temporal unreachable or slow is 503 with Retry-After; the service itself never hangs.
 * - Past a limit (per key, tenant, phone or webhook receiver: limits.ts) the answer is 429 with
 *   Retry-After.
 */
import { OnboardingErased } from '../../temporal/data-keys/data-keys';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { OnboardingClient } from '../../client';
import { builtInCatalog, type CreditPolicyCatalog } from '../../domain/credit-policy';
import { InvalidOnboardingInput } from '../../domain/input';
import type { ApiKeys } from '../api-keys';
import { temporalAnswer } from '../temporal-errors';
import { ReferenceLookup } from '../webhooks/references';
import type { WebhookReceiver } from '../webhooks/receivers';
import { webhookRoutes } from '../webhooks/routes';
import { Waker } from '../webhooks/waker';
import { bulkRepairRoutes } from './bulk-repairs';
import { limitRequests, type ApiLimits } from './limits';
import { PageTokens } from './list';
import { onboardingRoutes } from './onboardings';
import { traceRequests } from './request-spans';
import { eventRoutes } from './events';
import { keyNameOf, setCaller } from './principal';

export interface ApiServerOptions {
  onboardings: OnboardingClient;
  apiKeys: ApiKeys;
  receivers: WebhookReceiver[];
  bodyLimitBytes: number;
  temporalTimeoutMs: number;
  publicUrl?: string | undefined;
  /** Seals the list's page tokens; shared by every replica (derived from the encryption key). */
  pageTokenSecret: Buffer;
  /** The credit policies: a start naming one its tenant may not use is refused before anything starts. */
  policies?: CreditPolicyCatalog;
  /** What a key, a tenant, an applicant's phone and a webhook receiver may make the service spend. */
  limits: ApiLimits;
  log?: (line: string) => void;
  /** Serve TLS with this certificate and key (API_TLS_CERT_PATH, API_TLS_KEY_PATH). */
  tls?: { cert: Buffer; key: Buffer };
  /** A span per request (request-spans.ts), when the process traces. */
  traced?: boolean;
  /** Tuning for tests; the defaults suit production. */
  webhooks?: { spacingMs?: number; lookupRetryDelaysMs?: number[] };
}

export const API_VERSION = '1.0.0';

export async function buildApiServer(options: ApiServerOptions): Promise<FastifyInstance> {
  const log = options.log ?? ((line: string) => console.log(line));
  const app = Fastify({
    ...(options.tls ? { https: options.tls } : {}),
    logger: false,
    bodyLimit: options.bodyLimitBytes,
    // Requests that never finish sending are cut off instead of holding a connection.
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    return503OnClosing: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Before any route: it wraps each route's handler as the route is added.
  if (options.traced) traceRequests(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Credit onboarding API',
        version: API_VERSION,
        description:
          'Start and follow credit onboardings (ClearSale Data Trust, SMS token, Clicksign Securities CCB, ' +
          'signatures) from a backend in any language, and receive the providers’ webhooks. Every error ' +
          'answer is `{ "error": string, "issues"?: [{ "field", "message" }] }` and never echoes a value sent.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key from API_KEYS.' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
      tags: [
        { name: 'onboardings', description: 'For the lender’s backend (API key).' },
        { name: 'repairs', description: 'Retry in bulk what an outage parked (API key with `repair`).' },
        {
          name: 'events',
          description: "What was pushed to the tenant's endpoints, and re-sends (docs/events.md).",
        },
        { name: 'webhooks', description: 'For the providers (each with its own proof).' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: (documentObject) => withoutUnusedSchemas(jsonSchemaTransformObject(documentObject)),
  });

  app.decorateRequest('caller', undefined);
  app.addHook('onResponse', async (request, reply) => {
    const key = keyNameOf(request);
    log(
      `api ${key} ${request.method} ${request.routeOptions.url ?? '(no route)'} ${reply.statusCode} ` +
        `${reply.elapsedTime.toFixed(0)} ms`,
    );
  });

  app.setNotFoundHandler((_request, reply) => reply.status(404).send({ error: 'no such route' }));
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const part = error.validationContext === 'body' ? '' : `${error.validationContext ?? 'request'}.`;
      const issues = error.validation.map((v) => ({
        field: part + (v.instancePath.slice(1).replace(/\//g, '.') || '(whole)'),
        message: v.message ?? 'is not valid',
      }));
      return reply.status(400).send({ error: 'invalid request', issues });
    }
    if (error instanceof InvalidOnboardingInput) {
      return reply.status(400).send({ error: 'invalid onboarding input', issues: error.issues });
    }
    if (error instanceof OnboardingErased) {
      return reply
        .status(409)
        .send({ error: "the onboarding's personal data was erased: it takes no more messages" });
    }
    const answer = temporalAnswer(error);
    if (answer) {
      if (answer.retryAfterSeconds !== undefined)
        reply.header('retry-after', String(answer.retryAfterSeconds));
      return reply.status(answer.status).send(answer.body);
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      // The message may carry what a provider or Temporal said about an onboarding: only its kind is logged.
      log(`api error ${request.method} ${request.routeOptions.url ?? '(no route)'} ${error.name ?? 'Error'}`);
      return reply.status(500).send({ error: 'internal error' });
    }
    return reply.status(status).send({ error: clientErrorMessage(error, status, options.bodyLimitBytes) });
  });

  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // Before the routes: it adds its hooks to each route as the route is added.
  const webhookLimit = await limitRequests(app, options.limits);
  await app.register(async (scope) => {
    // JSON only: a text body would otherwise reach validation as a string.
    scope.removeContentTypeParser('text/plain');
    scope.addHook('onRequest', async (request, reply) => {
      const key = options.apiKeys.identify(presentedKey(request));
      if (key === undefined) {
        return reply
          .status(401)
          .header('www-authenticate', 'Bearer')
          .send({ error: 'a valid API key is required (Authorization: Bearer <key> or X-API-Key)' });
      }
      setCaller(request, key);
    });
    await onboardingRoutes(scope, {
      onboardings: options.onboardings,
      temporalTimeoutMs: options.temporalTimeoutMs,
      publicUrl: options.publicUrl,
      pageTokens: new PageTokens(options.pageTokenSecret),
      policies: options.policies ?? builtInCatalog(),
    });
    await eventRoutes(scope, {
      onboardings: options.onboardings,
      temporalTimeoutMs: options.temporalTimeoutMs,
    });
    await bulkRepairRoutes(scope, {
      onboardings: options.onboardings,
      temporalTimeoutMs: options.temporalTimeoutMs,
      publicUrl: options.publicUrl,
    });
  });

  const waker = new Waker({
    spacingMs: options.webhooks?.spacingMs ?? 500,
    attempts: 4,
    retryDelayMs: 500,
    log,
  });
  await app.register(webhookRoutes, {
    client: options.onboardings.client,
    receivers: options.receivers,
    lookup: new ReferenceLookup(options.onboardings.client, {
      retryDelaysMs: options.webhooks?.lookupRetryDelaysMs ?? [250, 500, 1_000, 2_000],
      cacheSize: 10_000,
    }),
    waker,
    overLimit: webhookLimit,
    log,
  });
  app.addHook('onClose', async () => waker.drain());
  return app;
}

function presentedKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  const bearer =
    authorization === undefined ? undefined : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)?.[1];
  const header = request.headers['x-api-key'];
  return bearer ?? (typeof header === 'string' ? header : undefined);
}

function clientErrorMessage(error: FastifyError, status: number, bodyLimit: number): string {
  if (status === 413) return `the body is larger than ${bodyLimit} bytes`;
  if (status === 415) return 'the body must be application/json';
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'the body must not be empty';
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError)
    return 'the body is not valid JSON';
  // Our own errors (a conflict, a bad page token) say nothing about what was sent.
  if (error.code === undefined && error.message) return error.message;
  return 'the request could not be read';
}

/**
 * The zod transform lists every schema twice (as read and as written); the document keeps the ones
 * it refers to.
 */
function withoutUnusedSchemas<T>(document: T): T {
  const doc = document as { components?: { schemas?: Record<string, unknown> } };
  const schemas = doc.components?.schemas;
  if (!schemas) return document;
  const referenced = (value: unknown, seen: Set<string>): void => {
    const text = JSON.stringify(value);
    for (const [, name] of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      if (name === undefined || seen.has(name)) continue;
      seen.add(name);
      referenced(schemas[name], seen);
    }
  };
  const used = new Set<string>();
  referenced({ ...doc, components: { ...doc.components, schemas: {} } }, used);
  doc.components!.schemas = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
  return document;
}
