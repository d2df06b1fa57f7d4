/**
 * A local Signio: every documented call under the paths of src/providers/signio/routes.ts, the
 * token check, and the state machines of store.ts.
 *
 * Decisions:
 * - Errors travel as the document says, in the answer body: `codigo`/`mensaje` (+ `errores` on 05)
 *   for the services 6.1 to 6.15, `code`/`message` (+ `errors`) for 6.16 to 6.24, in HTTP 200
 *   answers. Failed creations also carry the "0" id the document announces. A request with no
 *   Bearer token at all is answered HTTP 401 with codigo 01.
 * - Wrong credentials on 6.1 and 6.21 answer 01: the only authentication failure code listed.
 * - Not found is 06 in every service, also in the newer ones whose tables stop at 04.
 * - Request bodies are JSON, except the two that carry files (6.6, 6.22): multipart.
 * - Tags are answered as `{ id, nombre }` objects; the 6.11 answer adds `estado` and `external_id`
 *   to the documented fields (see src/providers/signio/schemas.ts).
 * - Extras: `POST /_simulator/sign { id_transaccion, signer?, reject? }` signs (or rejects) on
 *   demand, one contact (`signer` = its id_firmante) or every pending one in order;
 *   `POST /_simulator/revoke-tokens` makes every issued token answer 01, to force one refresh;
 *   `POST /_simulator/webhook {url}` delivers webhooks to `url` (see ../webhooks.ts),
 *   `DELETE /_simulator/webhook` stops delivering.
 * - Webhooks (the document only says `external_id` "se puede utilizar en los webhooks de
 *   respuesta"; src/providers/signio/webhook.ts is what the product reads): `{ id_transaccion,
 *   external_id?, estado }` when a contact signs (estado 2, or 3 when it was the last: one delivery,
 *   the body having no event name) and when one rejects (4), with
 *   `Authorization: Bearer <SIGNIO_WEBHOOK_SECRET>`, to `<SIMULATOR_WEBHOOK_BASE_URL>/signio`.
 */
import { z } from 'zod';
import type { SimulatorConfig } from '../shared-env';
import {
  SimulatorHttpError,
  SimulatorServer,
  reply,
  type SimHandler,
  type SimRequest,
  type SimResponse,
  type SimulatorOptions,
} from '../kit';
import { signingWebhookOptions, WebhookNotifier, type SigningWebhookOptions } from '../webhooks';
import { SIGNIO_ROUTES, type SignioOperation } from '../../src/providers/signio/routes';
import {
  DOCUMENT_EXTENSIONS,
  ENVELOPE_SORTS,
  ENVELOPE_STATUSES,
  authenticateRequestSchema,
  changeOrderRequestSchema,
  createTransactionRequestSchema,
  credentialsSchema,
  editTveRequestSchema,
  extensionOf,
  flagLike,
  intLike,
  linkSignerRequestSchema,
  loadTveRequestSchema,
  metatagsSchema,
  parseUtcDateTime,
  protectDocumentRequestSchema,
  registerSignerRequestSchema,
  signedUrlRequestSchema,
  templateId,
  transactionId,
  updateTemplateValuesRequestSchema,
  useTemplateRequestSchema,
} from '../../src/providers/signio/schemas';
import {
  SignioFailure,
  SignioStore,
  type SimDocument,
  type SimTemplate,
  type SimTransaction,
  utc,
} from './store';

export interface SignioSimulatorOptions extends SimulatorOptions, SigningWebhookOptions {
  /** Credentials 6.1 and 6.21 accept. Default `simulator@signio.local` / `simulator`. */
  email?: string;
  password?: string;
  /** Tenants the user reaches; 6.21 answers one token each, 6.1 a token for the first. Default `['simulator']`. */
  tenants?: string[];
  /** Lifetime of every token issued. Default: 120 minutes for 6.1, the request's `ttl` for 6.21. */
  tokenTtlSeconds?: number;
  /** After distribution, the next signers (by `orden`) sign every this many ms. Off when undefined. */
  autoSignMs?: number;
  /** Largest file accepted. Default 20 MiB. */
  maxDocumentBytes?: number;
  templates?: SimTemplate[];
  tags?: string[];
  /** Names of the base (master) transactions 6.4 lists. */
  baseTransactions?: string[];
  /** How a repeated `envelopeDeduplicationKey` is read (see store.ts). Default `deduplicated`. */
  duplicateKeys?: 'deduplicated' | 'allowed';
  /** Prefix of every route, the path part of SIGNIO_BASE_URL. Default none. */
  prefix?: string;
  now?: () => number;
}

export const DEFAULT_TEMPLATES: SimTemplate[] = [
  {
    id: 1,
    name: 'CCB Persona Natural',
    description: 'Cédula de Crédito Bancário',
    type: 'PLL',
    status: 1,
    protected: false,
    roles: 'deudor,codeudor',
    fields: ['name', 'identification', 'amount'],
  },
  {
    id: 2,
    name: 'Pagaré',
    description: 'Pagaré electrónico',
    type: 'XFORM',
    status: 1,
    protected: true,
    roles: 'deudor',
    fields: ['name', 'identification'],
  },
  {
    id: 3,
    name: 'Plantilla inactiva',
    type: 'PLL',
    status: 2,
    protected: false,
    roles: '',
    fields: [],
  },
];

type Style = 'legacy' | 'modern';
type Payload = Record<string, unknown>;

/** The failure body in each style; `zero` is the "0" id failed creations answer. */
function failureBody(style: Style, f: SignioFailure, zero: Payload): Payload {
  return style === 'legacy'
    ? { ...zero, codigo: f.code, mensaje: f.message, ...(f.errors ? { errores: f.errors } : {}) }
    : { ...zero, code: f.code, message: f.message, ...(f.errors ? { errors: f.errors } : {}) };
}

const okBody = (style: Style, payload: Payload, message = 'Operación correcta'): Payload =>
  style === 'legacy' ? { ...payload, codigo: '00', mensaje: message } : { ...payload, code: '00', message };

/** Validates with a contract schema; the failure names the fields, never their values. */
function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues)
    (errors[issue.path.map(String).join('.') || 'body'] ??= []).push(issue.message);
  throw new SignioFailure('05', 'Contenido no procesable', errors);
}

function jsonBody(req: SimRequest): Payload {
  let body: unknown;
  try {
    body = req.json();
  } catch {
    throw new SignioFailure('05', 'Contenido no procesable', { body: ['no es JSON'] });
  }
  if (body === undefined) return {};
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new SignioFailure('05', 'Contenido no procesable', { body: ['debe ser un objeto JSON'] });
  return body as Payload;
}

interface FormFile {
  nombre: string;
  contentType: string;
  bytes: Buffer;
}

async function formBody(
  req: SimRequest,
): Promise<{ fields: Record<string, string>; files: Record<string, FormFile> }> {
  if (!/multipart\/form-data/i.test(req.headers['content-type'] ?? ''))
    throw new SignioFailure('05', 'Contenido no procesable', { body: ['debe ser multipart/form-data'] });
  let form: FormData;
  try {
    form = await req.form();
  } catch {
    throw new SignioFailure('05', 'Contenido no procesable', { body: ['multipart inválido'] });
  }
  const fields: Record<string, string> = {};
  const files: Record<string, FormFile> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') fields[key] = value;
    else
      files[key] = {
        nombre: value.name,
        contentType: value.type || 'application/octet-stream',
        bytes: Buffer.from(await value.arrayBuffer()),
      };
  }
  return { fields, files };
}

function parseJsonField(fields: Record<string, string>, key: string): unknown {
  const raw = fields[key];
  if (raw === undefined || raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new SignioFailure('05', 'Contenido no procesable', { [key]: ['no es JSON'] });
  }
}

class SignioSimulator extends SimulatorServer {
  constructor(
    options: SignioSimulatorOptions,
    prefix: string,
    readonly store: SignioStore,
    readonly webhook: WebhookNotifier,
  ) {
    super('signio', options, prefix);
  }

  /** Stops the signing timers, waits for webhook deliveries in flight, then stops the server. */
  override async close(): Promise<void> {
    this.store.stopAll();
    await this.webhook.drain();
    await super.close();
  }
}

export function createSignioSimulator(options: SignioSimulatorOptions = {}): SimulatorServer {
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  const webhook = new WebhookNotifier('signio', options);
  const store = new SignioStore({
    email: options.email ?? 'simulator@signio.local',
    password: options.password ?? 'simulator',
    tenants: options.tenants ?? ['simulator'],
    tokenTtlSeconds: options.tokenTtlSeconds,
    autoSignMs: options.autoSignMs,
    maxDocumentBytes: options.maxDocumentBytes ?? 20 * 1024 * 1024,
    templates: options.templates ?? DEFAULT_TEMPLATES,
    tags: options.tags ?? ['Crédito', 'CCB', 'Onboarding'],
    baseTransactions: options.baseTransactions ?? ['Contrato base CCB'],
    duplicateKeys: options.duplicateKeys,
    now: options.now ?? Date.now,
    onEvent: (tx) =>
      webhook.notify({
        id_transaccion: tx.id,
        ...(tx.external_id !== undefined ? { external_id: tx.external_id } : {}),
        estado: tx.estado,
      }),
  });
  const sim = new SignioSimulator(options, prefix, store, webhook);

  const origin = (req: SimRequest) => (req.headers.host ? `http://${req.headers.host}` : sim.baseUrl);
  const fileUrl = (req: SimRequest) => (doc: SimDocument) =>
    `${origin(req)}${prefix}/archivos/${encodeURIComponent(doc.id)}`;

  /** Declares a documented route: token check (unless public), failures as in-body codes. */
  const route = (
    operation: SignioOperation,
    style: Style,
    handler: (req: SimRequest) => Payload | Promise<Payload>,
    opts: { auth?: boolean; zero?: Payload } = {},
  ): void => {
    const { method, path } = SIGNIO_ROUTES[operation];
    const wrapped: SimHandler = async (req) => {
      try {
        if (opts.auth !== false) {
          const token = req.bearer();
          if (token === undefined) throw new SignioFailure('01', 'Token requerido', undefined, 401);
          store.checkToken(token);
        }
        const payload = await handler(req);
        const message = typeof payload['$message'] === 'string' ? payload['$message'] : undefined;
        delete payload['$message'];
        return reply(200, okBody(style, payload, message));
      } catch (err) {
        if (err instanceof SignioFailure)
          return reply(err.httpStatus, failureBody(style, err, opts.zero ?? {}));
        throw err;
      }
    };
    sim.route(method, path, wrapped);
  };

  const txOf = (source: Payload): SimTransaction =>
    store.transaction(validate(z.object({ id_transaccion: transactionId }), source).id_transaccion);
  const envelopeOf = (req: SimRequest): SimTransaction =>
    store.transaction(validate(transactionId, req.params['envelope_id']));

  // --- Authentication -------------------------------------------------------------------------

  route(
    'createToken',
    'legacy',
    (req) => {
      const { email, password } = validate(credentialsSchema, jsonBody(req));
      return { token: store.createToken(email, password) };
    },
    { auth: false },
  );

  route(
    'authenticate',
    'modern',
    (req) => {
      const { email, password, ttl } = validate(authenticateRequestSchema, jsonBody(req));
      const tokens = store.authenticate(email, password, ttl);
      return {
        tokens: tokens.map((t) => ({ token: t.token, tenant: t.tenant, expires_at: utc(t.expiresAt) })),
      };
    },
    // 6.21 documents the header "Authorization: Bearer {token}" with a 6.1 token.
  );

  // --- Lists ----------------------------------------------------------------------------------

  route('listTransactions', 'legacy', (req) => {
    const { estado } = validate(
      z.object({ estado: intLike.pipe(z.literal([0, 1, 2, 3, 4, 6, 7])).optional() }),
      jsonBody(req),
    );
    return {
      transacciones: store.listTransactions(estado ?? 0).map((t) => ({
        id_transaccion: t.id,
        nombre: t.nombre,
        estado: t.estado,
        external_id: t.external_id ?? null,
      })),
    };
  });

  route('listTags', 'legacy', () => ({
    tags: store.options.tags.map((nombre, i) => ({ id: String(i + 1), nombre })),
  }));

  route('listBaseTransactions', 'legacy', () => ({
    transacciones: store.listBaseTransactions().map((b) => ({ id_transaccion: b.id, nombre: b.nombre })),
  }));

  // --- Building an envelope -------------------------------------------------------------------

  route(
    'createTransaction',
    'legacy',
    (req) => {
      const body = jsonBody(req);
      // Tags come as an array or as one string separated by ";" (the document says both).
      if (typeof body['tags'] === 'string')
        body['tags'] = body['tags']
          .split(';')
          .map((t) => t.trim())
          .filter((t) => t !== '');
      const created = store.createTransaction(validate(createTransactionRequestSchema, body));
      return {
        id_transaccion: created.id,
        ...(created.existing ? { $message: 'Transacción existente para la llave de deduplicación' } : {}),
      };
    },
    { zero: { id_transaccion: '0' } },
  );

  route(
    'uploadDocument',
    'legacy',
    async (req) => {
      const { fields, files } = await formBody(req);
      const tx = txOf(fields);
      const file = files['documento'];
      if (file === undefined)
        throw new SignioFailure('05', 'Contenido no procesable', { documento: ['es requerido'] });
      if (!(DOCUMENT_EXTENSIONS as readonly string[]).includes(extensionOf(file.nombre)))
        throw new SignioFailure('05', 'Contenido no procesable', {
          documento: [`extensión no permitida (${DOCUMENT_EXTENSIONS.join(', ')})`],
        });
      const metatags = parseJsonField(fields, 'metatags');
      if (metatags !== undefined) validate(metatagsSchema, metatags);
      const doc = store.uploadDocument(tx.id, file, metatags);
      return { id_documento: doc.id };
    },
    { zero: { id_documento: '0' } },
  );

  route(
    'registerSigner',
    'legacy',
    (req) => {
      const body = jsonBody(req);
      if (body['operation_rol'] === undefined && body['Operation_rol'] !== undefined)
        body['operation_rol'] = body['Operation_rol'];
      delete body['Operation_rol'];
      const input = validate(registerSignerRequestSchema, body);
      const {
        id_transaccion,
        nombre,
        tipo_identificacion,
        identificacion,
        email,
        orden,
        aprobador,
        tipo_firma,
        enable_comments,
        rol,
        on_premise_signature,
        ...extra
      } = input;
      const contact = store.registerContact(id_transaccion, {
        nombre,
        tipo_identificacion,
        identificacion,
        email,
        orden,
        aprobador: aprobador === 1,
        tipo_firma: tipo_firma ?? 0,
        enable_comments: enable_comments ?? false,
        notificado: rol === 'Notificado',
        on_premise_signature: on_premise_signature === undefined ? undefined : on_premise_signature === 1,
        extra,
      });
      return { id_firmante: contact.id };
    },
    { zero: { id_firmante: '0' } },
  );

  route('linkSigner', 'legacy', (req) => {
    const input = validate(linkSignerRequestSchema, jsonBody(req));
    store.link(input.id_transaccion, {
      id_firmante: input.id_firmante,
      id_documento: input.id_documento,
      attachment: input.attachment === 1,
      stamps: [...(input.posicion ? [input.posicion] : []), ...(input.stamps ?? [])],
      ...(input.operation_rol !== undefined ? { operation_rol: input.operation_rol } : {}),
    });
    return {};
  });

  route('changeDistributionOrder', 'legacy', (req) => {
    const input = validate(changeOrderRequestSchema, jsonBody(req));
    store.changeOrder(input.id_transaccion, input.id_firmante, input.orden);
    return {};
  });

  route('distribute', 'legacy', (req) => {
    store.distribute(txOf(jsonBody(req)).id);
    return {};
  });

  // --- Following and stopping -----------------------------------------------------------------

  route('getTransaction', 'legacy', (req) => {
    const tx = txOf(Object.fromEntries(req.query.entries()));
    return store.view(tx, fileUrl(req));
  });

  route('returnTransaction', 'legacy', (req) => {
    store.returnTransaction(txOf(jsonBody(req)).id);
    return {};
  });

  route('deleteTransaction', 'legacy', (req) => {
    store.deleteTransaction(txOf(jsonBody(req)).id);
    return {};
  });

  route('protectDocument', 'legacy', (req) => {
    const body = jsonBody(req);
    const input = validate(protectDocumentRequestSchema.extend({ protect: flagLike }), body);
    store.protectDocument(input.id_documento, input.protect);
    return {};
  });

  route('templateFields', 'legacy', (req) => ({ campos: store.templateFields(txOf(jsonBody(req)).id) }));

  // --- Newer services -------------------------------------------------------------------------

  route('searchEnvelopes', 'modern', (req) => {
    const q = req.query;
    const date = (key: string): number | undefined => {
      const raw = q.get(key);
      if (raw === null || raw === '') return undefined;
      const ms =
        parseUtcDateTime(raw) ??
        (/^\d{4}-\d{2}-\d{2}$/.test(raw) ? Date.parse(`${raw}T00:00:00Z`) : undefined);
      if (ms === undefined)
        throw new SignioFailure('05', 'Contenido no procesable', { [key]: ['fecha inválida'] });
      return ms;
    };
    const from = date('filter[from]');
    const to = date('filter[to]');
    const name = q.get('filter[name]')?.toLowerCase();
    const status = q.get('filter[status]');
    if (status !== null && !(ENVELOPE_STATUSES as readonly string[]).includes(status))
      throw new SignioFailure('05', 'Contenido no procesable', { 'filter[status]': ['estado no permitido'] });
    const sort = q.get('sort');
    if (sort !== null && !(ENVELOPE_SORTS as readonly string[]).includes(sort))
      throw new SignioFailure('05', 'Contenido no procesable', { sort: ['orden no permitido'] });
    const offset =
      validate(intLike.pipe(z.number().int().nonnegative()).optional(), q.get('offset') ?? undefined) ?? 0;
    let list = [...store.live()]
      .map((tx) => ({ tx, summary: store.envelopeSummary(tx) }))
      .filter(
        ({ tx, summary }) =>
          (name === undefined || tx.nombre.toLowerCase().includes(name)) &&
          (from === undefined || tx.updatedAt >= from) &&
          (to === undefined || tx.updatedAt <= to) &&
          (status === null || summary['status'] === status),
      );
    if (sort !== null) {
      const dir = sort.startsWith('-') ? -1 : 1;
      const key = sort.slice(1);
      const value = (e: (typeof list)[number]) =>
        key === 'name'
          ? e.tx.nombre
          : key === 'status'
            ? String(e.summary['status'])
            : key === 'created_at'
              ? e.tx.createdAt
              : e.tx.updatedAt;
      list = list.sort((a, b) => (value(a) < value(b) ? -dir : value(a) > value(b) ? dir : 0));
    }
    return { envelopes: list.slice(offset, offset + 1000).map((e) => e.summary) };
  });

  route('listTemplates', 'modern', () => ({
    templates: store.options.templates.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description ?? null,
      type: t.type,
      status: t.status,
      protected: t.protected,
      roles: t.roles,
      created_at: t.createdAt ?? '2024-01-01T00:00:00+00:00',
    })),
  }));

  const templateDocument = (doc: SimDocument) => ({
    id: doc.id,
    name: doc.nombre,
    template_id: doc.templateId,
    fields: doc.fields ?? {},
  });

  route('useTemplate', 'modern', (req) => {
    const tx = envelopeOf(req);
    const input = validate(useTemplateRequestSchema, jsonBody(req));
    return { document: templateDocument(store.useTemplate(tx.id, input.template_id, input.fields)) };
  });

  route('updateTemplateValues', 'modern', (req) => {
    const tx = envelopeOf(req);
    const input = validate(updateTemplateValuesRequestSchema, jsonBody(req));
    const doc = store.updateTemplateValues(tx.id, req.params['document_id'] ?? '', input.fields);
    return { document: templateDocument(doc) };
  });

  route('getLink', 'modern', (req) => {
    const tx = envelopeOf(req);
    const mode = tx.estado === 1 ? 'editar' : 'consultar';
    const token = Buffer.from(`${tx.id}:${Date.now()}:${Math.random()}`).toString('base64url');
    return { magic_link: `${origin(req)}${prefix}/magic/${mode}/${token}` };
  });

  route(
    'loadTve',
    'modern',
    async (req) => {
      const tx = envelopeOf(req);
      const { fields, files } = await formBody(req);
      const raw: Payload = { ...fields };
      if (typeof raw['amount'] === 'string' && raw['amount'] !== '') raw['amount'] = Number(raw['amount']);
      const terms = validate(loadTveRequestSchema, raw);
      const file = files['document'];
      if (terms.template_id === '0' && file === undefined)
        throw new SignioFailure('05', 'Contenido no procesable', {
          document: ['es requerido con template_id 0'],
        });
      if (file !== undefined && extensionOf(file.nombre) !== 'pdf')
        throw new SignioFailure('05', 'Contenido no procesable', { document: ['debe ser PDF'] });
      if (terms.template_id !== '0') validate(templateId, terms.template_id);
      const { fileName: _fileName, ...rest } = terms;
      const doc = store.loadTve(tx.id, rest, file);
      return { document_id: doc.id };
    },
    { zero: { document_id: '0' } },
  );

  route('editTve', 'modern', (req) => {
    const tx = envelopeOf(req);
    const terms = validate(editTveRequestSchema, jsonBody(req));
    const doc = store.editTve(tx.id, req.params['document_id'] ?? '', terms);
    return { document_id: doc.id };
  });

  route('getSignedUrl', 'modern', (req) => {
    const input = validate(signedUrlRequestSchema, jsonBody(req));
    store.onPremiseSigner(input.transaction_id, input.document_type, input.document);
    const token = Buffer.from(`${input.transaction_id}:${Date.now()}:${Math.random()}`).toString('base64url');
    const direct = input.direct_signature === 1 ? 'firmar' : 'sobres';
    return { url: `${origin(req)}${prefix}/onpremise/${direct}/${token}` };
  });

  // --- The documents' public paths ------------------------------------------------------------

  sim.route(SIGNIO_ROUTES.file.method, SIGNIO_ROUTES.file.path, (req): SimResponse => {
    try {
      const { doc, bytes, signed } = store.file(req.params['id_documento'] ?? '');
      return {
        status: 200,
        body: bytes,
        headers: {
          'content-type': doc.contentType,
          'content-length': String(bytes.length),
          'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(doc.nombre)}`,
          'x-signio-signed': String(signed),
        },
      };
    } catch (err) {
      if (!(err instanceof SignioFailure)) throw err;
      return reply(err.code === '06' ? 404 : 403, { codigo: err.code, mensaje: err.message });
    }
  });

  // --- Simulator extras -----------------------------------------------------------------------

  sim.controlRoute('POST', '/_simulator/sign', (req) => {
    const body = z
      .object({
        id_transaccion: z.string().min(1),
        signer: z.string().min(1).optional(),
        reject: z.boolean().optional(),
      })
      .safeParse(req.json());
    if (!body.success)
      throw new SimulatorHttpError(reply(400, { message: 'expected { id_transaccion, signer?, reject? }' }));
    try {
      const estado = store.sign(body.data.id_transaccion, body.data.signer, body.data.reject ?? false);
      return reply(200, { id_transaccion: body.data.id_transaccion, estado });
    } catch (err) {
      if (err instanceof SignioFailure)
        return reply(err.code === '06' ? 404 : 409, { codigo: err.code, mensaje: err.message });
      throw err;
    }
  });

  sim.controlRoute('POST', '/_simulator/revoke-tokens', () => reply(200, { revoked: store.revokeTokens() }));

  webhook.mount(sim);

  sim.onState(() => {
    const snapshot = store.snapshot();
    return {
      ...snapshot,
      counts: { ...(snapshot['counts'] as Record<string, number>), ...webhook.stateCounts() },
      webhook: webhook.target(),
    };
  });
  sim.onReset(() => {
    store.reset();
    webhook.reset();
  });
  return sim;
}

/** The simulator's options from the configuration (npm run simulators), on `port`. */
export function signioSimulatorOptions(config: SimulatorConfig, port: number): SignioSimulatorOptions {
  // SIMULATOR_FAULTS is shared by every simulator: a rule naming another's route never matches here.
  const faults = config.SIMULATOR_FAULTS;
  return {
    host: config.SIMULATOR_HOST,
    port,
    email: config.SIGNIO_EMAIL,
    password: config.SIGNIO_PASSWORD,
    ...(config.SIGNIO_TENANT !== undefined ? { tenants: [config.SIGNIO_TENANT] } : {}),
    prefix: new URL(config.SIGNIO_BASE_URL).pathname.replace(/\/+$/, ''),
    faults,
    faultSeed: config.SIMULATOR_FAULT_SEED,
    ...signingWebhookOptions(config, 'signio'),
    ...(config.SIMULATOR_AUTO_SIGN_MS !== undefined ? { autoSignMs: config.SIMULATOR_AUTO_SIGN_MS } : {}),
  };
}
