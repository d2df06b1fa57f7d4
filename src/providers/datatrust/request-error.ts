import type { z } from 'zod';
import { RequestContractError } from '../errors';

/** A Data Trust request refused before sending (a `limit` above 50, an SMS text above 160 characters...). */
export class DataTrustRequestError extends RequestContractError {
  constructor(operation: string, error: z.ZodError) {
    super(
      'datatrust',
      operation,
      error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    );
    this.name = 'DataTrustRequestError';
  }
}

/** Validates a request before it is sent; the parsed (defaulted, trimmed) value is what goes out. */
export function parseRequest<S extends z.ZodType>(operation: string, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new DataTrustRequestError(operation, parsed.error);
  return parsed.data;
}
