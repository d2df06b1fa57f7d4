/**
 * ClearSale Data Trust over HTTP: identity check transactions, SMS token validation, searches and
 * the SMS configuration, each call authenticated with a cached Bearer token.
 *
 * Errors: `ProviderError` (classified by status, 401 after one token refresh), `ContractError` for
 * answers that break the contract, `DataTrustRequestError` (a `ContractError`) for requests refused
 * before sending. This client never retries by itself: the activity layer decides that.
 */
import { z } from 'zod';
import { timeoutsFromEnv, type HttpEnv } from '../env';
import type { DataTrustEnv } from './config';
import { ProviderError } from '../errors';
import {
  ProviderHttp,
  defaultTimeouts,
  type ErrorBodyReader,
  type HttpRequest,
  type HttpResponse,
  type HttpTimeouts,
} from '../http';
import { TokenCache, type IssuedToken } from '../token-cache';
import { parseRequest } from './request-error';
import {
  authenticationResponseSchema,
  entityConfigurationSchema,
  formatSearchFields,
  idsListResultSchema,
  resultsSchema,
  searchByIdsRequestSchema,
  searchByParameterRequestSchema,
  searchByPeriodRequestSchema,
  searchByUserRequestSchema,
  searchPageSchema,
  sendTransactionRequestSchema,
  smsConfigurationRequestSchema,
  smsConfigurationSchema,
  smsTokenSchema,
  smsTypeIdSchema,
  tokenValidationSchema,
  transactionSchema,
  type EntityConfiguration,
  type SearchByIdsRequest,
  type SearchByParameterRequest,
  type SearchByPeriodRequest,
  type SearchByUserRequest,
  type SearchFields,
  type SearchPage,
  type SearchedTransaction,
  type SendTransactionRequest,
  type SmsConfiguration,
  type SmsConfigurationRequest,
  type SmsTypeId,
  type TokenValidation,
  type Transaction,
  type TransactionResults,
} from './schemas';

export interface DataTrustClientOptions {
  /** The part of the URL before `/products`, e.g. `https://api.clearsale.com.br`. */
  baseUrl: string;
  username: string;
  password: string;
  timeouts?: HttpTimeouts;
  now?: () => number;
  /**
   * Refresh the token this long before the expiry Data Trust announced. Default 0: the document
   * asks for a new token only once the current one expires (a token that dies in flight is
   * answered 401 and refreshed once).
   */
  tokenRefreshSkewMs?: number;
}

const API = '/products/v1';
const transactionIdSchema = z.string().trim().min(1);

/**
 * Data Trust error bodies: `{ "message": "..." }` (authentication), ASP.NET model state
 * `{ "Field": ["problem"] }` (invalid parameters) or a bare JSON string (SMS configuration).
 */
export const readDataTrustError: ErrorBodyReader = (body) => {
  if (typeof body === 'string') return { message: body };
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
  const b = body as Record<string, unknown>;
  if (typeof b['message'] === 'string') return { message: b['message'] };
  const problems = Object.entries(b)
    .filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]))
    .map(([field, messages]) => `${field}: ${messages.map(String).join(' ')}`);
  return problems.length > 0 ? { message: problems.join('; ') } : {};
};

const isUnauthorized = (err: unknown): boolean => err instanceof ProviderError && err.status === 401;

export class DataTrustClient {
  private readonly http: ProviderHttp;
  private readonly tokens: TokenCache;

  constructor(private readonly options: DataTrustClientOptions) {
    this.http = new ProviderHttp(
      'datatrust',
      options.baseUrl,
      options.timeouts ?? defaultTimeouts,
      readDataTrustError,
    );
    const now = options.now ?? Date.now;
    // Docs: "Só gere um novo token após a expiração do seu token atual": no early refresh by
    // default; a token the provider already dropped is answered 401 and refreshed once.
    this.tokens = new TokenCache(
      'datatrust',
      () => this.authenticate(now),
      options.tokenRefreshSkewMs ?? 0,
      now,
    );
  }

  static fromEnv(
    env: DataTrustEnv & HttpEnv,
    overrides: Partial<DataTrustClientOptions> = {},
  ): DataTrustClient {
    return new DataTrustClient({
      baseUrl: env.DATATRUST_BASE_URL,
      username: env.DATATRUST_USERNAME,
      password: env.DATATRUST_PASSWORD,
      timeouts: timeoutsFromEnv(env),
      ...overrides,
    });
  }

  /** How many tokens this client has fetched (for tests and metrics; never the tokens). */
  get tokenFetches(): number {
    return this.tokens.fetches;
  }

  /** POST /products/v1/datatrust: creates a transaction (and sends the SMS token with SendOption [1]). */
  async sendTransaction(request: SendTransactionRequest): Promise<Transaction> {
    const body = parseRequest('sendTransaction', sendTransactionRequestSchema, request);
    return this.authorized(
      'sendTransaction',
      { method: 'POST', path: `${API}/datatrust`, json: body },
      transactionSchema,
    );
  }

  /** GET /products/v1/datatrust/{id}; undefined when Data Trust has no such transaction (204). */
  async getTransaction(transactionId: string): Promise<Transaction | undefined> {
    const id = parseRequest('getTransaction', transactionIdSchema, transactionId);
    return this.authorizedOrNoContent(
      'getTransaction',
      { method: 'GET', path: `${API}/datatrust/${encodeURIComponent(id)}` },
      transactionSchema,
    );
  }

  /** GET /products/v1/datatrust/{id}/result; undefined when there is no result (204). */
  async getResult(transactionId: string): Promise<TransactionResults | undefined> {
    const id = parseRequest('getResult', transactionIdSchema, transactionId);
    return this.authorizedOrNoContent(
      'getResult',
      { method: 'GET', path: `${API}/datatrust/${encodeURIComponent(id)}/result` },
      resultsSchema,
    );
  }

  /** GET /products/v1/datatrust/search: transactions by document, phone, e-mail or zip code. */
  async searchByParameter(request: SearchByParameterRequest): Promise<SearchPage> {
    const r = parseRequest('searchByParameter', searchByParameterRequestSchema, request);
    return this.searchPage('searchByParameter', `${API}/datatrust/search`, r, {
      parameter: r.parameter,
      value: r.value,
    });
  }

  /** GET /products/v1/datatrust/search/user: transactions created by one API user. */
  async searchByUser(request: SearchByUserRequest): Promise<SearchPage> {
    const r = parseRequest('searchByUser', searchByUserRequestSchema, request);
    return this.searchPage('searchByUser', `${API}/datatrust/search/user`, r, { userId: r.userId });
  }

  /** GET /products/v1/datatrust/search/period: transactions created between two dates (yyyy-MM-dd). */
  async searchByPeriod(request: SearchByPeriodRequest): Promise<SearchPage> {
    const r = parseRequest('searchByPeriod', searchByPeriodRequestSchema, request);
    return this.searchPage('searchByPeriod', `${API}/datatrust/search/period`, r, {
      startDate: r.startDate,
      endDate: r.endDate,
    });
  }

  /** GET /products/v1/datatrust/search/list: up to 50 transactions by id; unknown ids are left out. */
  async searchByIds(request: SearchByIdsRequest): Promise<SearchedTransaction[]> {
    const r = parseRequest('searchByIds', searchByIdsRequestSchema, request);
    const found = await this.authorizedOrNoContent(
      'searchByIds',
      {
        method: 'GET',
        path: `${API}/datatrust/search/list`,
        query: { idsList: r.idsList.join(','), fields: r.fields && formatSearchFields(r.fields) },
      },
      idsListResultSchema,
    );
    return found?.Transactions ?? [];
  }

  /**
   * The newest transaction of `document` whose `AdditionalInformation.Transaction` is `reference`:
   * the lookup that lets a retried create find what a dropped answer already created. Built on
   * `searchByParameter`, one page of 50 at a time.
   */
  async findTransactionByReference(
    document: string,
    reference: string,
  ): Promise<SearchedTransaction | undefined> {
    let match: SearchedTransaction | undefined;
    for (let page = 1; ; page++) {
      const result = await this.searchByParameter({
        parameter: 'document',
        value: document,
        page,
        limit: 50,
      });
      for (const t of result.Transactions) if (t.AdditionalInformation?.Transaction === reference) match = t;
      if (page >= result.totalPages || result.Transactions.length === 0) return match;
    }
  }

  /** POST /products/v1/datatrust/{id}/validate?token=: checks the SMS token the applicant typed. */
  async validateSmsToken(transactionId: string, token: string): Promise<TokenValidation> {
    const id = parseRequest('validateSmsToken', transactionIdSchema, transactionId);
    const smsToken = parseRequest('validateSmsToken', smsTokenSchema, token);
    return this.authorized(
      'validateSmsToken',
      {
        method: 'POST',
        path: `${API}/datatrust/${encodeURIComponent(id)}/validate`,
        query: { token: smsToken },
      },
      tokenValidationSchema,
    );
  }

  /** GET /products/v1/datatrust/configuration/sms; undefined when that SMS type is not configured (204). */
  async getSmsConfiguration(smsTypeId: SmsTypeId = 2): Promise<SmsConfiguration | undefined> {
    const type = parseRequest('getSmsConfiguration', smsTypeIdSchema, smsTypeId);
    return this.authorizedOrNoContent(
      'getSmsConfiguration',
      { method: 'GET', path: `${API}/datatrust/configuration/sms`, query: { smsTypeId: type } },
      smsConfigurationSchema,
    );
  }

  /** POST /products/v1/datatrust/configuration/sms: the SMS text (at most 160 characters) of one SMS type. */
  async setSmsConfiguration(configuration: SmsConfigurationRequest): Promise<void> {
    const body = parseRequest('setSmsConfiguration', smsConfigurationRequestSchema, configuration);
    await this.authorizedSend('setSmsConfiguration', {
      method: 'POST',
      path: `${API}/datatrust/configuration/sms`,
      json: body,
    });
  }

  /** GET /products/v1/datatrust/configuration/entity; undefined when never configured (204). */
  async getConditionalSmsSending(): Promise<EntityConfiguration | undefined> {
    return this.authorizedOrNoContent(
      'getConditionalSmsSending',
      { method: 'GET', path: `${API}/datatrust/configuration/entity` },
      entityConfigurationSchema,
    );
  }

  /** POST /products/v1/datatrust/configuration/entity: whether SMS is skipped when the phone is the HotPhone. */
  async setConditionalSmsSending(enabled: boolean): Promise<void> {
    const value = parseRequest('setConditionalSmsSending', z.boolean(), enabled);
    await this.authorizedSend('setConditionalSmsSending', {
      method: 'POST',
      path: `${API}/datatrust/configuration/entity`,
      query: { conditionalSmsSending: value },
    });
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  private async authenticate(now: () => number): Promise<IssuedToken> {
    const requestedAt = now();
    const answer = await this.http.json(
      'authenticate',
      {
        method: 'POST',
        path: `${API}/authentication`,
        json: { Username: this.options.username, Password: this.options.password },
      },
      authenticationResponseSchema,
    );
    // Counted from before the request: the token cannot live longer than that.
    return { token: answer.token, expiresAt: requestedAt + answer.expiresInSeconds * 1000 };
  }

  private withAuthorization(req: HttpRequest, token: string): HttpRequest {
    return { ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } };
  }

  /** Sends with the cached token; a 401 refreshes it once and sends again. */
  private authorizedSend(operation: string, req: HttpRequest): Promise<HttpResponse> {
    return this.tokens.withToken(async (token) => {
      const res = await this.http.send(operation, this.withAuthorization(req, token));
      this.http.throwIfError(operation, res);
      return res;
    }, isUnauthorized);
  }

  private async authorized<S extends z.ZodType>(
    operation: string,
    req: HttpRequest,
    schema: S,
  ): Promise<z.infer<S>> {
    const res = await this.authorizedSend(operation, req);
    return this.http.parse(operation, res, schema);
  }

  /** Like `authorized`, with Data Trust's "204 No Content" (nothing found) as undefined. */
  private async authorizedOrNoContent<S extends z.ZodType>(
    operation: string,
    req: HttpRequest,
    schema: S,
  ): Promise<z.infer<S> | undefined> {
    const res = await this.authorizedSend(operation, req);
    if (res.status === 204) return undefined;
    return this.http.parse(operation, res, schema);
  }

  private async searchPage(
    operation: string,
    path: string,
    paging: { page: number; limit?: number | undefined; fields?: SearchFields | undefined },
    filter: Record<string, string | number>,
  ): Promise<SearchPage> {
    const page = await this.authorizedOrNoContent(
      operation,
      {
        method: 'GET',
        path,
        query: {
          ...filter,
          fields: paging.fields && formatSearchFields(paging.fields),
          limit: paging.limit,
          page: paging.page,
        },
      },
      searchPageSchema,
    );
    return page ?? { location: paging.page, totalPages: 0, totalTransactions: 0, Transactions: [] };
  }
}
