/**
 * The codec server's routes: Temporal's remote codec protocol (`POST /encode`, `POST /decode`, body
 * `{ payloads: [...] }` in proto3 JSON), so the Web UI and the CLI show decrypted payloads to the
 * people who may see them and nobody else. src/codec-server.ts serves them with the configuration.
 *
 * - Authorisation on every call: `Authorization: Bearer <token>`, or, for a Web UI that cannot send
 *   a header (the dev server's), the token as a path prefix: `/ui/<token>/decode`. Tokens are
 *   compared in constant time.
 * - `/encode` binds what it encrypts to the onboarding named in the `X-Onboarding` header (its
 *   workflow id: `temporal workflow start --codec-header X-Onboarding=onboarding-<id>`), and refuses
 *   a command (a payload naming a `principal`): commands go through the API, which records the key
 *   that sent them. `/decode` reads every payload the keyring can, bound or not: it only shows them.
 * - CORS only for the configured Web UI origins; a body size limit; at most 1,000 payloads a call.
 * - Logs one line per request (route pattern, status, payload count, duration), never a payload,
 *   never a token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import cors from '@fastify/cors';
import type { Payload } from '@temporalio/common';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EncryptionCodec, PayloadDecryptionError } from '../temporal/encryption-codec';
import type { Keyring } from '../temporal/keyring';

export interface CodecServerOptions {
  keyring: Keyring;
  /** Accepted tokens (at least one). */
  tokens: string[];
  /** Web UI origins allowed to call from a browser. */
  corsOrigins: string[];
  bodyLimitBytes: number;
  log?: (line: string) => void;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const jsonPayload = z.object({
  metadata: z.record(z.string(), base64).optional(),
  data: base64.optional(),
});
// The CLI sends no `payloads` at all for a signal or query without arguments.
const bodySchema = z.object({
  payloads: z
    .array(jsonPayload)
    .max(1_000)
    .nullish()
    .transform((p) => p ?? []),
});
type JsonPayload = z.infer<typeof jsonPayload>;

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]),
  ),
  data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [
      k,
      Buffer.from(v ?? new Uint8Array()).toString('base64'),
    ]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/** A workflow id as the product names onboardings (src/messages.ts). */
const onboardingHeader = z.string().regex(/^onboarding-[A-Za-z0-9_-]{1,64}$/);

/** A JSON object with a `principal`: a command, which only an authenticated path may send. */
function isCommand(payload: Payload): boolean {
  try {
    const value: unknown = JSON.parse(Buffer.from(payload.data ?? new Uint8Array()).toString('utf8'));
    return typeof value === 'object' && value !== null && 'principal' in value;
  } catch {
    return false;
  }
}

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

export async function buildCodecServer(options: CodecServerOptions): Promise<FastifyInstance> {
  if (options.tokens.length === 0) throw new Error('the codec server needs at least one token');
  const codec = new EncryptionCodec(options.keyring, { acceptUnbound: true });
  const accepted = options.tokens.map(digest);
  const isAccepted = (token: string | undefined): boolean => {
    if (token === undefined || token === '') return false;
    const candidate = digest(token);
    // Every token is compared, so the time taken says nothing about which one matched.
    return accepted.reduce((ok, t) => timingSafeEqual(t, candidate) || ok, false);
  };
  const log = options.log ?? ((line: string) => console.log(line));

  const app = Fastify({ logger: false, bodyLimit: options.bodyLimitBytes });
  await app.register(cors, {
    origin: options.corsOrigins,
    methods: ['POST'],
    allowedHeaders: ['content-type', 'authorization', 'x-namespace', 'x-onboarding'],
    credentials: true,
    maxAge: 600,
  });

  app.addHook('onResponse', async (request, reply) => {
    const count = (request as FastifyRequest & { payloadCount?: number }).payloadCount;
    log(
      `codec ${request.method} ${request.routeOptions.url ?? '(no route)'} ${reply.statusCode}` +
        `${count === undefined ? '' : ` ${count} payload(s)`} ${reply.elapsedTime.toFixed(0)} ms`,
    );
  });
  app.setErrorHandler((error: { statusCode?: number }, _request, reply) => {
    const status = error.statusCode ?? 500;
    const message =
      status === 413
        ? `the body is larger than ${options.bodyLimitBytes} bytes`
        : status === 415
          ? 'the body must be JSON'
          : status < 500
            ? 'the request could not be read'
            : 'internal error';
    return reply.status(status).send({ error: message });
  });

  const handle =
    (operation: 'encode' | 'decode', tokenOf: (request: FastifyRequest) => string | undefined) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      if (!isAccepted(tokenOf(request)))
        return reply.status(401).send({ error: 'a valid token is required' });
      const body = bodySchema.safeParse(request.body);
      if (!body.success) {
        const fields = [...new Set(body.error.issues.map((i) => i.path.join('.') || '(body)'))];
        return reply.status(400).send({ error: `invalid body at ${fields.slice(0, 5).join(', ')}` });
      }
      (request as FastifyRequest & { payloadCount?: number }).payloadCount = body.data.payloads.length;
      const payloads = body.data.payloads.map(fromJson);
      if (operation === 'encode') {
        const onboarding = onboardingHeader.safeParse(request.headers['x-onboarding']);
        if (!onboarding.success) {
          return reply.status(400).send({
            error: 'X-Onboarding must name the workflow id the payloads are for (onboarding-<id>)',
          });
        }
        if (payloads.some(isCommand)) {
          return reply.status(422).send({
            error:
              'commands (a payload with a principal) are sent through the API, which records who sent them',
          });
        }
        const encoded = payloads.map((p) => codec.encrypt(p, onboarding.data));
        return reply.send({ payloads: encoded.map(toJson) });
      }
      try {
        const result = await codec.decode(payloads);
        return reply.send({ payloads: result.map(toJson) });
      } catch (err) {
        if (err instanceof PayloadDecryptionError) return reply.status(422).send({ error: err.message });
        throw err;
      }
    };

  const bearer = (request: FastifyRequest): string | undefined => {
    const header = request.headers.authorization;
    return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
  };
  const fromPath = (request: FastifyRequest): string | undefined =>
    (request.params as { token?: string }).token;

  app.post('/encode', handle('encode', bearer));
  app.post('/decode', handle('decode', bearer));
  app.post('/ui/:token/encode', handle('encode', fromPath));
  app.post('/ui/:token/decode', handle('decode', fromPath));
  app.get('/health', async () => ({ status: 'ok' }));
  return app;
}
