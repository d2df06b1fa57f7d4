/**
 * Signio API client (docs/providers/signio.md): one method per documented call, every answer validated, errors only
 * as ProviderError (HTTP, transport, and the in-body `codigo`/`code`) or ContractError (answers that
 * break the contract, and SignioRequestError for requests refused before sending).
 *
 * Authentication: a Bearer token cached with TokenCache until shortly before it expires. With a
 * `tenant`, tokens come from the per-tenant authentication (6.21), whose answer gives their expiry;
 * without one, from "Generar Token" (6.1). A token Signio rejects (codigo 01 or HTTP 401) is
 * refreshed once and the call repeated; tokens are never logged nor put in errors.
 *
 * This client never retries by itself beyond that one refresh: the activity layer decides, from
 * `ProviderError.retryable` and `retryAfterMs`.
 */
import { interceptors, request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { timeoutsFromEnv, type HttpEnv } from '../env';
import type { SignioEnv } from './config';
import { ContractError, ProviderError, parseRetryAfter } from '../errors';
import { fileDownload, headerValue, type FileDownload } from '../file-download';
import {
  FormData,
  ProviderHttp,
  recordAnswer,
  defaultTimeouts,
  type HttpRequest,
  type HttpResponse,
  type HttpTimeouts,
} from '../http';
import { TokenCache, type IssuedToken } from '../token-cache';
import { OK_CODE, codeError, isTokenRejected, readOutcome } from './codes';
import { SignioRequestError, parseRequest } from './request-error';
import { SIGNIO_ROUTES, routePath, type SignioOperation } from './routes';
import {
  authenticateRequestSchema,
  authenticateResponseSchema,
  changeOrderRequestSchema,
  createTokenResponseSchema,
  createTransactionRequestSchema,
  createTransactionResponseSchema,
  editTveRequestSchema,
  linkSignerRequestSchema,
  listBaseTransactionsResponseSchema,
  listTagsResponseSchema,
  listTemplatesResponseSchema,
  listTransactionsRequestSchema,
  listTransactionsResponseSchema,
  loadTveRequestSchema,
  magicLinkResponseSchema,
  opaqueId,
  protectDocumentRequestSchema,
  registerSignerRequestSchema,
  registerSignerResponseSchema,
  searchEnvelopesRequestSchema,
  searchEnvelopesResponseSchema,
  signedUrlRequestSchema,
  signedUrlResponseSchema,
  templateDocumentResponseSchema,
  templateFieldsResponseSchema,
  transactionId,
  transactionSchema,
  tveResponseSchema,
  updateTemplateValuesRequestSchema,
  uploadDocumentRequestSchema,
  uploadDocumentResponseSchema,
  useTemplateRequestSchema,
  type BaseTransaction,
  type ChangeOrderRequest,
  type CreateTransactionRequest,
  type EditTveRequest,
  type EnvelopeSummary,
  type LinkSignerRequest,
  type ListTransactionsRequest,
  type LoadTveRequest,
  type RegisterSignerRequest,
  type SearchEnvelopesRequest,
  type SignedUrlRequest,
  type Tag,
  type Template,
  type TemplateDocument,
  type TemplateField,
  type TemplateValues,
  type TenantToken,
  type Transaction,
  type TransactionStateCode,
  type TransactionSummary,
  type UploadDocumentRequest,
  type UseTemplateRequest,
} from './schemas';

export interface SignioClientOptions {
  /** The part of the URL before `/token/crear`, e.g. `https://signio.example.com/api/v2`. */
  baseUrl: string;
  email: string;
  password: string;
  /** Use the per-tenant authentication (6.21) and this tenant's token. Without it, 6.1. */
  tenant?: string;
  /** Lifetime asked of per-tenant tokens (6.21 `ttl`, minutes). Default 120, the provider's. */
  tokenTtlMinutes?: number;
  /**
   * How long a 6.1 token is trusted. Decision: 6.1 announces no lifetime; 120 minutes is the
   * default lifetime 6.21 documents for Signio's tokens. A token that dies earlier is answered with
   * codigo 01 and refreshed once.
   */
  tokenLifetimeMs?: number;
  /** Refresh this long before the expiry. Default 60 s. */
  tokenRefreshSkewMs?: number;
  timeouts?: HttpTimeouts;
  now?: () => number;
}

/** File content to upload: bytes, or a Blob (e.g. `fs.openAsBlob(path)`, read as it is sent). */
export type FileContent = Buffer | Uint8Array | Blob;

const PROVIDER = 'signio';
const DEFAULT_TTL_MINUTES = 120;

interface CallOptions {
  /** Send the Bearer token (every call but the two authentications). Default true. */
  auth?: boolean;
  /** The answer must carry its result code. Default true; 6.24 documents only `url`. */
  codeRequired?: boolean;
}

export class SignioClient {
  private readonly http: ProviderHttp;
  private readonly files: Dispatcher;
  private readonly tokens: TokenCache;
  private readonly now: () => number;
  private readonly timeouts: HttpTimeouts;
  private readonly skewMs: number;

  constructor(private readonly options: SignioClientOptions) {
    this.timeouts = options.timeouts ?? defaultTimeouts;
    this.http = new ProviderHttp(PROVIDER, options.baseUrl, this.timeouts);
    // Public file URLs may redirect to storage; API calls never follow redirects.
    this.files = this.http.agent.compose(interceptors.redirect({ maxRedirections: 3 }));
    this.now = options.now ?? Date.now;
    this.skewMs = options.tokenRefreshSkewMs ?? 60_000;
    this.tokens = new TokenCache('signio', () => this.issueToken(), this.skewMs, this.now);
  }

  static fromEnv(env: SignioEnv & HttpEnv): SignioClient {
    return new SignioClient({
      baseUrl: env.SIGNIO_BASE_URL,
      email: env.SIGNIO_EMAIL,
      password: env.SIGNIO_PASSWORD,
      ...(env.SIGNIO_TENANT !== undefined ? { tenant: env.SIGNIO_TENANT } : {}),
      timeouts: timeoutsFromEnv(env),
    });
  }

  /** How many tokens this client fetched (for tests and metrics; never the tokens). */
  get tokenFetches(): number {
    return this.tokens.fetches;
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  // --- Authentication -------------------------------------------------------------------------

  /** 6.1 Generar Token. */
  async createToken(): Promise<string> {
    const body = await this.call(
      'createToken',
      () => ({
        ...this.route('createToken'),
        json: { email: this.options.email, password: this.options.password },
      }),
      createTokenResponseSchema,
      { auth: false },
    );
    return body.token;
  }

  /** 6.21 Autenticación: one token per tenant the user can reach, with its expiry (epoch ms). */
  async authenticate(ttlMinutes?: number): Promise<TenantToken[]> {
    const operation = 'authenticate';
    const json = parseRequest(operation, authenticateRequestSchema, {
      email: this.options.email,
      password: this.options.password,
      ...(ttlMinutes !== undefined ? { ttl: ttlMinutes } : {}),
    });
    // 6.21 lists the header "Authorization: Bearer {token} donde {token} es el código retornado por
    // GENERAR TOKEN": a 6.1 token is fetched for this one call and sent with it.
    const bootstrap = await this.createToken();
    const body = await this.call(
      operation,
      () => ({ ...this.route(operation), json, headers: { authorization: `Bearer ${bootstrap}` } }),
      authenticateResponseSchema,
      { auth: false },
    );
    return body.tokens;
  }

  // --- Lists ----------------------------------------------------------------------------------

  /** 6.2 Listar transacciones, of one state (0 or absent: all). */
  async listTransactions(filter: ListTransactionsRequest = {}): Promise<TransactionSummary[]> {
    const operation = 'listTransactions';
    const json = parseRequest(operation, listTransactionsRequestSchema, filter);
    const body = await this.call(
      operation,
      () => ({ ...this.route(operation), json }),
      listTransactionsResponseSchema,
    );
    return body.transacciones;
  }

  /** 6.3 Listar TAGS. */
  async listTags(): Promise<Tag[]> {
    const body = await this.call('listTags', () => this.route('listTags'), listTagsResponseSchema);
    return body.tags;
  }

  /** 6.4 Listar Transacciones Base: the masters a transaction can copy (`id_transaccion_base`). */
  async listBaseTransactions(): Promise<BaseTransaction[]> {
    const body = await this.call(
      'listBaseTransactions',
      () => this.route('listBaseTransactions'),
      listBaseTransactionsResponseSchema,
    );
    return body.transacciones;
  }

  // --- Building an envelope -------------------------------------------------------------------

  /** 6.5 Registrar transacción; answers its `id_transaccion` (see schemas.ts on `envelopeDeduplicationKey`). */
  async createTransaction(request: CreateTransactionRequest): Promise<string> {
    const operation = 'createTransaction';
    const json = parseRequest(operation, createTransactionRequestSchema, request);
    const body = await this.call(
      operation,
      () => ({ ...this.route(operation), json }),
      createTransactionResponseSchema,
    );
    return body.id_transaccion;
  }

  /** 6.6 Cargar documentos, as multipart (`id_transaccion`, `documento`, `metatags`); answers `id_documento`. */
  async uploadDocument(request: UploadDocumentRequest, content: FileContent): Promise<string> {
    const operation = 'uploadDocument';
    const req = parseRequest(operation, uploadDocumentRequestSchema, request);
    const file = toBlob(content, req.contentType ?? contentTypeOf(req.fileName));
    const body = await this.call(
      operation,
      () => {
        // Built per attempt: a form is consumed by the request that sends it.
        const form = new FormData();
        form.append('id_transaccion', req.id_transaccion);
        form.append('documento', file, req.fileName);
        if (req.metatags !== undefined) form.append('metatags', JSON.stringify(req.metatags));
        return { ...this.route(operation), form };
      },
      uploadDocumentResponseSchema,
    );
    return body.id_documento;
  }

  /** 6.7 Registrar Firmantes; answers `id_firmante`. */
  async registerSigner(request: RegisterSignerRequest): Promise<string> {
    const operation = 'registerSigner';
    const json = parseRequest(operation, registerSignerRequestSchema, request);
    const body = await this.call(
      operation,
      () => ({ ...this.route(operation), json }),
      registerSignerResponseSchema,
    );
    return body.id_firmante;
  }

  /** 6.8 Vincular: a signer to a document, with its stamp position(s), or as an attachment. */
  async linkSigner(request: LinkSignerRequest): Promise<void> {
    const operation = 'linkSigner';
    const json = parseRequest(operation, linkSignerRequestSchema, request);
    await this.call(operation, () => ({ ...this.route(operation), json }), undefined);
  }

  /** 6.9 Cambiar orden de Distribución: the signer's new position in a serial distribution. */
  async changeDistributionOrder(request: ChangeOrderRequest): Promise<void> {
    const operation = 'changeDistributionOrder';
    const json = parseRequest(operation, changeOrderRequestSchema, request);
    await this.call(operation, () => ({ ...this.route(operation), json }), undefined);
  }

  /** 6.10 Distribuir: sends the envelope to its signers. */
  async distribute(idTransaccion: string): Promise<void> {
    await this.transactionCall('distribute', idTransaccion);
  }

  // --- Following and stopping an envelope -----------------------------------------------------

  /** 6.11 Obtener Transacción: data, documents (with their public `path`), contacts and signatures. */
  async getTransaction(idTransaccion: string): Promise<Transaction> {
    const operation = 'getTransaction';
    const id = this.transactionId(operation, idTransaccion);
    return this.call(
      operation,
      () => ({ ...this.route(operation), query: { id_transaccion: id } }),
      transactionSchema,
    );
  }

  /**
   * The transaction's state code (TRANSACTION_STATES): from 6.11 when it carries `estado`, else
   * from the 6.2 list, where each transaction shows its state.
   */
  async transactionState(idTransaccion: string): Promise<TransactionStateCode> {
    const operation = 'transactionState';
    const transaction = await this.getTransaction(idTransaccion);
    if (transaction.estado !== undefined) return transaction.estado;
    const listed = (await this.listTransactions({ estado: 0 })).find(
      (t) => t.id_transaccion === idTransaccion,
    );
    if (listed?.estado === undefined)
      throw new ContractError(PROVIDER, operation, 200, [
        { path: 'estado', message: 'the transaction shows no state in 6.11 nor in the 6.2 list' },
      ]);
    return listed.estado;
  }

  /** 6.12 Devolver: Pendiente de Firma (or En Captura de Datos) back to En Elaboración; signing stops. */
  async returnTransaction(idTransaccion: string): Promise<void> {
    await this.transactionCall('returnTransaction', idTransaccion);
  }

  /** 6.13 Eliminar: only in En Elaboración. */
  async deleteTransaction(idTransaccion: string): Promise<void> {
    await this.transactionCall('deleteTransaction', idTransaccion);
  }

  /** 6.14 Proteger documento: a protected document cannot be fetched once the envelope is signed. */
  async protectDocument(idDocumento: string, protect: boolean): Promise<void> {
    const operation = 'protectDocument';
    const json = parseRequest(operation, protectDocumentRequestSchema, {
      id_documento: idDocumento,
      protect,
    });
    await this.call(operation, () => ({ ...this.route(operation), json }), undefined);
  }

  // --- Templates ------------------------------------------------------------------------------

  /** 6.15 Listar campos Plantillas: the inputs to fill in the envelope's template documents. */
  async templateFields(idTransaccion: string): Promise<TemplateField[]> {
    const operation = 'templateFields';
    const id = this.transactionId(operation, idTransaccion);
    const body = await this.call(
      operation,
      () => ({ ...this.route(operation), json: { id_transaccion: id } }),
      templateFieldsResponseSchema,
    );
    return body.campos;
  }

  /** 6.17 Listar Plantillas. */
  async listTemplates(): Promise<Template[]> {
    const body = await this.call(
      'listTemplates',
      () => this.route('listTemplates'),
      listTemplatesResponseSchema,
    );
    return body.templates;
  }

  /** 6.18 Usar Plantilla: adds a document made from a template, as an attachment of every contact. */
  async useTemplate(envelopeId: string, request: UseTemplateRequest): Promise<TemplateDocument> {
    const operation = 'useTemplate';
    const id = this.transactionId(operation, envelopeId);
    const json = parseRequest(operation, useTemplateRequestSchema, request);
    const body = await this.call(
      operation,
      () => ({ ...this.route(operation, { envelope_id: id }), json }),
      templateDocumentResponseSchema,
    );
    return body.document;
  }

  /** 6.19 Actualizar Valores Plantilla. */
  async updateTemplateValues(
    envelopeId: string,
    documentId: string,
    fields: TemplateValues,
  ): Promise<TemplateDocument> {
    const operation = 'updateTemplateValues';
    const id = this.transactionId(operation, envelopeId);
    const document = this.opaqueId(operation, 'document_id', documentId);
    const json = parseRequest(operation, updateTemplateValuesRequestSchema, { fields });
    const body = await this.call(
      operation,
      () => ({ ...this.route(operation, { envelope_id: id, document_id: document }), json }),
      templateDocumentResponseSchema,
    );
    return body.document;
  }

  // --- Search, links, TVE ---------------------------------------------------------------------

  /** 6.16 Buscar sobres: at most 1000 per answer; page with `offset`. */
  async searchEnvelopes(filter: SearchEnvelopesRequest = {}): Promise<EnvelopeSummary[]> {
    const operation = 'searchEnvelopes';
    const f = parseRequest(operation, searchEnvelopesRequestSchema, filter);
    const query = {
      'filter[name]': f.name,
      'filter[from]': f.from,
      'filter[to]': f.to,
      'filter[status]': f.status,
      sort: f.sort,
      offset: f.offset,
    };
    const body = await this.call(
      operation,
      () => ({ ...this.route(operation), query }),
      searchEnvelopesResponseSchema,
    );
    return body.envelopes;
  }

  /** 6.20 Obtener Link: a 30-minute magic link (edit while En Elaboración, else view). */
  async getLink(envelopeId: string): Promise<string> {
    const operation = 'getLink';
    const id = this.transactionId(operation, envelopeId);
    const body = await this.call(
      operation,
      () => this.route(operation, { envelope_id: id }),
      magicLinkResponseSchema,
    );
    return body.magic_link;
  }

  /**
   * 6.22 Cargar TVE: a promissory note, from a TVE template or (template_id 0) an external PDF given
   * as `file`. Decision: multipart, as it carries a file; answers `document_id`.
   */
  async loadTve(envelopeId: string, request: LoadTveRequest, file?: FileContent): Promise<string> {
    const operation = 'loadTve';
    const id = this.transactionId(operation, envelopeId);
    const req = parseRequest(operation, loadTveRequestSchema, request);
    if (req.template_id === '0' && file === undefined)
      throw new SignioRequestError(operation, [
        { path: 'document', message: 'is required when template_id is 0' },
      ]);
    const blob = file === undefined ? undefined : toBlob(file, 'application/pdf');
    const body = await this.call(
      operation,
      () => {
        const form = new FormData();
        const { fileName, ...fields } = req;
        for (const [key, value] of Object.entries(fields))
          if (value !== undefined) form.append(key, String(value));
        if (blob !== undefined) form.append('document', blob, fileName ?? 'pagare.pdf');
        return { ...this.route(operation, { envelope_id: id }), form };
      },
      tveResponseSchema,
    );
    return body.document_id;
  }

  /** 6.23 Editar TVE. */
  async editTve(envelopeId: string, documentId: string, request: EditTveRequest): Promise<string> {
    const operation = 'editTve';
    const id = this.transactionId(operation, envelopeId);
    const document = this.opaqueId(operation, 'document_id', documentId);
    const json = parseRequest(operation, editTveRequestSchema, request);
    const body = await this.call(
      operation,
      () => ({ ...this.route(operation, { envelope_id: id, document_id: document }), json }),
      tveResponseSchema,
    );
    return body.document_id;
  }

  /** 6.24 Generar URL para proceso de firma: a signed URL for on-site signing by one signer. */
  async getSignedUrl(request: SignedUrlRequest): Promise<string> {
    const operation = 'getSignedUrl';
    const json = parseRequest(operation, signedUrlRequestSchema, request);
    const body = await this.call(
      operation,
      () => ({ ...this.route(operation), json }),
      signedUrlResponseSchema,
      {
        codeRequired: false,
      },
    );
    return body.url;
  }

  // --- Files ----------------------------------------------------------------------------------

  /**
   * A document's file, streamed from its `path` (6.11 "Ruta pública del archivo"); once the envelope
   * is Firmada, that is the signed PDF.
   *
   * Decisions: the path is public, so no token is sent (it must not leak to a storage host); a
   * relative path is resolved against the base URL; plain http is refused unless the base URL is
   * http itself (local simulators); up to 3 redirects are followed. Errors while the caller reads
   * `body` surface on the stream.
   */
  async downloadDocument(url: string): Promise<FileDownload> {
    const operation = 'downloadDocument';
    const target = this.fileUrl(operation, url);
    // The span ends when the file starts to arrive: the caller streams the body on.
    return this.http.traced(operation, 'GET', async (span) => {
      let res: Dispatcher.ResponseData;
      try {
        res = await request(target, {
          method: 'GET',
          headers: { accept: '*/*' },
          dispatcher: this.files,
          signal: AbortSignal.timeout(this.timeouts.totalMs),
        });
      } catch (err) {
        throw this.http.transportError(operation, err);
      }
      recordAnswer(span, res.statusCode);
      const contentType = headerValue(res.headers['content-type']) ?? 'application/octet-stream';
      if (res.statusCode >= 300 || /json/i.test(contentType)) {
        let text: string;
        try {
          text = await res.body.text();
        } catch (err) {
          throw this.http.transportError(operation, err);
        }
        const answer: HttpResponse = { status: res.statusCode, headers: res.headers, text };
        this.throwIfCode(operation, answer);
        this.http.throwIfError(operation, answer);
        throw new ContractError(PROVIDER, operation, res.statusCode, [
          { path: '', message: `expected a file, got ${contentType.split(';')[0]}` },
        ]);
      }
      return fileDownload(res.headers, contentType, res.body);
    });
  }

  // --- Plumbing -------------------------------------------------------------------------------

  private async issueToken(): Promise<IssuedToken> {
    const issuedAt = this.now();
    if (this.options.tenant === undefined) {
      const token = await this.createToken();
      return { token, expiresAt: issuedAt + (this.options.tokenLifetimeMs ?? DEFAULT_TTL_MINUTES * 60_000) };
    }
    const tokens = await this.authenticate(this.options.tokenTtlMinutes ?? DEFAULT_TTL_MINUTES);
    const mine = tokens.find((t) => t.tenant === this.options.tenant);
    if (mine === undefined)
      throw new ProviderError({
        provider: PROVIDER,
        operation: 'authenticate',
        kind: 'business',
        providerMessage: `no token for the configured tenant among ${tokens.length} returned`,
        retryable: false,
      });
    // A clock disagreement with Signio must not become a token fetch per call: the expiry is
    // trusted for at least twice the skew, and a token that is really dead is answered with 01.
    return { token: mine.token, expiresAt: Math.max(mine.expires_at, issuedAt + 2 * this.skewMs) };
  }

  private route(operation: SignioOperation, params?: Record<string, string>): HttpRequest {
    return { method: SIGNIO_ROUTES[operation].method, path: routePath(operation, params) };
  }

  /** Sends with a token (refreshed once if rejected) and reads the answer. */
  private async call<S extends z.ZodType>(
    operation: string,
    build: () => HttpRequest,
    schema: S | undefined,
    options: CallOptions = {},
  ): Promise<z.infer<S>> {
    const once = async (token?: string): Promise<z.infer<S>> => {
      const req = build();
      const headers =
        token === undefined ? req.headers : { ...req.headers, authorization: `Bearer ${token}` };
      const res = await this.http.send(operation, { ...req, ...(headers ? { headers } : {}) });
      return this.read(operation, res, schema, options.codeRequired ?? true);
    };
    if (options.auth === false) return once();
    return this.tokens.withToken(once, isTokenRejected);
  }

  /** The in-body code first (it carries errors in HTTP 200 answers), then the status, then the payload. */
  private read<S extends z.ZodType>(
    operation: string,
    res: HttpResponse,
    schema: S | undefined,
    codeRequired: boolean,
  ): z.infer<S> {
    const outcome = this.throwIfCode(operation, res);
    this.http.throwIfError(operation, res);
    if (codeRequired && outcome.code === undefined)
      throw new ContractError(PROVIDER, operation, res.status, [
        { path: 'codigo', message: 'missing: every answer carries its result code' },
      ]);
    if (schema === undefined) return undefined as z.infer<S>;
    return this.http.parse(operation, res, schema);
  }

  private throwIfCode(operation: string, res: HttpResponse): ReturnType<typeof readOutcome> {
    let body: unknown;
    try {
      body = res.text === '' ? undefined : JSON.parse(res.text);
    } catch {
      body = undefined;
    }
    const outcome = readOutcome(body);
    if (outcome.code !== undefined && outcome.code !== OK_CODE)
      throw codeError(
        operation,
        outcome,
        res.status,
        parseRetryAfter(res.headers['retry-after'], this.now()),
      );
    return outcome;
  }

  private async transactionCall(operation: SignioOperation, idTransaccion: string): Promise<void> {
    const id = this.transactionId(operation, idTransaccion);
    await this.call(operation, () => ({ ...this.route(operation), json: { id_transaccion: id } }), undefined);
  }

  private transactionId(operation: string, id: string): string {
    const parsed = transactionId.safeParse(id);
    if (!parsed.success)
      throw new SignioRequestError(operation, [
        { path: 'id_transaccion', message: 'must be a 36-character transaction UUID' },
      ]);
    return parsed.data;
  }

  private opaqueId(operation: string, field: string, id: string): string {
    const parsed = opaqueId.safeParse(id);
    if (!parsed.success)
      throw new SignioRequestError(operation, [{ path: field, message: 'must be a non-empty id' }]);
    return parsed.data;
  }

  private fileUrl(operation: string, url: string): string {
    const base = new URL(this.options.baseUrl);
    let target: URL;
    try {
      target = new URL(url, base);
    } catch {
      throw new SignioRequestError(operation, [{ path: 'url', message: 'is not a URL' }]);
    }
    const allowed = base.protocol === 'http:' ? ['http:', 'https:'] : ['https:'];
    if (!allowed.includes(target.protocol))
      throw new SignioRequestError(operation, [{ path: 'url', message: `must use ${allowed.join(' or ')}` }]);
    return target.toString();
  }
}

function toBlob(content: FileContent, type: string): Blob {
  // A Blob part is referenced, not copied: a file-backed Blob is still read as it is sent.
  if (content instanceof Blob) return content.type === '' ? new Blob([content], { type }) : content;
  // Copy into a fresh ArrayBuffer-backed view: Blob parts must not be SharedArrayBuffer views.
  return new Blob([new Uint8Array(content)], { type });
}

const CONTENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function contentTypeOf(fileName: string): string {
  const ext = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}
