/**
 * One error model for every provider. Errors are classified here, once: the activity layer only
 * translates them into Temporal failures, and the workflow only sees their type and flags.
 *
 * Messages never carry credentials or personal data: provider messages are redacted before they
 * are stored (see `redact`).
 */
import type { z } from 'zod';

/** The provider's name as the product knows it (`datatrust`, `securities`, or a registered signing provider). */
export type ProviderName = string;

export type ProviderErrorKind =
  /** The provider answered with an HTTP error status. */
  | 'http'
  /** The provider answered 2xx but its body carries an error code (Assine Bem `status_api`, Signio `codigo`). */
  | 'business'
  /** The connection failed or was dropped before a full answer. */
  | 'network'
  /** A connect, headers, body or total timeout. */
  | 'timeout';

export interface ProviderErrorDetails {
  provider: ProviderName;
  operation: string;
  kind: ProviderErrorKind;
  status?: number | undefined;
  providerCode?: string | undefined;
  providerMessage?: string | undefined;
  retryable: boolean;
  retryAfterMs?: number | undefined;
}

export class ProviderError extends Error {
  readonly provider: ProviderName;
  readonly operation: string;
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly providerCode: string | undefined;
  readonly providerMessage: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(d: ProviderErrorDetails, options?: { cause?: unknown }) {
    const providerMessage =
      d.providerMessage === undefined ? undefined : redact(d.providerMessage).slice(0, 300);
    const parts = [
      d.status === undefined ? d.kind : `HTTP ${d.status}`,
      d.providerCode === undefined ? undefined : `code ${d.providerCode}`,
      providerMessage,
    ].filter((p): p is string => p !== undefined && p !== '');
    super(`${d.provider} ${d.operation} failed: ${parts.join(', ')}`, options);
    this.name = 'ProviderError';
    this.provider = d.provider;
    this.operation = d.operation;
    this.kind = d.kind;
    this.status = d.status;
    this.providerCode = d.providerCode;
    this.providerMessage = providerMessage;
    this.retryable = d.retryable;
    this.retryAfterMs = d.retryAfterMs;
  }

  toJSON(): ProviderErrorDetails & { message: string; name: string } {
    return {
      name: this.name,
      message: this.message,
      provider: this.provider,
      operation: this.operation,
      kind: this.kind,
      status: this.status,
      providerCode: this.providerCode,
      providerMessage: this.providerMessage,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

export interface ContractIssue {
  path: string;
  message: string;
}

/** A provider answered, but the answer does not match its documented contract. Never retryable. */
export class ContractError extends Error {
  readonly retryable = false;
  constructor(
    readonly provider: ProviderName,
    readonly operation: string,
    readonly status: number,
    readonly issues: ContractIssue[],
  ) {
    const where = issues
      .slice(0, 5)
      .map((i) => `${i.path || '(root)'}: ${i.message}`)
      .join('; ');
    super(
      `${provider} ${operation} answered HTTP ${status} with a body that breaks the contract at ${where}`,
    );
    this.name = 'ContractError';
  }

  static fromZod(
    provider: ProviderName,
    operation: string,
    status: number,
    error: z.ZodError,
  ): ContractError {
    return new ContractError(provider, operation, status, contractIssues(error));
  }
}

/**
 * A call a client refused to send because the request breaks the provider's documented contract
 * (a page size above the limit, a key that is too long...). It is a `ContractError` (status 0:
 * nothing was sent) so every layer treats it as final. Messages name the fields, never the values.
 */
export class RequestContractError extends ContractError {
  constructor(provider: ProviderName, operation: string, issues: ContractIssue[]) {
    super(provider, operation, 0, issues);
    this.name = 'RequestContractError';
    this.message = `${provider} ${operation} was not sent: the request breaks the contract at ${issues
      .slice(0, 5)
      .map((i) => `${i.path || '(root)'}: ${i.message}`)
      .join('; ')}`;
  }

  /** The request fields at fault, e.g. `["limit"]`. */
  get fields(): string[] {
    return this.issues.map((i) => i.path);
  }
}

/** Issues of a zod error as `{ path, message }`: field paths and what is wrong, never the values. */
export const contractIssues = (error: z.ZodError): ContractIssue[] =>
  error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

/**
 * A provider's request check: `(operation, schema, value)` validates a request before it is sent,
 * and the parsed (trimmed, defaulted) value is what goes out. A request that breaks the contract is
 * never sent: `refuse` builds the provider's typed error.
 */
export const requestParser =
  (refuse: (operation: string, issues: ContractIssue[]) => RequestContractError) =>
  <S extends z.ZodType>(operation: string, schema: S, value: unknown): z.output<S> => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw refuse(operation, contractIssues(parsed.error));
    return parsed.data;
  };

/** 408, 429 and 5xx are worth another try; every other status is an answer. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v.trim()) * 1000);
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const CPF_LIKE = /\d{3}\.?\d{3}\.?\d{3}-?\d{2}/g;
const LONG_DIGITS = /\d[\d\s().-]{6,}\d/g;
const BEARER = /(bearer\s+)[A-Za-z0-9._~+/=-]+/gi;

/** Removes what could be personal data or a secret from a provider's free text. */
export function redact(text: string): string {
  return text
    .replace(BEARER, '$1[redacted]')
    .replace(EMAIL, '[email]')
    .replace(CPF_LIKE, '[number]')
    .replace(LONG_DIGITS, '[number]');
}
