import { RequestContractError, requestParser, type ContractIssue } from '../errors';

/** A Data Trust request refused before sending (a `limit` above 50, an SMS text above 160 characters...). */
export class DataTrustRequestError extends RequestContractError {
  constructor(operation: string, issues: ContractIssue[]) {
    super('datatrust', operation, issues);
    this.name = 'DataTrustRequestError';
  }
}

/** Validates a request before it is sent; the parsed (trimmed, defaulted) value is what goes out. */
export const parseRequest = requestParser(
  (operation, issues) => new DataTrustRequestError(operation, issues),
);
