/**
 * Assine Bem API client (docs/providers/assinebem.md): one method per documented call, every answer validated, errors
 * only as ProviderError (HTTP, transport and in-body `status_api`) or ContractError.
 *
 * Decision: authentication. The document says the token goes "pelo HEADER" without naming the
 * header; we send `Authorization: Bearer <token>`. The token is never logged nor put in errors.
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { timeoutsFromEnv, type HttpEnv } from '../env';
import type { AssineBemEnv } from './config';
import { ContractError, parseRetryAfter } from '../errors';
import { fileDownload, fileNameOf, headerValue, type FileDownload } from '../file-download';
import { ProviderHttp, type HttpRequest, type HttpResponse, type HttpTimeouts } from '../http';
import { apiStatusError, notNotifiedError } from './api-status';
import {
  apiStatusSchema,
  attachmentsResponseSchema,
  costCentresResponseSchema,
  documentoRetornoSchema,
  downloadResponseSchema,
  identifierResponseSchema,
  invalidateAttachmentResponseSchema,
  newAccessResponseSchema,
  parteRetornoSchema,
  partyStatusResponseSchema,
  pendingSignaturesResponseSchema,
  signatureStatusResponseSchema,
  signerUrlResponseSchema,
  templateResponseSchema,
  templatesResponseSchema,
  type AttachmentRequest,
  type AttachmentsList,
  type CentroCusto,
  type Documento,
  type Modelo,
  type ModeloResumo,
  type Parte,
  type ParteEnvio,
  type PartyChanges,
  type PartyStatus,
  type PendingSignature,
  type PendingSignaturesPage,
  type SignatureStatus,
  type SignerUrl,
  type UploadDocumentRequest,
  type UploadTemplateRequest,
} from './schemas';

export interface AssineBemClientOptions {
  /** The part of the URL before `/documento`, e.g. `https://www.assinebem.com.br/api`. */
  baseUrl: string;
  token: string;
  timeouts?: HttpTimeouts;
  now?: () => number;
}

export interface DownloadedDocument {
  bytes: Buffer;
  fileName: string | undefined;
  suffix: string | undefined;
  contentType: string | undefined;
  hash: string | undefined;
  /**
   * Whether the file carries the parties' signatures and Assine Bem's receipt, when the answer says
   * (`assinado` in a JSON answer); undefined when it does not (a raw file).
   */
  signed: boolean | undefined;
}

const PROVIDER = 'assinebem';

export class AssineBemClient {
  private readonly http: ProviderHttp;
  private readonly now: () => number;

  constructor(private readonly options: AssineBemClientOptions) {
    this.http = new ProviderHttp(PROVIDER, options.baseUrl, options.timeouts);
    this.now = options.now ?? Date.now;
  }

  static fromEnv(env: AssineBemEnv & HttpEnv): AssineBemClient {
    return new AssineBemClient({
      baseUrl: env.ASSINEBEM_BASE_URL,
      token: env.ASSINEBEM_TOKEN,
      timeouts: timeoutsFromEnv(env),
    });
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  // --- Documents ------------------------------------------------------------------------------

  /** 1. A single-use UUID to upload one document with. */
  async getUploadIdentifier(): Promise<string> {
    const body = await this.get(
      'getUploadIdentifier',
      '/documento/get_identifier_to_upload',
      identifierResponseSchema,
    );
    return body.identifier;
  }

  /**
   * 2. Uploads a PDF (by `url_arquivo` or base64 `arquivo`) with its parties.
   *
   * Decision: an identifier is single-use. When a retry reuses one whose upload already happened
   * (the answer was lost), the provider answers `status_api` 409 with the document it created;
   * that document is returned, so a retried upload never creates a second document. A 409 for
   * any other document is an error.
   */
  async uploadDocument(request: UploadDocumentRequest): Promise<Documento> {
    const operation = 'uploadDocument';
    const { res, body } = await this.exchange(operation, {
      method: 'POST',
      path: '/documento',
      json: request,
    });
    const replay = documentoRetornoSchema.safeParse(body);
    if (
      replay.success &&
      replay.data.status_api === 409 &&
      replay.data.documento.identificador_documento === request.id_identifier
    )
      return replay.data.documento;
    return this.validate(operation, res, body, documentoRetornoSchema).documento;
  }

  /** 2.1. Adds a party to an existing document. */
  async addPartyToDocument(idExternoDocumento: string, parte: ParteEnvio): Promise<Documento> {
    const body = await this.call(
      'addPartyToDocument',
      {
        method: 'POST',
        path: '/documento/parte/inserir',
        json: { id_externo_documento: idExternoDocumento, parte },
      },
      documentoRetornoSchema,
    );
    return body.documento;
  }

  /** 3. */
  async getDocument(idExterno: string): Promise<Documento> {
    const body = await this.get('getDocument', '/documento', documentoRetornoSchema, {
      id_externo: idExterno,
    });
    return body.documento;
  }

  /**
   * 4. The document's bytes with its file information. `signed: true` sends `assinado=1`: "a última
   * versão do arquivo disponível com as assinaturas das partes e o comprovante"; otherwise the
   * original. Decision: "retorna o binario do documento e informações do arquivo" gives no
   * structure; both readings are taken: a JSON answer with the bytes in base64 (`arquivo`) and the
   * file's information beside them, or the raw file with its information in the headers.
   */
  async downloadDocument(idExterno: string, options: { signed?: boolean } = {}): Promise<DownloadedDocument> {
    const operation = 'downloadDocument';
    const res = await this.http.stream(
      operation,
      this.authorized({
        method: 'GET',
        path: '/documento/download',
        query: { id_externo: idExterno, assinado: options.signed ? 1 : undefined },
      }),
    );
    const contentType = headerValue(res.headers['content-type']);
    let raw: Buffer;
    try {
      raw = Buffer.concat(await res.body.toArray());
    } catch (err) {
      throw this.http.transportError(operation, err);
    }
    if (contentType === undefined || /json|^text\//i.test(contentType)) {
      const answer: HttpResponse = { status: res.status, headers: res.headers, text: raw.toString('utf8') };
      const body = this.http.parse(operation, answer, z.unknown());
      const file = this.validate(operation, answer, body, downloadResponseSchema);
      return {
        bytes: Buffer.from(file.arquivo, 'base64'),
        fileName: file.nome_arquivo ?? undefined,
        suffix: file.sufixo_arquivo ?? undefined,
        contentType: file.tipo_arquivo ?? undefined,
        hash: file.hash_arquivo ?? undefined,
        signed: file.assinado === null || file.assinado === undefined ? undefined : file.assinado === 1,
      };
    }
    return {
      bytes: raw,
      fileName: fileNameOf(headerValue(res.headers['content-disposition'])),
      suffix: undefined,
      contentType,
      hash: undefined,
      signed: undefined,
    };
  }

  /**
   * 5. The document's bytes as a stream (`application/pdf`). The document lists only `id_externo`
   * and does not say which version this is, so the onboarding reads the signed version from call 4.
   */
  async downloadDocumentFile(idExterno: string): Promise<FileDownload> {
    return this.binary('downloadDocumentFile', {
      method: 'GET',
      path: '/documento/download_arquivo',
      query: { id_externo: idExterno },
    });
  }

  /** 6. Invalidates the document: no further signatures. */
  async invalidateDocument(idExterno: string): Promise<void> {
    await this.post('invalidateDocument', '/documento/invalidar', { id_externo: idExterno }, apiStatusSchema);
  }

  // --- Parties --------------------------------------------------------------------------------

  /** 7. */
  async getParty(idExterno: string): Promise<Parte> {
    const body = await this.get('getParty', '/parte', parteRetornoSchema, { id_externo: idExterno });
    return body.parte;
  }

  /** 8. Creates a party with no document. */
  async createParty(parte: ParteEnvio): Promise<Parte> {
    const body = await this.post('createParty', '/parte', parte, parteRetornoSchema);
    return body.parte;
  }

  /** 9. */
  async getPartyStatus(idExterno: string): Promise<PartyStatus> {
    return this.get('getPartyStatus', '/parte/status', partyStatusResponseSchema, { id_externo: idExterno });
  }

  /**
   * 10. Updates a party's basic data; only while its status is 'Não validado' or 'Dados inválidos',
   * and ddd/telefone only together.
   */
  async updateParty(idExterno: string, changes: PartyChanges): Promise<Parte> {
    const body = await this.post(
      'updateParty',
      '/parte/atualizar',
      { ...changes, id_externo: idExterno },
      parteRetornoSchema,
    );
    return body.parte;
  }

  /** 11. Notifies the party (e-mail and SMS) with a new access to its pending documents: the reminder. */
  async notifyPartyNewAccess(idExterno: string): Promise<void> {
    const operation = 'notifyPartyNewAccess';
    const body = await this.call(
      operation,
      { method: 'POST', path: '/parte/novo_acesso', json: { id_externo: idExterno } },
      newAccessResponseSchema,
    );
    if (body.sucesso !== 1) throw notNotifiedError(operation);
  }

  // --- Signatures -----------------------------------------------------------------------------

  /** 12. Whether a party signed a document (`identificador_assinatura` filled). */
  async getSignatureStatus(idExternoParte: string, idExternoDocumento: string): Promise<SignatureStatus> {
    return this.get('getSignatureStatus', '/documento/assinatura/status', signatureStatusResponseSchema, {
      id_externo: idExternoParte,
      id_externo_documento: idExternoDocumento,
    });
  }

  /** 13. One page (50 records at the provider) of pending signatures, from `offset`. */
  async listPendingSignatures(offset = 0): Promise<PendingSignaturesPage> {
    return this.post(
      'listPendingSignatures',
      '/documento/assinatura/pendentes',
      { offset },
      pendingSignaturesResponseSchema,
    );
  }

  /** Every pending signature, page after page (offset advanced by what each page returned). */
  async *allPendingSignatures(): AsyncGenerator<PendingSignature> {
    let offset = 0;
    for (;;) {
      const page = await this.listPendingSignatures(offset);
      yield* page.assinaturas_pendentes;
      if (page.total_retornado <= 0 || page.assinaturas_pendentes.length === 0) return;
      offset += page.total_retornado;
      if (offset >= page.total) return;
    }
  }

  /** 22. The party's URL: to sign (`assinatura: 1`, with an expiring `token`) or to validate its data. */
  async getSignerUrl(idExternoDocumento: string, idExternoParte: string): Promise<SignerUrl> {
    return this.get('getSignerUrl', '/documento/parte/url', signerUrlResponseSchema, {
      id_externo_documento: idExternoDocumento,
      id_externo_parte: idExternoParte,
    });
  }

  // --- Templates ------------------------------------------------------------------------------

  /** 14. */
  async listTemplates(): Promise<ModeloResumo[]> {
    const body = await this.get('listTemplates', '/modelo/obter_modelos', templatesResponseSchema);
    return body.modelos;
  }

  /** 15. Same path as the list, with the template's id. */
  async getTemplate(idExterno: number): Promise<Modelo> {
    const body = await this.get('getTemplate', '/modelo/obter_modelos', templateResponseSchema, {
      id_externo: idExterno,
    });
    const { status_api: _status, mensagem: _message, ...modelo } = body;
    return modelo;
  }

  /**
   * 16. Asks for signatures on a template, its fields filled.
   * Decision: the document gives no answer for this call; it is a document to sign, so the answer
   * is a DocumentoRetorno like the upload's.
   */
  async uploadTemplate(request: UploadTemplateRequest): Promise<Documento> {
    const body = await this.post('uploadTemplate', '/modelo', request, documentoRetornoSchema);
    return body.documento;
  }

  // --- Attachments ----------------------------------------------------------------------------

  /** 17. The attachments asked of the document's signers (of one party when given). */
  async listAttachments(idExternoDocumento: string, idExternoParte?: string): Promise<AttachmentsList> {
    return this.get('listAttachments', '/documento/anexos', attachmentsResponseSchema, {
      id_externo: idExternoDocumento,
      id_externo_parte: idExternoParte,
    });
  }

  /** 18. An attachment's bytes as a stream (png, jpg, jpeg or pdf). */
  async downloadAttachment(idExternoDocumento: string, idDownload: number): Promise<FileDownload> {
    return this.binary('downloadAttachment', {
      method: 'GET',
      path: '/documento/anexos/download',
      query: { id_externo: idExternoDocumento, id_download: idDownload },
    });
  }

  /** 19. Pending → approved: the attachment joins the final signed file. */
  async approveAttachment(request: AttachmentRequest): Promise<void> {
    await this.post('approveAttachment', '/documento/anexos/aprovado', request, apiStatusSchema);
  }

  /** 20. Pending → invalid; with `resend`, the signer is asked to send it again. */
  async invalidateAttachment(request: AttachmentRequest & { resend: boolean }): Promise<{ resent: boolean }> {
    const { resend, ...rest } = request;
    const body = await this.call(
      'invalidateAttachment',
      {
        method: 'POST',
        path: '/documento/anexos/invalidar',
        json: { ...rest, reenviar: resend ? 1 : 2 },
      },
      invalidateAttachmentResponseSchema,
    );
    return { resent: body.reenviado === 1 };
  }

  // --- Account --------------------------------------------------------------------------------

  /** 21. */
  async listCostCentres(): Promise<CentroCusto[]> {
    const body = await this.get('listCostCentres', '/documento/centro_custo', costCentresResponseSchema);
    return body.centros_custo;
  }

  // --- Plumbing -------------------------------------------------------------------------------

  private authorized(req: HttpRequest): HttpRequest {
    return { ...req, headers: { ...req.headers, authorization: `Bearer ${this.options.token}` } };
  }

  /** Sends, classifies HTTP errors, and reads the JSON body. */
  private async exchange(operation: string, req: HttpRequest): Promise<{ res: HttpResponse; body: unknown }> {
    const res = await this.http.send(operation, this.authorized(req));
    this.http.throwIfError(operation, res);
    return { res, body: this.http.parse(operation, res, z.unknown()) };
  }

  /** In-body errors first (an error answer has none of the success fields), then the schema. */
  private validate<S extends z.ZodType>(
    operation: string,
    res: HttpResponse,
    body: unknown,
    schema: S,
  ): z.infer<S> {
    this.throwIfApiError(operation, res, body);
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw ContractError.fromZod(PROVIDER, operation, res.status, parsed.error);
    return parsed.data;
  }

  /** A documented POST of `json`, its answer read with `schema`. */
  private post<S extends z.ZodType>(
    operation: string,
    path: string,
    json: unknown,
    schema: S,
  ): Promise<z.infer<S>> {
    return this.call(operation, { method: 'POST', path, json }, schema);
  }

  /** A documented GET, its answer read with `schema`. */
  private get<S extends z.ZodType>(
    operation: string,
    path: string,
    schema: S,
    query?: HttpRequest['query'],
  ): Promise<z.infer<S>> {
    return this.call(operation, { method: 'GET', path, ...(query ? { query } : {}) }, schema);
  }

  private async call<S extends z.ZodType>(
    operation: string,
    req: HttpRequest,
    schema: S,
  ): Promise<z.infer<S>> {
    const { res, body } = await this.exchange(operation, req);
    return this.validate(operation, res, body, schema);
  }

  private throwIfApiError(operation: string, res: HttpResponse, body: unknown): void {
    if (body === null || typeof body !== 'object') return;
    const status = apiStatusSchema.safeParse(body);
    if (!status.success) throw ContractError.fromZod(PROVIDER, operation, res.status, status.error);
    if (status.data.status_api === undefined) return;
    const error = apiStatusError(
      operation,
      status.data.status_api,
      status.data.mensagem,
      parseRetryAfter(res.headers['retry-after'], this.now()),
    );
    if (error) throw error;
  }

  /** A binary answer; a JSON answer in its place carries an error (or breaks the contract). */
  private async binary(operation: string, req: HttpRequest): Promise<FileDownload> {
    const res = await this.http.stream(operation, this.authorized(req));
    const contentType = headerValue(res.headers['content-type']) ?? 'application/octet-stream';
    if (/json|^text\//i.test(contentType)) {
      let text: string;
      try {
        text = await readText(res.body);
      } catch (err) {
        throw this.http.transportError(operation, err);
      }
      const answer: HttpResponse = { status: res.status, headers: res.headers, text };
      const body = this.http.parse(operation, answer, z.unknown());
      this.throwIfApiError(operation, answer, body);
      throw new ContractError(PROVIDER, operation, res.status, [
        { path: '', message: `expected a file, got ${contentType.split(';')[0]}` },
      ]);
    }
    return fileDownload(res.headers, contentType, res.body);
  }
}

async function readText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks).toString('utf8');
}
