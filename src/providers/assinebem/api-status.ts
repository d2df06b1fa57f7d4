/**
 * Assine Bem answers HTTP 200 and carries its errors in the body (`status_api`, `mensagem`; the
 * reminder call answers `sucesso: 0`). They are classified here, once.
 *
 * Decision, as the document gives only `999` as a placeholder and `200` for success:
 * - `status_api` 2xx: success.
 * - 401/403: the token was refused. Not retryable: the token is static (no refresh to try).
 * - 408, 429 and 5xx: the provider is busy or broken, retryable (Retry-After honoured if sent).
 * - any other value (4xx, or a code outside HTTP's range): the request itself is wrong, not retryable.
 * The error is a ProviderError of kind 'business' with `providerCode` = status_api and the
 * redacted `mensagem`.
 */
import { ProviderError, isRetryableStatus } from '../errors';

export const isApiSuccess = (statusApi: number): boolean => statusApi >= 200 && statusApi < 300;

export const isAuthFailure = (statusApi: number): boolean => statusApi === 401 || statusApi === 403;

export function apiStatusError(
  operation: string,
  statusApi: number,
  mensagem: string | null | undefined,
  retryAfterMs?: number,
): ProviderError | undefined {
  if (isApiSuccess(statusApi)) return undefined;
  const retryable = !isAuthFailure(statusApi) && isRetryableStatus(statusApi);
  return new ProviderError({
    provider: 'assinebem',
    operation,
    kind: 'business',
    providerCode: String(statusApi),
    providerMessage: mensagem ?? undefined,
    retryable,
    retryAfterMs: retryable ? retryAfterMs : undefined,
  });
}

/** Decision: `sucesso: 0` from novo_acesso (party not notified) is a business failure, not retryable. */
export function notNotifiedError(operation: string): ProviderError {
  return new ProviderError({
    provider: 'assinebem',
    operation,
    kind: 'business',
    providerCode: 'sucesso=0',
    providerMessage: 'party was not notified',
    retryable: false,
  });
}
