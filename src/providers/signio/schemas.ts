/**
 * The Signio contract (docs/providers/signio.md), as zod schemas: requests are what we send (validated before they
 * leave, so a bad field is named without a round trip), responses are parsed tolerantly where the
 * provider is loose (numbers as strings, 0/1 as booleans, nulls, extra keys) and strictly where a
 * wrong value would mislead us (ids, status codes).
 *
 * The in-body result (`codigo`/`mensaje`, or `code`/`message` in the newer services) is read before
 * these schemas run (see codes.ts), so the response schemas below describe the payload of a
 * successful answer only.
 */
import { z } from 'zod';
import { intLike, listOrEmpty, textLike } from '../tolerant-schemas';

/** The simulator reads request fields with the same tolerant integer. */
export { intLike };

// ---------------------------------------------------------------------------------------------
// Tolerant scalars
// ---------------------------------------------------------------------------------------------

/** A flag the document types as "Bool" but describes as a digit: 0/1, "0"/"1", true/false. */
export const flagLike = z
  .union([z.boolean(), intLike.pipe(z.literal([0, 1], 'must be 0 or 1')), z.literal(['true', 'false'])])
  .transform((v) => v === true || v === 1 || v === 'true');

/** A 0/1 digit as the requests carry it. */
export const digit = z.literal([0, 1]);

/**
 * `id_transaccion`: "Cadena de 36 caracteres", a UUID (6.24 calls it "UUID del sobre"). Strict: a
 * failed creation answers "0", which must never pass for an id.
 */
export const transactionId = z.guid('must be a 36-character transaction UUID');

/**
 * `id_documento`, `id_firmante`: opaque (encrypted) strings of up to 200 characters. Strict: not
 * empty and not the "0" the provider answers when nothing was created.
 * Decision: 255 is accepted as the upper bound, so a slightly longer id from the real provider does
 * not break every call.
 */
export const opaqueId = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .refine((v) => v !== '0', 'is "0": the provider created nothing');

/** Template ids are integers (6.17); tolerated as digit strings. */
export const templateId = intLike.pipe(z.number().int().positive());

/** Free text the provider may send as a number; null and absent are the same. */
const optionalText = textLike.nullish().transform((v) => v ?? undefined);

/**
 * A date-time "con zona horaria UTC +00:00", as epoch milliseconds.
 * Decision: the document gives no format. ISO 8601 with an offset or `Z` is read as is; the
 * `YYYY-MM-DD HH:mm:ss` form (no zone) is read as UTC; fractions beyond milliseconds are cut.
 */
export const utcDateTime = z.string().transform((value, ctx) => {
  const ms = parseUtcDateTime(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: 'is not a readable date-time' });
    return z.NEVER;
  }
  return ms;
});

export function parseUtcDateTime(value: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(
    value.trim(),
  );
  if (!m) return undefined;
  const fraction = m[3] ? `.${m[3].slice(0, 3).padEnd(3, '0')}` : '';
  const zone = m[4]
    ? m[4].toUpperCase() === 'Z'
      ? 'Z'
      : m[4].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')
    : 'Z';
  const ms = Date.parse(`${m[1]}T${m[2]}${fraction}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `YYYY-MM-DD`. */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

// ---------------------------------------------------------------------------------------------
// Authentication (6.1, 6.21)
// ---------------------------------------------------------------------------------------------

export const credentialsSchema = z.object({
  email: z.string().min(1),
  password: z.string().min(1),
});
export type Credentials = z.infer<typeof credentialsSchema>;

/** 6.1 answer: the token. The document announces no lifetime (see client.ts). */
export const createTokenResponseSchema = z.object({ token: z.string().min(1) });

/** 6.21 request: `ttl` in minutes, 120 by default at the provider. */
export const authenticateRequestSchema = credentialsSchema.extend({
  ttl: z.number().int().positive().optional(),
});
export type AuthenticateRequest = z.infer<typeof authenticateRequestSchema>;

export const tenantTokenSchema = z.object({
  token: z.string().min(1),
  tenant: textLike,
  expires_at: utcDateTime,
});
export type TenantToken = z.infer<typeof tenantTokenSchema>;

export const authenticateResponseSchema = z.object({ tokens: z.array(tenantTokenSchema) });

// ---------------------------------------------------------------------------------------------
// Transaction states
// ---------------------------------------------------------------------------------------------

/**
 * 6.2 `estado`: 1 En Elaboración, 2 Pendiente de Firma, 3 Firmada, 4 Rechazada, 6 Suspendida,
 * 7 En Captura de Datos (0 means "all" in the filter only); 6.7 also names 8 Devolución con
 * observaciones (returned by a signer with comments). Strict: an unknown code is a contract break,
 * not a state to guess.
 */
export const transactionStateCode = intLike.pipe(
  z.literal([1, 2, 3, 4, 6, 7, 8], 'unknown transaction state'),
);
export type TransactionStateCode = z.infer<typeof transactionStateCode>;

// ---------------------------------------------------------------------------------------------
// Lists (6.2, 6.3, 6.4)
// ---------------------------------------------------------------------------------------------

export const listTransactionsRequestSchema = z.object({
  estado: z.literal([0, 1, 2, 3, 4, 6, 7]).optional(),
});
export type ListTransactionsRequest = z.infer<typeof listTransactionsRequestSchema>;

/**
 * Decision: the document types the items only as "estructura JSON". Each item must carry its
 * `id_transaccion`; `nombre`, `estado` and `external_id` are read when present.
 */
export const transactionSummarySchema = z.object({
  id_transaccion: transactionId,
  nombre: optionalText,
  estado: transactionStateCode.nullish().transform((v) => v ?? undefined),
  external_id: optionalText,
});
export type TransactionSummary = z.infer<typeof transactionSummarySchema>;

export const listTransactionsResponseSchema = z.object({
  transacciones: listOrEmpty(transactionSummarySchema),
});

/** Decision: tags are "un arreglo de datos"; both plain strings and `{ id, nombre }` objects are read. */
export const tagSchema = z
  .union([
    z.string().min(1),
    z.object({ id: textLike.nullish(), nombre: z.string().min(1) }),
    z.object({ id: textLike.nullish(), name: z.string().min(1) }),
  ])
  .transform((t) =>
    typeof t === 'string'
      ? { id: undefined, nombre: t }
      : { id: t.id ?? undefined, nombre: 'nombre' in t ? t.nombre : t.name },
  );
export type Tag = z.infer<typeof tagSchema>;

export const listTagsResponseSchema = z.object({ tags: listOrEmpty(tagSchema) });

export const baseTransactionSchema = z.object({
  id_transaccion: transactionId,
  nombre: optionalText,
});
export type BaseTransaction = z.infer<typeof baseTransactionSchema>;

export const listBaseTransactionsResponseSchema = z.object({
  transacciones: listOrEmpty(baseTransactionSchema),
});

// ---------------------------------------------------------------------------------------------
// Create transaction (6.5)
// ---------------------------------------------------------------------------------------------

/** Values that fill a template's inputs; the key is the input's name in Signio. */
export const templateValuesSchema = z.record(z.string().min(1), z.union([z.string(), z.number()]));
export type TemplateValues = z.infer<typeof templateValuesSchema>;

export const DEDUPLICATION_KEY_MAX = 36;

export const createTransactionRequestSchema = z.object({
  nombre: z.string().trim().min(1).max(255),
  mensaje: z.string().optional(),
  ciclo_aprobacion: digit.optional(),
  /**
   * Decision: the document types `tags` as an array and also says several tags go "separados por
   * punto y coma". We send the array (its declared type); the simulator reads both.
   */
  tags: z.array(z.string().min(1)).optional(),
  id_transaccion_base: transactionId.optional(),
  /** Our own id for the envelope; Signio returns it in its webhooks. */
  external_id: z.string().min(1).max(255).optional(),
  /** Comma-separated e-mails notified when the envelope ends. */
  cc: z.string().optional(),
  op_btnRechazo: digit.optional(),
  op_foto: z.enum(['NO', 'OP', 'OB']).optional(),
  op_certLegops: digit.optional(),
  op_firmasProcesadas: digit.optional(),
  remitente: z.string().optional(),
  mensaje_firma: z.string().optional(),
  mensaje_final: z.string().optional(),
  permiteEdicion: digit.optional(),
  permiteEdicionFirmantes: digit.optional(),
  on_premise_signature: digit.optional(),
  /**
   * Generated by us, at most 36 characters. "permite crear sobres duplicados para un mismo proceso"
   * reads both as a deduplication key and as permission to duplicate; the simulator answers the
   * first envelope for a key already used, but the product does not rely on it (signing.ts keeps
   * the transaction id and looks envelopes up by name).
   */
  envelopeDeduplicationKey: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(DEDUPLICATION_KEY_MAX, `must be at most ${DEDUPLICATION_KEY_MAX} characters`)
    .optional(),
  /** Decision: typed "String" but described as a digit; sent as the string "0" or "1". */
  notificar_contacto: z.enum(['0', '1']).optional(),
  campos_plantillas: templateValuesSchema.optional(),
  created_by: z.string().min(1).optional(),
});
export type CreateTransactionRequest = z.input<typeof createTransactionRequestSchema>;

export const createTransactionResponseSchema = z.object({ id_transaccion: transactionId });

// ---------------------------------------------------------------------------------------------
// Documents (6.6, 6.14)
// ---------------------------------------------------------------------------------------------

export const DOCUMENT_EXTENSIONS = ['doc', 'docx', 'xls', 'xlsx', 'png', 'jpg', 'pdf'] as const;

/** `metatags`: per role, the tags that place the stamp (MANUAL FORMATO ETIQUETAS DOCUMENTOS). */
export const metatagsSchema = z.record(
  z.string().min(1),
  z.object({ SigIDType: z.string(), SigID: z.string() }).loose(),
);
export type Metatags = z.infer<typeof metatagsSchema>;

export const uploadDocumentRequestSchema = z.object({
  id_transaccion: transactionId,
  /** File name sent with the part; its extension must be one the document allows. */
  fileName: z
    .string()
    .trim()
    .min(1)
    .refine(
      (name) => (DOCUMENT_EXTENSIONS as readonly string[]).includes(extensionOf(name)),
      `must end in one of ${DOCUMENT_EXTENSIONS.join(', ')}`,
    ),
  contentType: z.string().min(1).optional(),
  metatags: metatagsSchema.optional(),
});
export type UploadDocumentRequest = z.input<typeof uploadDocumentRequestSchema>;

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

export const uploadDocumentResponseSchema = z.object({ id_documento: opaqueId });

export const protectDocumentRequestSchema = z.object({
  id_documento: opaqueId,
  protect: z.boolean(),
});
export type ProtectDocumentRequest = z.infer<typeof protectDocumentRequestSchema>;

// ---------------------------------------------------------------------------------------------
// Signers (6.7, 6.8, 6.9)
// ---------------------------------------------------------------------------------------------

export const IDENTIFICATION_TYPES = ['CC', 'CD', 'CE', 'OT', 'PP', 'PS', 'TI', 'VI'] as const;
/** 6.7 `states`: when a "Notificado" contact is told: 3 Firmada, 4 Rechazada, 6 Suspendida, 8 Devolución con observaciones. */
export const NOTIFIED_STATES = [3, 4, 6, 8] as const;

export const registerSignerRequestSchema = z.object({
  id_transaccion: transactionId,
  nombre: z.string().trim().min(1).max(50),
  tipo_identificacion: z.enum(IDENTIFICATION_TYPES),
  identificacion: z.string().trim().min(1).max(20),
  email: z.string().trim().min(3).max(50),
  orden: z.number().int().positive().optional(),
  aprobador: digit.optional(),
  /** 1 digital, 0 electronic. */
  tipo_firma: digit.optional(),
  /** 1 natural person, 0 legal entity. */
  tipo_firmante: digit.optional(),
  celular: z.string().trim().min(1).max(15).optional(),
  razonsocial: z.string().max(45).optional(),
  company_identification_type: z.string().max(5).optional(),
  company_identification: z.string().max(30).optional(),
  servicio_identidad: z.enum(['basic', 'experian', 'experian_lite']).optional(),
  rol: z.literal('Notificado').optional(),
  states: z.array(z.literal(NOTIFIED_STATES)).optional(),
  enable_comments: z.boolean().optional(),
  on_premise_signature: digit.optional(),
  /**
   * Decision: the table spells it `Operation_rol`, every other mention `operation_rol`; we send the
   * lower-case name (the simulator reads both). Comma-separated roles used by the metatags.
   */
  operation_rol: z.string().min(1).optional(),
});
export type RegisterSignerRequest = z.input<typeof registerSignerRequestSchema>;

export const registerSignerResponseSchema = z.object({ id_firmante: opaqueId });

/** A stamp position: page, size in pixels, canvas coordinates. */
export const stampPositionSchema = z.object({
  pagina: z.number().int().positive(),
  alto: z.number().nonnegative(),
  ancho: z.number().nonnegative(),
  x: z.number().nonnegative(),
  y: z.number().nonnegative(),
});
export type StampPosition = z.infer<typeof stampPositionSchema>;

export const linkSignerRequestSchema = z.object({
  id_transaccion: transactionId,
  id_firmante: opaqueId,
  id_documento: opaqueId,
  posicion: stampPositionSchema.optional(),
  /** 1: the document is an attachment for this contact (no stamp); 0: to sign. */
  attachment: digit.optional(),
  stamps: z.array(stampPositionSchema).optional(),
  operation_rol: z.string().min(1).optional(),
});
export type LinkSignerRequest = z.input<typeof linkSignerRequestSchema>;

export const changeOrderRequestSchema = z.object({
  id_transaccion: transactionId,
  id_firmante: opaqueId,
  orden: z.number().int().positive(),
});
export type ChangeOrderRequest = z.infer<typeof changeOrderRequestSchema>;

// ---------------------------------------------------------------------------------------------
// Get transaction (6.11)
// ---------------------------------------------------------------------------------------------

/**
 * The document's own example keys carry stray spaces (`" fecha_firma "`): keys are trimmed before
 * the item is read, so both spellings work.
 */
const trimmedKeys = (value: unknown): unknown =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k.trim(), v]))
    : value;

export const transactionDocumentSchema = z.preprocess(
  trimmedKeys,
  z.object({
    id_documento: opaqueId,
    nombre: optionalText,
    /** "Ruta pública del archivo": where the (signed, once the envelope is signed) file is fetched. */
    path: optionalText,
  }),
);
export type TransactionDocument = z.infer<typeof transactionDocumentSchema>;

export const transactionContactSchema = z.preprocess(
  trimmedKeys,
  z.object({
    id_contacto: opaqueId,
    tipo_identificacion: optionalText,
    identificacion: optionalText,
    nombre: optionalText,
    email: optionalText,
    orden: intLike.nullish().transform((v) => v ?? undefined),
    tipo_firma: flagLike.nullish().transform((v) => v ?? undefined),
    aprobador: flagLike.nullish().transform((v) => v ?? undefined),
    enable_comments: flagLike.nullish().transform((v) => v ?? undefined),
  }),
);
export type TransactionContact = z.infer<typeof transactionContactSchema>;

export const transactionSignatureSchema = z.preprocess(
  trimmedKeys,
  z.object({
    id_firmante: opaqueId,
    id_documento: opaqueId,
    aprobador: flagLike.nullish().transform((v) => v ?? undefined),
    fecha_firma: optionalText,
  }),
);
export type TransactionSignature = z.infer<typeof transactionSignatureSchema>;

/**
 * Decisions:
 * - The table lists `mensaje` twice (the transaction's message, described by mistake as an id type,
 *   and the operation's message). They cannot both exist in one JSON object; `mensaje` is read as
 *   the operation's message and is not part of the transaction.
 * - The table lists no state. `estado` (the 6.2 codes) is read when the provider sends it, as the
 *   simulator does; when it is absent the client asks the list service (`transactionState`).
 */
export const transactionSchema = z.object({
  id_transaccion: transactionId,
  nombre: optionalText,
  ciclo_aprobacion: flagLike.nullish().transform((v) => v ?? undefined),
  estado: transactionStateCode.nullish().transform((v) => v ?? undefined),
  external_id: optionalText,
  documentos: listOrEmpty(transactionDocumentSchema),
  contactos: listOrEmpty(transactionContactSchema),
  firmas: listOrEmpty(transactionSignatureSchema),
});
export type Transaction = z.infer<typeof transactionSchema>;

// ---------------------------------------------------------------------------------------------
// Templates (6.15, 6.17, 6.18, 6.19)
// ---------------------------------------------------------------------------------------------

/** Decision: the fields are "estructura JSON"; each must name its input (`name` or `nombre`). */
export const templateFieldSchema = z.record(z.string(), z.unknown()).transform((f, ctx) => {
  const name = [f['name'], f['nombre']].find((v): v is string => typeof v === 'string' && v !== '');
  if (name === undefined) {
    ctx.addIssue({ code: 'custom', path: ['name'], message: 'must name its input (name or nombre)' });
    return z.NEVER;
  }
  return { ...f, name } as { name: string } & Record<string, unknown>;
});
export type TemplateField = z.infer<typeof templateFieldSchema>;

export const templateFieldsResponseSchema = z.object({ campos: listOrEmpty(templateFieldSchema) });

export const templateSchema = z.object({
  id: templateId,
  name: z.string(),
  description: optionalText,
  /** PLL document format, XFORM PDF forms; tolerated as any text. */
  type: z.string(),
  /** Strict: 1 active, 2 inactive. */
  status: intLike.pipe(z.literal([1, 2], 'unknown template status')),
  /** True: signing it creates an electronic títulovalor (TVE). */
  protected: flagLike,
  /** Comma-separated roles. */
  roles: optionalText,
  created_at: optionalText,
});
export type Template = z.infer<typeof templateSchema>;

export const listTemplatesResponseSchema = z.object({ templates: listOrEmpty(templateSchema) });

export const useTemplateRequestSchema = z.object({
  template_id: templateId,
  fields: templateValuesSchema.optional(),
});
export type UseTemplateRequest = z.input<typeof useTemplateRequestSchema>;

export const updateTemplateValuesRequestSchema = z.object({ fields: templateValuesSchema });
export type UpdateTemplateValuesRequest = z.infer<typeof updateTemplateValuesRequestSchema>;

/** Decision: `document` is "Object" with no structure; its `id` is required, the rest is kept. */
export const templateDocumentSchema = z
  .object({ id: z.union([opaqueId, z.number().int().positive().transform(String)]) })
  .loose();
export type TemplateDocument = z.infer<typeof templateDocumentSchema>;

export const templateDocumentResponseSchema = z.object({ document: templateDocumentSchema });

// ---------------------------------------------------------------------------------------------
// Search envelopes (6.16), link (6.20)
// ---------------------------------------------------------------------------------------------

/** 6.16 `filter[status]` values. */
export const ENVELOPE_STATUSES = [
  'En Proceso',
  'Pendiente de Firma',
  'Firmada',
  'Rechazada',
  'Suspendida',
] as const;
export const ENVELOPE_SORTS = [
  '-name',
  '+name',
  '-status',
  '+status',
  '-created_at',
  '+created_at',
  '-updated_at',
  '+updated_at',
] as const;

export const searchEnvelopesRequestSchema = z.object({
  name: z.string().min(1).optional(),
  /** `updated_at` at or after, ISO 8601. */
  from: z.string().min(1).optional(),
  /** `updated_at` at or before, ISO 8601. */
  to: z.string().min(1).optional(),
  status: z.enum(ENVELOPE_STATUSES).optional(),
  sort: z.enum(ENVELOPE_SORTS).optional(),
  offset: z.number().int().nonnegative().optional(),
});
export type SearchEnvelopesRequest = z.infer<typeof searchEnvelopesRequestSchema>;

export const envelopeSummarySchema = z.object({
  id: transactionId,
  name: z.string(),
  /** "Descripción del estado actual": free text, see ENVELOPE_STATUSES. */
  status: z.string(),
  created_at: optionalText,
  updated_at: optionalText,
  documents_count: intLike.nullish().transform((v) => v ?? undefined),
});
export type EnvelopeSummary = z.infer<typeof envelopeSummarySchema>;

export const searchEnvelopesResponseSchema = z.object({ envelopes: listOrEmpty(envelopeSummarySchema) });

export const magicLinkResponseSchema = z.object({ magic_link: z.url() });

// ---------------------------------------------------------------------------------------------
// TVE (6.22, 6.23), on-premise URL (6.24)
// ---------------------------------------------------------------------------------------------

const tveTermsShape = {
  /** BLANK or SIMPLE promissory note. */
  type: z.enum(['BLANK', 'SIMPLE']),
  reference: z.string().min(1).optional(),
  expiration: isoDate.optional(),
  amount: z.number().int().nonnegative().optional(),
  payment_way: z.string().min(1).optional(),
  payment_place: z.string().min(1).optional(),
};

/** SIMPLE notes need their expiration, amount, payment way and place. */
function requireSimpleTerms(
  v: { type: 'BLANK' | 'SIMPLE' } & Partial<
    Record<'expiration' | 'amount' | 'payment_way' | 'payment_place', unknown>
  >,
  ctx: z.RefinementCtx,
): void {
  if (v.type !== 'SIMPLE') return;
  for (const field of ['expiration', 'amount', 'payment_way', 'payment_place'] as const)
    if (v[field] === undefined)
      ctx.addIssue({ code: 'custom', path: [field], message: 'is required for a SIMPLE note' });
}

export const loadTveRequestSchema = z
  .object({
    ...tveTermsShape,
    /** "0" for an external PDF (then `consecutive` and the file are required). */
    template_id: z
      .union([z.string().regex(/^\d+$/, 'must be digits'), z.number().int().nonnegative()])
      .transform(String),
    consecutive: z.string().min(1).optional(),
    fileName: z.string().min(1).optional(),
  })
  .superRefine((v, ctx) => {
    requireSimpleTerms(v, ctx);
    if (v.template_id === '0' && v.consecutive === undefined)
      ctx.addIssue({ code: 'custom', path: ['consecutive'], message: 'is required when template_id is 0' });
  });
export type LoadTveRequest = z.input<typeof loadTveRequestSchema>;

export const editTveRequestSchema = z.object(tveTermsShape).superRefine(requireSimpleTerms);
export type EditTveRequest = z.input<typeof editTveRequestSchema>;

export const tveResponseSchema = z.object({
  document_id: z.union([opaqueId, z.number().int().positive().transform(String)]),
});

export const signedUrlRequestSchema = z.object({
  /** Identification type, e.g. CC. */
  document_type: z.string().trim().min(1).max(5),
  /** Identification number. */
  document: z.string().trim().min(1).max(20),
  transaction_id: transactionId,
  /** Decision: "Boolean" described as 0/1; sent as the digit. */
  direct_signature: digit.optional(),
  op_token: z.enum(['SCREEN', 'SHOW_OPTIONS']).optional(),
  confirmation_url: z.url().optional(),
});
export type SignedUrlRequest = z.input<typeof signedUrlRequestSchema>;

export const signedUrlResponseSchema = z.object({ url: z.url() });
