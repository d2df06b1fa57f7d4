import type { z } from 'zod';
import { RequestContractError, type ContractIssue } from '../errors';

/** A Signio request refused before sending (an `envelopeDeduplicationKey` above 36 characters...). */
export class SignioRequestError extends RequestContractError {
  constructor(operation: string, issues: ContractIssue[]) {
    super('signio', operation, issues);
    this.name = 'SignioRequestError';
  }
}

/** Validates a request before it is sent; the parsed (trimmed, defaulted) value is what goes out. */
export function parseRequest<S extends z.ZodType>(operation: string, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new SignioRequestError(
      operation,
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    );
  }
  return parsed.data;
}
