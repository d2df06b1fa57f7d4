import type { z } from 'zod';
import { RequestContractError, parseRequest as parseProviderRequest, type ContractIssue } from '../errors';

/** A Signio request refused before sending (an `envelopeDeduplicationKey` above 36 characters...). */
export class SignioRequestError extends RequestContractError {
  constructor(operation: string, issues: ContractIssue[]) {
    super('signio', operation, issues);
    this.name = 'SignioRequestError';
  }
}

/** Validates a request before it is sent; the parsed (trimmed, defaulted) value is what goes out. */
export const parseRequest = <S extends z.ZodType>(
  operation: string,
  schema: S,
  value: unknown,
): z.output<S> => parseProviderRequest(schema, value, (issues) => new SignioRequestError(operation, issues));
