/**
 * The codec server's routes: Temporal's remote codec protocol (`POST /encode`, `POST /decode`, body
 * `{ payloads: [...] }` in proto3 JSON), so the Web UI and the CLI show decrypted payloads to the
 * people who may see them and nobody else. src/codec-server.ts serves them with the configuration.
 *
 * - Authorisation on every call: `Authorization: Bearer <token>`, each caller with its own
 *   permissions (`decode`; `encode`, since it makes ciphertext the workers take; `command`, to send
 *   an onboarding a command). Only where allowed (the embedded dev server's Web UI on loopback,
 *   which cannot send a header) the token may come as a path prefix: `/ui/<token>/decode`.
 * - `/encode` binds what it encrypts to the onboarding named in the `X-Onboarding` header (its
 *   workflow id: `temporal workflow start --codec-header X-Onboarding=onboarding-<id>`) or, for a
 *   command, in the command's own `onboarding` field (the Web UI sends no such header). A command
 *   (a JSON object naming a `principal` or an `onboarding`) is encoded only for a caller with the
 *   `command` permission, and carries that caller as its principal, whatever the payload said: an
 *   operator (`operator`, the token's name or the signed-in user). `/decode` reads every payload
 *   the keyring can, bound or not: it only shows them.
 * - CORS only for the configured Web UI origins; a body size limit; at most 1,000 payloads a call.
 * - Logs one audit line per request: who called, the route, the status, how many payloads and for
 *   which onboardings (as the payloads' metadata names them), the duration; never a payload, never
 *   a token.
 */
import cors from '@fastify/cors';
import type { Payload } from '@temporalio/common';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EncryptionCodec, PayloadDecryptionError } from '../temporal/encryption-codec';
import type { Keyring } from '../temporal/keyring';
import { OnboardingErased, type DataKeys } from '../temporal/data-keys/data-keys';
import { onboardingDataKeys } from '../temporal/data-converter';

/** Who called, and what it may do. */
export interface CodecCaller {
  name: string;
  may: ReadonlySet<CodecPermission>;
}
export const codecPermissions = ['decode', 'encode', 'command'] as const;
export type CodecPermission = (typeof codecPermissions)[number];

export interface CodecServerOptions {
  keyring: Keyring;
  /** Each onboarding's data key (read every time: an erasure shows at once). */
  dataKeys?: DataKeys;
  /** The caller a bearer credential belongs to (a token, or a signed-in user's token), if any. */
  authenticate: (credential: string) => Promise<CodecCaller | undefined>;
  /** Whether the credential may come in the path (`/ui/<token>/...`): the embedded dev server's Web UI only. */
  pathTokens?: boolean;
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

/** A JSON object naming a `principal` or an `onboarding`: a command to an onboarding, else undefined. */
function commandOf(payload: Payload): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(payload.data ?? new Uint8Array()).toString('utf8'));
    return typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      ('principal' in value || 'onboarding' in value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The command as the onboarding takes it: from `caller`, an operator, whatever principal it named. */
const fromOperator = (payload: Payload, command: Record<string, unknown>, caller: CodecCaller): Payload => ({
  ...payload,
  data: new Uint8Array(
    Buffer.from(
      JSON.stringify({ ...command, principal: { type: 'operator', name: caller.name, tenant: '*' } }),
    ),
  ),
});

/** What the audit line says of a request: who called, how many payloads, for which onboardings. */
interface Audit {
  caller?: string;
  payloads?: number;
  onboardings?: string[];
}
const auditOf = (request: FastifyRequest): Audit =>
  ((request as FastifyRequest & { audit?: Audit }).audit ??= {});

/** The onboardings payloads belong to, as their metadata names them (src/temporal/encryption-codec.ts). */
const onboardingsOf = (payloads: Payload[]): string[] => [
  ...new Set(
    payloads.flatMap((p) => {
      const bound = p.metadata?.['encryption-onboarding'];
      return bound ? [Buffer.from(bound).toString('utf8')] : [];
    }),
  ),
];

const MAX_AUDITED_ONBOARDINGS = 20;

export async function buildCodecServer(options: CodecServerOptions): Promise<FastifyInstance> {
  const codec = new EncryptionCodec(options.keyring, {
    acceptUnbound: true,
    erasedAsValues: true,
    ...(options.dataKeys !== undefined ? onboardingDataKeys(options.dataKeys) : {}),
  });
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
    const { caller, payloads, onboardings = [] } = auditOf(request);
    const named = onboardings.slice(0, MAX_AUDITED_ONBOARDINGS).join(',');
    const more =
      onboardings.length > MAX_AUDITED_ONBOARDINGS ? ` +${onboardings.length - MAX_AUDITED_ONBOARDINGS}` : '';
    log(
      `codec ${caller ?? '-'} ${request.method} ${request.routeOptions.url ?? '(no route)'} ${reply.statusCode}` +
        `${payloads === undefined ? '' : ` ${payloads} payload(s)`}` +
        `${onboardings.length === 0 ? '' : ` for ${named}${more}`} ${reply.elapsedTime.toFixed(0)} ms`,
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
      const credential = tokenOf(request);
      const caller =
        credential === undefined || credential === '' ? undefined : await options.authenticate(credential);
      if (caller === undefined) return reply.status(401).send({ error: 'a valid token is required' });
      auditOf(request).caller = caller.name;
      const allowed =
        operation === 'encode'
          ? caller.may.has('encode') || caller.may.has('command')
          : caller.may.has(operation);
      if (!allowed) return reply.status(403).send({ error: `this caller may not ${operation}` });
      const body = bodySchema.safeParse(request.body);
      if (!body.success) {
        const fields = [...new Set(body.error.issues.map((i) => i.path.join('.') || '(body)'))];
        return reply.status(400).send({ error: `invalid body at ${fields.slice(0, 5).join(', ')}` });
      }
      auditOf(request).payloads = body.data.payloads.length;
      const payloads = body.data.payloads.map(fromJson);
      if (operation === 'encode') {
        const commands = payloads.map(commandOf);
        if (commands.some((c) => c !== undefined) && !caller.may.has('command')) {
          return reply.status(403).send({
            error: 'this caller may not send commands (a payload with a principal or an onboarding)',
          });
        }
        if (commands.some((c) => c === undefined) && !caller.may.has('encode'))
          return reply.status(403).send({ error: 'this caller may not encode' });
        const named = [
          ...new Set([
            ...(request.headers['x-onboarding'] === undefined ? [] : [request.headers['x-onboarding']]),
            ...commands.flatMap((c) => (c?.['onboarding'] === undefined ? [] : [c['onboarding']])),
          ]),
        ];
        const onboarding = onboardingHeader.safeParse(named.length === 1 ? named[0] : undefined);
        if (!onboarding.success) {
          return reply.status(400).send({
            error:
              'X-Onboarding, or a command\'s "onboarding", must name the one workflow id the payloads are for (onboarding-<id>)',
          });
        }
        auditOf(request).onboardings = [onboarding.data];
        let encoded: Payload[];
        try {
          encoded = await Promise.all(
            payloads.map((p, i) => {
              const command = commands[i];
              return codec.encrypt(
                command === undefined ? p : fromOperator(p, command, caller),
                onboarding.data,
              );
            }),
          );
        } catch (err) {
          if (err instanceof OnboardingErased)
            return reply
              .status(409)
              .send({ error: "the onboarding's personal data was erased: nothing is sent to it" });
          throw err;
        }
        return reply.send({ payloads: encoded.map(toJson) });
      }
      auditOf(request).onboardings = onboardingsOf(payloads);
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
  if (options.pathTokens) {
    app.post('/ui/:token/encode', handle('encode', fromPath));
    app.post('/ui/:token/decode', handle('decode', fromPath));
  }
  app.get('/health', async () => ({ status: 'ok' }));
  return app;
}
