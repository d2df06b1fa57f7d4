import type { z } from 'zod';
import { ContractError, type ContractIssue } from '../errors';

/**
 * A call this client refused to send because the request breaks Signio's documented contract
 * (an `envelopeDeduplicationKey` above 36 characters, a file type Signio does not take...). It is a
 * `ContractError` so every layer above treats it as final: the same request cannot succeed later.
 *
 * `status` is 0: nothing was sent. Messages name the fields, never their values.
 */
export class SignioRequestError extends ContractError {
  constructor(operation: string, issues: ContractIssue[]) {
    super('signio', operation, 0, issues);
    this.name = 'SignioRequestError';
    this.message = `signio ${operation} was not sent: the request breaks the contract at ${issues
      .slice(0, 5)
      .map((i) => `${i.path || '(root)'}: ${i.message}`)
      .join('; ')}`;
  }

  /** The request fields at fault, e.g. `["envelopeDeduplicationKey"]`. */
  get fields(): string[] {
    return this.issues.map((i) => i.path);
  }
}

/** Validates a request before it is sent; the parsed (trimmed, defaulted) value is what goes out. */
export function parseRequest<S extends z.ZodType>(operation: string, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new SignioRequestError(
      operation,
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    );
  return parsed.data;
}
