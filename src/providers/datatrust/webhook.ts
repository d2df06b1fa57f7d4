/**
 * Receiving Data Trust's webhook: ClearSale calls the integrator's URL with
 * `Authorization: Bearer {the token registered with the account manager}` and a body that only says
 * which transaction changed (`webhookNotificationSchema`); the receiver then queries the transaction.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether an `Authorization` header value carries `expectedToken` as its Bearer token.
 *
 * Both tokens are hashed first so the constant-time comparison always runs over 32 bytes: neither
 * the comparison nor an early return reveals how long the expected token is or where it differs.
 * An absent header, a repeated header or an empty expected token never authorizes.
 */
export function verifyWebhookAuthorization(
  headerValue: string | string[] | undefined,
  expectedToken: string,
): boolean {
  const value = Array.isArray(headerValue)
    ? headerValue.length === 1
      ? headerValue[0]
      : undefined
    : headerValue;
  const presented = (value === undefined ? undefined : BEARER.exec(value)?.[1]) ?? '';
  const same = timingSafeEqual(digest(presented), digest(expectedToken));
  return same && presented !== '' && expectedToken !== '';
}
