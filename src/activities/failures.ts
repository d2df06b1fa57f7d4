/**
 * The one place where provider errors become Temporal failures. Retryable provider errors stay
 * retryable (with the provider's Retry-After as the next delay); everything else fails at once with
 * its type, so the workflow sees `ProviderError`, `ContractError` or `InvalidOnboardingInput` and a
 * message that names the provider, the call and the status, never a secret or personal data.
 */
import { ApplicationFailure } from '@temporalio/common';
import { InvalidOnboardingInput } from '../domain/input';
import { ContractError, ProviderError } from '../providers/errors';

export function toFailure(err: unknown): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof ProviderError) {
    return ApplicationFailure.create({
      type: 'ProviderError',
      message: err.message,
      nonRetryable: !err.retryable,
      ...(err.retryAfterMs !== undefined ? { nextRetryDelay: err.retryAfterMs } : {}),
      details: [
        {
          provider: err.provider,
          operation: err.operation,
          kind: err.kind,
          status: err.status,
          providerCode: err.providerCode,
          retryable: err.retryable,
        },
      ],
    });
  }
  if (err instanceof ContractError) {
    return ApplicationFailure.create({
      type: 'ContractError',
      message: err.message,
      nonRetryable: true,
      details: [{ provider: err.provider, operation: err.operation, status: err.status, issues: err.issues }],
    });
  }
  if (err instanceof InvalidOnboardingInput) {
    return ApplicationFailure.create({
      type: 'InvalidOnboardingInput',
      message: err.message,
      nonRetryable: true,
      details: [{ issues: err.issues }],
    });
  }
  return err;
}

/** Wraps every activity so its errors go through `toFailure`. */
export function withFailureTranslation<T extends Record<string, (...args: never[]) => Promise<unknown>>>(
  activities: T,
): T {
  const wrapped: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        throw toFailure(err);
      }
    };
    Object.defineProperty(wrapped[name], 'name', { value: name });
  }
  return wrapped as T;
}
