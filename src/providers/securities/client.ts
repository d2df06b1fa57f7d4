/**
 * Clicksign Securities client. A static bearer token issued per organisation (it does not expire on
 * a schedule, so a 401 is final: there is nothing to refresh). Every answer is validated.
 */
import type { Readable } from 'node:stream';
import { request } from 'undici';
import { timeoutsFromEnv, type HttpEnv } from '../env';
import type { SecuritiesEnv } from './config';
import { ContractError, ProviderError, RequestContractError, requestParser } from '../errors';
import { multipartBody } from '../multipart';
import {
  ProviderHttp,
  defaultTimeouts,
  recordAnswer,
  type ErrorBodyReader,
  type HttpTimeouts,
} from '../http';
import {
  bankCreditNotePageSchema,
  bankCreditNoteResponseSchema,
  createBankCreditNoteFieldsSchema,
  createListSchema,
  createProposalSchema,
  createSignerSchema,
  documentResponseSchema,
  errorBodySchema,
  listPageSchema,
  listResponseSchema,
  proposalPageSchema,
  proposalResponseSchema,
  signerPageSchema,
  signerResponseSchema,
  type BankCreditNote,
  type CreateBankCreditNoteFields,
  type CreateList,
  type CreateProposal,
  type CreateSigner,
  type Proposal,
  type SecuritiesDocument,
  type Signer,
  type SignerList,
} from './schemas';

export interface SecuritiesClientOptions {
  /** The part of the URL before `/v1`, e.g. `https://app.securities.com.br/api`. */
  baseUrl: string;
  token: string;
  timeouts?: HttpTimeouts;
}

/** The PDF of a CCB signed elsewhere: a stream (preferred, never buffered twice) or bytes. */
export interface SignedFile {
  body: Readable | Buffer;
  filename: string;
  contentType?: string;
  /** When known, the upload carries a Content-Length; otherwise it is sent chunked. */
  contentLength?: number | undefined;
}

/** Validates a request before it is sent: a request that breaks the contract is a RequestContractError. */
const checked = requestParser(
  (operation, issues) => new RequestContractError('securities', operation, issues),
);

export const readSecuritiesError: ErrorBodyReader = (body) => {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return {};
  const { errors, message, error } = parsed.data;
  // Field names only: Securities echoes values in its messages, and values may be personal data.
  if (errors !== undefined && !Array.isArray(errors)) {
    return { message: `invalid fields: ${Object.keys(errors).join(', ')}` };
  }
  return { message: message ?? error ?? errors?.join('; ') };
};

export class SecuritiesClient {
  private readonly http: ProviderHttp;
  private readonly auth: Record<string, string>;

  constructor(options: SecuritiesClientOptions) {
    this.http = new ProviderHttp(
      'securities',
      options.baseUrl,
      options.timeouts ?? defaultTimeouts,
      readSecuritiesError,
    );
    this.auth = { authorization: `Bearer ${options.token}` };
  }

  static fromEnv(env: SecuritiesEnv & HttpEnv): SecuritiesClient {
    return new SecuritiesClient({
      baseUrl: env.SECURITIES_BASE_URL,
      token: env.SECURITIES_TOKEN,
      timeouts: timeoutsFromEnv(env),
    });
  }

  private get<S extends Parameters<ProviderHttp['json']>[2]>(
    operation: string,
    path: string,
    schema: S,
    query = {},
  ) {
    return this.http.json(operation, { method: 'GET', path, query, headers: this.auth }, schema);
  }

  /** A lookup: 404 means "there is none", not an error. */
  private async find<S extends Parameters<ProviderHttp['json']>[2]>(
    operation: string,
    path: string,
    schema: S,
  ) {
    const res = await this.http.send(operation, { method: 'GET', path, headers: this.auth });
    if (res.status === 404) return undefined;
    this.http.throwIfError(operation, res);
    return this.http.parse(operation, res, schema);
  }

  private post<S extends Parameters<ProviderHttp['json']>[2]>(
    operation: string,
    path: string,
    json: unknown,
    schema: S,
  ) {
    return this.http.json(operation, { method: 'POST', path, json, headers: this.auth }, schema);
  }

  // Proposals ----------------------------------------------------------------------------------

  listProposals(page = 1) {
    return this.get('listProposals', '/v1/proposals', proposalPageSchema, { page });
  }

  async getProposal(id: string): Promise<Proposal> {
    return (await this.get('getProposal', `/v1/proposals/${encodeURIComponent(id)}`, proposalResponseSchema))
      .proposal;
  }

  /** The proposal with this number, or undefined: the lookup before a create. */
  async getProposalByNumber(number: string): Promise<Proposal | undefined> {
    const path = `/v1/proposals/bynumber/${encodeURIComponent(number)}`;
    return (await this.find('getProposalByNumber', path, proposalResponseSchema))?.proposal;
  }

  async createProposal(proposal: CreateProposal): Promise<Proposal> {
    const body = { proposal: checked('createProposal', createProposalSchema, proposal) };
    return (await this.post('createProposal', '/v1/proposals', body, proposalResponseSchema)).proposal;
  }

  // Signers ------------------------------------------------------------------------------------

  async createSigner(signer: CreateSigner): Promise<Signer> {
    const body = { signer: checked('createSigner', createSignerSchema, signer) };
    return (await this.post('createSigner', '/v1/signers', body, signerResponseSchema)).signer;
  }

  /** A signer bound to a document: the answer's `lists` holds the link that tracks `signed`. */
  async createDocumentSigner(documentId: string, signer: CreateSigner): Promise<Signer> {
    const body = { signer: checked('createDocumentSigner', createSignerSchema, signer) };
    const path = `/v1/documents/${encodeURIComponent(documentId)}/signers`;
    return (await this.post('createDocumentSigner', path, body, signerResponseSchema)).signer;
  }

  async getSigner(id: string): Promise<Signer> {
    return (await this.get('getSigner', `/v1/signers/${encodeURIComponent(id)}`, signerResponseSchema))
      .signer;
  }

  async getSignerByKey(key: string): Promise<Signer> {
    const path = `/v1/signers/bykey/${encodeURIComponent(key)}`;
    return (await this.get('getSignerByKey', path, signerResponseSchema)).signer;
  }

  listSigners(page = 1) {
    return this.get('listSigners', '/v1/signers', signerPageSchema, { page });
  }

  listDocumentSigners(documentId: string, page = 1) {
    const path = `/v1/documents/${encodeURIComponent(documentId)}/signers`;
    return this.get('listDocumentSigners', path, signerPageSchema, { page });
  }

  async getDocumentSigner(documentId: string, id: string): Promise<Signer> {
    const path = `/v1/documents/${encodeURIComponent(documentId)}/signers/${encodeURIComponent(id)}`;
    return (await this.get('getDocumentSigner', path, signerResponseSchema)).signer;
  }

  async getDocumentSignerByKey(documentId: string, key: string): Promise<Signer> {
    const path = `/v1/documents/${encodeURIComponent(documentId)}/signers/bykey/${encodeURIComponent(key)}`;
    return (await this.get('getDocumentSignerByKey', path, signerResponseSchema)).signer;
  }

  // Lists --------------------------------------------------------------------------------------

  async createList(list: CreateList): Promise<SignerList> {
    const body = { list: checked('createList', createListSchema, list) };
    return (await this.post('createList', '/v1/lists', body, listResponseSchema)).list;
  }

  async getList(id: string): Promise<SignerList> {
    return (await this.get('getList', `/v1/lists/${encodeURIComponent(id)}`, listResponseSchema)).list;
  }

  listLists(page = 1) {
    return this.get('listLists', '/v1/lists', listPageSchema, { page });
  }

  // Documents ----------------------------------------------------------------------------------

  async getDocumentByKey(key: string): Promise<SecuritiesDocument> {
    const path = `/v1/documents/bykey/${encodeURIComponent(key)}`;
    return (await this.get('getDocumentByKey', path, documentResponseSchema)).document;
  }

  /** The document with this key, or undefined (404): a lookup. */
  async findDocumentByKey(key: string): Promise<SecuritiesDocument | undefined> {
    const path = `/v1/documents/bykey/${encodeURIComponent(key)}`;
    return (await this.find('getDocumentByKey', path, documentResponseSchema))?.document;
  }

  /**
   * A document's file, streamed from its `file.url`. The URL is absolute and usually points at
   * storage outside the API (a pre-signed link), so the API token is not sent with it.
   */
  async downloadFile(url: string): Promise<{ body: Readable; contentType: string; contentLength?: number }> {
    const operation = 'downloadFile';
    if (!URL.canParse(url)) {
      throw new ContractError('securities', operation, 0, [{ path: 'file.url', message: 'is not a URL' }]);
    }
    // The span ends when the file starts to arrive: the caller streams the body on.
    return this.http.traced(operation, 'GET', async (span) => {
      let res;
      try {
        res = await request(url, {
          method: 'GET',
          dispatcher: this.http.agent,
          signal: AbortSignal.timeout(defaultTimeouts.totalMs),
        });
      } catch (err) {
        throw this.http.transportError(operation, err);
      }
      recordAnswer(span, res.statusCode);
      if (res.statusCode >= 300) {
        await res.body.dump();
        throw new ProviderError({
          provider: 'securities',
          operation,
          kind: 'http',
          status: res.statusCode,
          retryable: res.statusCode === 429 || res.statusCode >= 500,
        });
      }
      const length = Number(res.headers['content-length']);
      return {
        body: res.body,
        contentType: String(res.headers['content-type'] ?? 'application/pdf'),
        ...(Number.isFinite(length) && length > 0 ? { contentLength: length } : {}),
      };
    });
  }

  // Bank credit notes --------------------------------------------------------------------------

  listBankCreditNotes(options: { number?: string; page?: number } = {}) {
    return this.get('listBankCreditNotes', '/v1/bank_credit_notes', bankCreditNotePageSchema, {
      number: options.number,
      page: options.page ?? 1,
    });
  }

  async getBankCreditNote(id: string): Promise<BankCreditNote> {
    const path = `/v1/bank_credit_notes/${encodeURIComponent(id)}`;
    return (await this.get('getBankCreditNote', path, bankCreditNoteResponseSchema)).bank_credit_note;
  }

  /** The CCB with this number, or undefined: the lookup before a create. */
  async getBankCreditNoteByNumber(number: string): Promise<BankCreditNote | undefined> {
    const path = `/v1/bank_credit_notes/bynumber/${encodeURIComponent(number)}`;
    return (await this.find('getBankCreditNoteByNumber', path, bankCreditNoteResponseSchema))
      ?.bank_credit_note;
  }

  /**
   * Registers a CCB signed outside Clicksign (multipart/form-data). The file is streamed through
   * (with a Content-Length when its length is known, chunked otherwise), never held in memory.
   */
  async createBankCreditNote(fields: CreateBankCreditNoteFields, file: SignedFile): Promise<BankCreditNote> {
    const valid = checked('createBankCreditNote', createBankCreditNoteFieldsSchema, fields);
    const stream = multipartBody(
      {
        signed: String(valid.signed),
        signature_provider: valid.signature_provider,
        number: valid.number,
        issuer_full_name: valid.issuer_full_name,
        issuer_document: valid.issuer_document,
        installments: String(valid.installments),
        document_data: JSON.stringify(valid.document_data),
      },
      [
        {
          name: 'file',
          filename: file.filename,
          contentType: file.contentType ?? 'application/pdf',
          body: file.body,
          length: file.contentLength,
        },
      ],
    );
    const res = await this.http.json(
      'createBankCreditNote',
      { method: 'POST', path: '/v1/bank_credit_notes', stream, headers: this.auth },
      bankCreditNoteResponseSchema,
    );
    return res.bank_credit_note;
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}
