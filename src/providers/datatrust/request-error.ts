import type { z } from 'zod';
import { ContractError } from '../errors';

/**
 * A call this client refused to send because the request breaks Data Trust's documented contract
 * (a `limit` above 50, an SMS text above 160 characters, a CPF that is not 11 digits...). It is a
 * `ContractError` so every layer above treats it as final: retrying the same request cannot help.
 *
 * Decision: `status` is 0 (nothing was sent). Messages name the fields, never their values.
 */
export class DataTrustRequestError extends ContractError {
  constructor(operation: string, error: z.ZodError) {
    const issues = error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.message,
    }));
    super('datatrust', operation, 0, issues);
    this.name = 'DataTrustRequestError';
    this.message = `datatrust ${operation} was not sent: the request breaks the contract at ${issues
      .slice(0, 5)
      .map((i) => `${i.path || '(root)'}: ${i.message}`)
      .join('; ')}`;
  }

  /** The request fields at fault, e.g. `["limit"]`. */
  get fields(): string[] {
    return this.issues.map((i) => i.path);
  }
}

/** Validates a request before it is sent; the parsed (defaulted, trimmed) value is what goes out. */
export function parseRequest<S extends z.ZodType>(operation: string, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new DataTrustRequestError(operation, parsed.error);
  return parsed.data;
}
