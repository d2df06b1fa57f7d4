/**
 * How a provider proves that a webhook delivery is its own, checked in constant time: a shared
 * token as `Authorization: Bearer <token>` (Data Trust's documented way), or an HMAC-SHA256 of the
 * raw body with a shared secret (Clicksign's way: `Content-Hmac: sha256=<hex>`).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type WebhookAuth = { kind: 'bearer' } | { kind: 'hmac-sha256'; header: string; prefix: string };

const digest = (value: string | Buffer): Buffer => createHash('sha256').update(value).digest();
const sameSecret = (presented: string, expected: string): boolean =>
  timingSafeEqual(digest(presented), digest(expected)) && presented !== '' && expected !== '';

const single = (v: string | string[] | undefined): string | undefined =>
  Array.isArray(v) ? (v.length === 1 ? v[0] : undefined) : v;

export const hmacHex = (secret: string, body: Buffer): string =>
  createHmac('sha256', secret).update(body).digest('hex');

/** Whether the delivery carries the proof `auth` asks for, made with `secret`. */
export function verifyWebhook(
  auth: WebhookAuth,
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: Buffer,
): boolean {
  if (auth.kind === 'bearer') {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(single(headers['authorization']) ?? '');
    return sameSecret(match?.[1] ?? '', secret);
  }
  const value = single(headers[auth.header.toLowerCase()]) ?? '';
  const presented = value.startsWith(auth.prefix) ? value.slice(auth.prefix.length).trim().toLowerCase() : '';
  return sameSecret(presented, hmacHex(secret, rawBody));
}

/** The headers a sender adds to prove a delivery (the simulators send deliveries this way). */
export function webhookProof(auth: WebhookAuth, secret: string, rawBody: Buffer): Record<string, string> {
  return auth.kind === 'bearer'
    ? { authorization: `Bearer ${secret}` }
    : { [auth.header]: `${auth.prefix}${hmacHex(secret, rawBody)}` };
}
