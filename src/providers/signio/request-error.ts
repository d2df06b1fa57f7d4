import { RequestContractError, requestParser, type ContractIssue } from '../errors';

/** A Signio request refused before sending (an `envelopeDeduplicationKey` above 36 characters...). */
export class SignioRequestError extends RequestContractError {
  constructor(operation: string, issues: ContractIssue[]) {
    super('signio', operation, issues);
    this.name = 'SignioRequestError';
  }
}

/** Validates a request before it is sent; the parsed (trimmed, defaulted) value is what goes out. */
export const parseRequest = requestParser((operation, issues) => new SignioRequestError(operation, issues));
