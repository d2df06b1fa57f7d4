/**
 * Signio's webhook, as the product reads it. Decision: the document mentions "los webhooks de
 * respuesta" only through `external_id` ("se puede utilizar en los webhooks de respuesta") and
 * gives no format. The receiver accepts a delivery that names the envelope (`id_transaccion`) or
 * carries our `external_id` (the workflow id the envelope was created for, so it maps without a
 * lookup), with the shared secret as `Authorization: Bearer <SIGNIO_WEBHOOK_SECRET>`.
 */
import { z } from 'zod';
import type { WebhookAuth } from '../webhook-auth';

export const signioWebhookAuth: WebhookAuth = { kind: 'bearer' };

export const signioWebhookSchema = z
  .object({
    // A string in Signio's examples; a number would be just as reasonable a reading.
    id_transaccion: z
      .union([z.string().min(1).max(200), z.number().int().nonnegative().transform(String)])
      .optional(),
    external_id: z.string().min(1).max(200).optional(),
  })
  .loose()
  .refine((b) => b.id_transaccion !== undefined || b.external_id !== undefined);

/** `external_id` is the signing key: the workflow id, with `~<hash>` for an envelope sent after a closed one. */
export const signioWebhookReference = (body: unknown) => {
  const parsed = signioWebhookSchema.safeParse(body);
  if (!parsed.success) return undefined;
  return {
    ...(parsed.data.id_transaccion ? { envelopeId: parsed.data.id_transaccion } : {}),
    ...(parsed.data.external_id ? { workflowId: parsed.data.external_id.split('~')[0] } : {}),
  };
};
