/**
 * Receiving Data Trust's webhook: ClearSale calls the integrator's URL with
 * `Authorization: Bearer {the token registered with the account manager}` and a body that only says
 * which transaction changed (`webhookNotificationSchema`); the receiver then queries the transaction.
 */
import { verifyWebhook, type WebhookAuth } from '../webhook-auth';

export const dataTrustWebhookAuth: WebhookAuth = { kind: 'bearer' };

/**
 * Whether an `Authorization` header value carries `expectedToken` as its Bearer token, compared in
 * constant time. An absent header, a repeated header or an empty expected token never authorizes.
 */
export const verifyWebhookAuthorization = (
  headerValue: string | string[] | undefined,
  expectedToken: string,
): boolean =>
  verifyWebhook(dataTrustWebhookAuth, expectedToken, { authorization: headerValue }, Buffer.alloc(0));
