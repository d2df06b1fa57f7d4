/**
 * Signio's in-body result: `codigo` and `mensaje` (plus `errores` on 05), or `code` and `message`
 * in the newer services (6.16 to 6.23). It carries errors inside HTTP 200 answers, so every answer
 * is read for it before its status or its payload.
 *
 * Decision: the two spellings are one field. Whichever the answer uses is read, whatever the
 * service (6.21 documents `code`/`message` but an answer with `codigo`/`mensaje` is read the same).
 */
import { ProviderError, isRetryableStatus, type ProviderErrorKind } from '../errors';

/** The codes the document defines (6.1 to 6.24). */
export const SIGNIO_CODES = {
  '00': 'Operación correcta',
  '01': 'Token inválido',
  '02': 'Usuario inactivo',
  '03': 'Cliente inactivo',
  '04': 'Error interno',
  '05': 'Contenido no procesable',
  '06': 'Recurso no encontrado',
} as const;
export type SignioCode = keyof typeof SIGNIO_CODES;

export const OK_CODE = '00';
/** The token was not accepted: refresh it once and repeat the call. */
export const TOKEN_INVALID = '01';
/** The only code worth another try: an internal error at Signio. */
export const INTERNAL_ERROR = '04';

export interface SignioOutcome {
  /** Two digits ("00"...), when the answer carries a code. */
  code: string | undefined;
  message: string | undefined;
  /** `errores`, summarised without values: what failed, not what was sent. */
  errors: string | undefined;
}

/** Reads the result fields of any answer body; absent fields are undefined. */
export function readOutcome(body: unknown): SignioOutcome {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return { code: undefined, message: undefined, errors: undefined };
  const b = body as Record<string, unknown>;
  return {
    code: normalizeCode(b['codigo'] ?? b['code']),
    message: text(b['mensaje'] ?? b['message']),
    errors: summariseErrors(b['errores'] ?? b['errors']),
  };
}

/** Codes may come as numbers (1) or unpadded strings ("1"): both mean "01". */
export function normalizeCode(raw: unknown): string | undefined {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) return String(raw).padStart(2, '0');
  if (typeof raw === 'string' && raw.trim() !== '') {
    const t = raw.trim();
    return /^\d$/.test(t) ? `0${t}` : t;
  }
  return undefined;
}

function text(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  // 6.14 types `mensaje` as Bool.
  return typeof raw === 'string' ? raw : JSON.stringify(raw);
}

/**
 * `errores` is "Json": an array of messages, or an object of field → messages. Field names and
 * messages are kept (ProviderError redacts them); at most five entries.
 */
export function summariseErrors(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const entries: string[] = [];
  if (Array.isArray(raw)) {
    for (const item of raw) entries.push(typeof item === 'string' ? item : JSON.stringify(item));
  } else if (typeof raw === 'object') {
    for (const [field, value] of Object.entries(raw)) {
      const first = Array.isArray(value) ? value[0] : value;
      entries.push(
        first === undefined
          ? field
          : `${field}: ${typeof first === 'string' ? first : JSON.stringify(first)}`,
      );
    }
  } else {
    entries.push(String(raw));
  }
  if (entries.length === 0) return undefined;
  const shown = entries.slice(0, 5).join('; ');
  return entries.length > 5 ? `${shown}; +${entries.length - 5} more` : shown;
}

/**
 * The error for an answer whose code is not "00". Retryable: "04" (internal error) and any 429/5xx
 * status. "01" is not retryable by itself: the client refreshes the token once before giving up.
 * "02", "03", "05", "06" and unknown codes are answers, not accidents.
 */
export function codeError(
  operation: string,
  outcome: SignioOutcome,
  status: number,
  retryAfterMs: number | undefined,
): ProviderError {
  const code = outcome.code ?? 'unknown';
  const kind: ProviderErrorKind = status >= 200 && status < 300 ? 'business' : 'http';
  const meaning = (SIGNIO_CODES as Record<string, string>)[code];
  const message = [outcome.message ?? meaning, outcome.errors].filter((p) => p !== undefined).join(': ');
  return new ProviderError({
    provider: 'signio',
    operation,
    kind,
    status: kind === 'http' ? status : undefined,
    providerCode: code,
    providerMessage: message === '' ? undefined : message,
    retryable: code === INTERNAL_ERROR || isRetryableStatus(status),
    retryAfterMs,
  });
}

/** Whether an error means "this token is not accepted": codigo 01, or HTTP 401. */
export function isTokenRejected(err: unknown): boolean {
  return err instanceof ProviderError && (err.providerCode === TOKEN_INVALID || err.status === 401);
}
