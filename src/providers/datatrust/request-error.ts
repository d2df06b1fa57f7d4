import type { z } from 'zod';
import { RequestContractError, parseRequest as parseProviderRequest, type ContractIssue } from '../errors';

/** A Data Trust request refused before sending (a `limit` above 50, an SMS text above 160 characters...). */
export class DataTrustRequestError extends RequestContractError {
  constructor(operation: string, issues: ContractIssue[]) {
    super('datatrust', operation, issues);
    this.name = 'DataTrustRequestError';
  }
}

/** Validates a request before it is sent; the parsed (defaulted, trimmed) value is what goes out. */
export const parseRequest = <S extends z.ZodType>(
  operation: string,
  schema: S,
  value: unknown,
): z.output<S> =>
  parseProviderRequest(schema, value, (issues) => new DataTrustRequestError(operation, issues));
