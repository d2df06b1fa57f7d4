/**
 * The one place where provider errors become Temporal failures. Retryable provider errors stay
 * retryable (with the provider's Retry-After as the next delay); everything else fails at once with
 * its type, so the workflow sees `ProviderError`, `ContractError` or `InvalidOnboardingInput` and a
 * message that names the provider, the call and the status, never a secret or personal data.
 *
 * Policy for a provider's free text (its `mensagem`, `message`, `errors`): it is kept in the message
 * only when the activity holds the applicant's and signers' values, and then with those values
 * removed (names, streets and numbers in any formatting; patterns are removed by the provider
 * layer). An activity that holds no personal data (a status check, a cancel) drops the free text:
 * a name in it could not be recognised.
 *
 * Policy for contract errors: an answer that breaks the documented contract is final for a call
 * that changes something (retrying would not change the answer, and might repeat the effect); for a
 * read-only call it is retried like a 5xx, and the workflow bounds those attempts (see its
 * `statusChecks` options), since a garbled answer to a status check says nothing about the envelope.
 */
import { ApplicationFailure } from '@temporalio/common';
import { InvalidOnboardingInput } from '../domain/input';
import { ContractError, ProviderError } from '../providers/errors';
import { keepAlive } from './heartbeat';
import { recordCall } from './metrics';
import { personalValues, redactPersonal } from './personal-data';

export interface FailureContext {
  /** The personal values the activity holds; empty when it holds none. */
  personal: string[];
  /** The activity only reads: a contract error is worth another attempt. */
  readOnly: boolean;
}

const noContext: FailureContext = { personal: [], readOnly: false };

function providerErrorMessage(err: ProviderError, personal: string[]): string {
  const parts = [
    err.status === undefined ? err.kind : `HTTP ${err.status}`,
    err.providerCode === undefined ? undefined : `code ${err.providerCode}`,
    err.providerMessage !== undefined && personal.length > 0
      ? redactPersonal(err.providerMessage, personal)
      : undefined,
  ].filter((p): p is string => p !== undefined && p !== '');
  return `${err.provider} ${err.operation} failed: ${parts.join(', ')}`;
}

export function toFailure(err: unknown, context: FailureContext = noContext): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof ProviderError) {
    return ApplicationFailure.create({
      type: 'ProviderError',
      message: providerErrorMessage(err, context.personal),
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
      nonRetryable: !context.readOnly,
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
  if (err instanceof Error && context.personal.length > 0) {
    err.message = redactPersonal(err.message, context.personal);
  }
  return err;
}

/**
 * Wraps every activity: heartbeats while it runs (see heartbeat.ts), and its errors go through
 * `toFailure` with what the activity holds. `readOnly` names the activities that only read.
 */
export function withFailureTranslation<T extends Record<string, (...args: never[]) => Promise<unknown>>>(
  activities: T,
  readOnly: ReadonlyArray<keyof T> = [],
): T {
  const wrapped: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      const stop = keepAlive();
      try {
        const result = await fn(...args);
        recordCall(name, args, 'ok');
        return result;
      } catch (err) {
        const failure = toFailure(err, { personal: personalValues(args), readOnly: readOnly.includes(name) });
        recordCall(
          name,
          args,
          failure instanceof ApplicationFailure && failure.nonRetryable ? 'final' : 'retryable',
        );
        throw failure;
      } finally {
        stop();
      }
    };
    Object.defineProperty(wrapped[name], 'name', { value: name });
  }
  return wrapped as T;
}
