/**
 * Securities' webhook, as the product reads it. Decision: the reference documents no webhook;
 * Clicksign's platform sends `{ event: { name, data }, document: { key, status } }` signed with an
 * HMAC-SHA256 of the raw body in `Content-Hmac: sha256=<hex>`, and Securities is Clicksign's, so
 * that is what the receiver checks. Only the document key is used: it names the envelope, and the
 * onboarding reads the document's state back itself.
 */
import { z } from 'zod';
import type { WebhookAuth } from '../webhook-auth';

export const securitiesWebhookAuth: WebhookAuth = {
  kind: 'hmac-sha256',
  header: 'content-hmac',
  prefix: 'sha256=',
};

export const securitiesWebhookSchema = z.object({
  event: z
    .object({ name: z.string().min(1) })
    .loose()
    .optional(),
  document: z.object({ key: z.string().min(1).max(200) }).loose(),
});

export const securitiesWebhookReference = (body: unknown) => {
  const parsed = securitiesWebhookSchema.safeParse(body);
  return parsed.success ? { envelopeId: parsed.data.document.key } : undefined;
};
