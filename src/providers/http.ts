/**
 * HTTP to a provider: one undici Agent per provider (keep-alive, connect/headers/body timeouts and a
 * total deadline per request), error classification, and zod validation of every answer.
 *
 * Clients call `json` (answer parsed with a schema), `send` (raw answer, any status) or `stream`
 * (binary body for documents). Authentication and in-body error codes are the clients' business.
 *
 * Each call is a span when the process traces (docs/tracing.md): the provider, the operation, the
 * method and the status, never the URL, a header or a body (they hold ids and personal data). With
 * no tracer registered, the spans are no-ops.
 */
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { Agent, FormData, request, type Dispatcher } from 'undici';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import {
  ContractError,
  ProviderError,
  isRetryableStatus,
  parseRetryAfter,
  type ProviderName,
} from './errors';

export interface HttpTimeouts {
  connectMs: number;
  headersMs: number;
  bodyMs: number;
  /** Deadline for the whole request, body included. */
  totalMs: number;
}

export const defaultTimeouts: HttpTimeouts = {
  connectMs: 5_000,
  headersMs: 30_000,
  bodyMs: 60_000,
  totalMs: 90_000,
};

export type QueryValue = string | number | boolean | undefined | null;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Appended to the base URL; must start with `/`. */
  path: string;
  query?: Record<string, QueryValue | QueryValue[]>;
  headers?: Record<string, string>;
  json?: unknown;
  form?: FormData;
  /** A streamed body (see multipart.ts), sent as it is read. */
  stream?: { body: Readable; contentType: string; contentLength?: number | undefined };
  /** `application/x-www-form-urlencoded` body. */
  urlencoded?: Record<string, string>;
  /** Statuses that are an answer, not an error (for example 404 on a lookup). Default: 2xx. */
  accept?: number[];
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface StreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

/** Reads the provider's own error code and message out of an error body, when it has them. */
export type ErrorBodyReader = (body: unknown) => { code?: string | undefined; message?: string | undefined };

const defaultErrorBodyReader: ErrorBodyReader = (body) => {
  if (body === null || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  const code = b['code'] ?? b['codigo'] ?? b['status_api'] ?? b['error_code'];
  let message = b['message'] ?? b['mensaje'] ?? b['mensagem'] ?? b['error'];
  if (message === undefined && Array.isArray(b['errors']))
    message = (b['errors'] as unknown[]).map(String).join('; ');
  if (message !== undefined && typeof message !== 'string') message = JSON.stringify(message);
  return {
    code: code === undefined || code === null ? undefined : String(code),
    message: message as string | undefined,
  };
};

const tracer = trace.getTracer('credit-onboarding-providers');

export class ProviderHttp {
  readonly agent: Agent;
  private readonly baseUrl: string;

  constructor(
    readonly provider: ProviderName,
    baseUrl: string,
    private readonly timeouts: HttpTimeouts = defaultTimeouts,
    private readonly readErrorBody: ErrorBodyReader = defaultErrorBodyReader,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.agent = new Agent({
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      connections: 32,
      connect: { timeout: timeouts.connectMs },
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyMs,
    });
  }

  url(path: string, query?: HttpRequest['query']): string {
    const u = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) {
      const values = Array.isArray(v) ? v : [v];
      for (const item of values)
        if (item !== undefined && item !== null) u.searchParams.append(k, String(item));
    }
    return u.toString();
  }

  private async dispatch(operation: string, req: HttpRequest): Promise<Dispatcher.ResponseData> {
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: string | FormData | Readable | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.urlencoded !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.urlencoded).toString();
    } else if (req.form !== undefined) {
      body = req.form;
    } else if (req.stream !== undefined) {
      headers['content-type'] = req.stream.contentType;
      if (req.stream.contentLength !== undefined)
        headers['content-length'] = String(req.stream.contentLength);
      body = req.stream.body;
    }
    try {
      return await request(this.url(req.path, req.query), {
        method: req.method,
        headers,
        body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.timeouts.totalMs),
      });
    } catch (err) {
      throw this.transportError(operation, err);
    }
  }

  /** Any answer, as text; transport failures become retryable `ProviderError`s. */
  async send(operation: string, req: HttpRequest): Promise<HttpResponse> {
    return this.traced(operation, req.method, async (span) => {
      const res = await this.dispatch(operation, req);
      recordAnswer(span, res.statusCode, req.accept);
      let text: string;
      try {
        text = await res.body.text();
      } catch (err) {
        throw this.transportError(operation, err);
      }
      return { status: res.statusCode, headers: res.headers, text };
    });
  }

  /**
   * `call` in a span of this provider's `operation`; a thrown error marks it failed, by its class
   * only (`error.type`).
   * For the clients' own requests too (files downloaded from absolute URLs).
   */
  traced<T>(operation: string, method: HttpRequest['method'], call: (span: Span) => Promise<T>): Promise<T> {
    return tracer.startActiveSpan(
      `${this.provider} ${operation}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'provider.name': this.provider,
          'provider.operation': operation,
          'http.request.method': method,
        },
      },
      async (span) => {
        try {
          return await call(span);
        } catch (err) {
          span.setAttribute('error.type', err instanceof Error ? err.name : 'Error');
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw err;
        } finally {
          span.end();
        }
      },
    );
  }

  /** A JSON answer parsed with `schema`; an error status becomes a classified `ProviderError`. */
  async json<S extends z.ZodType>(operation: string, req: HttpRequest, schema: S): Promise<z.infer<S>> {
    const res = await this.send(operation, req);
    this.throwIfError(operation, res, req.accept);
    return this.parse(operation, res, schema);
  }

  /** Validates an already received answer. */
  parse<S extends z.ZodType>(operation: string, res: HttpResponse, schema: S): z.infer<S> {
    let body: unknown;
    try {
      body = res.text === '' ? undefined : JSON.parse(res.text);
    } catch {
      throw new ContractError(this.provider, operation, res.status, [
        { path: '', message: 'body is not JSON' },
      ]);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw ContractError.fromZod(this.provider, operation, res.status, parsed.error);
    return parsed.data;
  }

  /** Throws the classified error for a non-accepted status. */
  throwIfError(operation: string, res: HttpResponse, accept?: number[]): void {
    const ok = accept
      ? accept.includes(res.status) || (res.status >= 200 && res.status < 300)
      : res.status < 300;
    if (ok && res.status >= 200) return;
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      body = undefined;
    }
    const { code, message } = this.readErrorBody(body);
    throw new ProviderError({
      provider: this.provider,
      operation,
      kind: 'http',
      status: res.status,
      providerCode: code,
      providerMessage: message,
      retryable: isRetryableStatus(res.status),
      retryAfterMs: parseRetryAfter(res.headers['retry-after']),
    });
  }

  /** A binary answer as a stream, for documents that must not be buffered into memory twice. */
  async stream(operation: string, req: HttpRequest): Promise<StreamResponse> {
    // The span ends when the answer starts: the body's time is the caller's (it streams it on).
    return this.traced(operation, req.method, async (span) => {
      const res = await this.dispatch(operation, { ...req, headers: { accept: '*/*', ...req.headers } });
      recordAnswer(span, res.statusCode, req.accept);
      if (res.statusCode >= 300) {
        const text = await res.body.text().catch(() => '');
        this.throwIfError(operation, { status: res.statusCode, headers: res.headers, text });
      }
      return { status: res.statusCode, headers: res.headers, body: res.body };
    });
  }

  transportError(operation: string, err: unknown): ProviderError {
    if (err instanceof ProviderError) return err;
    const rawCode = (err as { code?: unknown } | null)?.code;
    // The total deadline aborts with a DOMException, whose `code` is a number.
    const code = typeof rawCode === 'string' ? rawCode : undefined;
    const name = (err as { name?: string } | null)?.name;
    const timeout =
      name === 'TimeoutError' ||
      code === 'UND_ERR_CONNECT_TIMEOUT' ||
      code === 'UND_ERR_HEADERS_TIMEOUT' ||
      code === 'UND_ERR_BODY_TIMEOUT';
    return new ProviderError(
      {
        provider: this.provider,
        operation,
        kind: timeout ? 'timeout' : 'network',
        providerMessage: code ?? name,
        retryable: true,
      },
      { cause: err },
    );
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

export { FormData };

/** The answer's status on its span: failed when it is an error the caller did not expect. */
export function recordAnswer(span: Span, status: number, accept?: number[]): void {
  span.setAttribute('http.response.status_code', status);
  if (status >= 400 && !(accept ?? []).includes(status)) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}
