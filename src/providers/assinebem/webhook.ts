/**
 * Assine Bem's webhook, as the product reads it. Decision: the document describes no webhook at
 * all. The receiver accepts a delivery that names the document (`id_externo_documento`, or
 * `documento.id_externo` as in DocumentoRetorno) and carries the shared secret as
 * `Authorization: Bearer <ASSINEBEM_WEBHOOK_SECRET>`; the onboarding then reads the signatures
 * back with call 12, so a delivery is only ever a reason to look.
 */
import { z } from 'zod';
import type { WebhookAuth } from '../webhook-auth';

export const assineBemWebhookAuth: WebhookAuth = { kind: 'bearer' };

const id = z.union([z.string().min(1).max(200), z.number().int().nonnegative().transform(String)]);
export const assineBemWebhookSchema = z
  .object({
    id_externo_documento: id.optional(),
    documento: z.object({ id_externo: id }).loose().optional(),
  })
  .loose();

export const assineBemWebhookReference = (body: unknown): { envelopeId: string } | undefined => {
  const parsed = assineBemWebhookSchema.safeParse(body);
  const envelopeId = parsed.success
    ? (parsed.data.id_externo_documento ?? parsed.data.documento?.id_externo)
    : undefined;
  return envelopeId === undefined ? undefined : { envelopeId };
};
