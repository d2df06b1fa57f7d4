/**
 * The Assine Bem contract (docs/providers/assinebem.md), as zod schemas. Requests are what we send; responses are
 * parsed tolerantly where the provider is loose (numbers as strings, nulls, extra keys, status ids
 * from no published table) and strictly where a wrong value would mislead us (ids).
 *
 * Decision: request encoding. POST bodies are JSON (`application/json`) and GET parameters go in
 * the query string. The simulator also accepts url-encoded forms with the structured fields
 * (`lista_partes`, `parte`, `lista_campos`) as JSON strings, as PHP integrations of this API send.
 */
import { z } from 'zod';
import { intLike, listOrEmpty, textLike } from '../tolerant-schemas';

/** The simulator reads request fields with the same tolerant integer. */
export { intLike };

// ---------------------------------------------------------------------------------------------
// Tolerant scalars
// ---------------------------------------------------------------------------------------------

/** A 0/1 flag sent as a number, a string or a boolean. */
export const flag = z
  .union([z.boolean().transform((b) => (b ? 1 : 0)), intLike])
  .pipe(z.literal([0, 1], 'must be 0 or 1'));

/** Decision: ids are opaque strings; a provider that sends them as numbers is tolerated. Empty is not. */
export const externalId = z.union([
  z.string().trim().min(1, 'must not be empty'),
  z
    .number()
    .int()
    .nonnegative()
    .transform((n) => String(n)),
]);

const optionalText = z.string().nullish();

/**
 * Decision: the document publishes no table of `id_documento_status` or party `id_status` values, so
 * any integer is read; what they mean is at most a hint (see readings.ts). Whether a party signed
 * is read from call 12, the one documented signal.
 */
export const documentStatusId = intLike;
export const partyStatusId = intLike;
export const attachmentStatusId = intLike.pipe(z.literal([0, 1, 2, 3], 'unknown attachment status id'));

/** `status_api` and `mensagem`: present on most answers, carrying errors inside HTTP 200 answers. */
export const apiStatusSchema = z.object({
  status_api: intLike.optional(),
  mensagem: optionalText,
});
export type ApiStatus = z.infer<typeof apiStatusSchema>;

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/**
 * ParteEnvio: a party sent with a document, inserted into one, or created alone.
 * Decision: `id_externo` instead of `nome` references a party that already exists at Assine Bem
 * (as integrations of this API do); one of the two is required.
 */
export const parteEnvioSchema = z
  .object({
    id_externo: externalId.optional(),
    id_validacao_bloco: intLike.optional(),
    nome: z.string().trim().min(1).optional(),
    rg: z.string().optional(),
    /** Digits only; 11 for a CPF (the document's example has 14, a CNPJ's length). */
    cpf: z.string().optional(),
    id_tipo_documento: intLike.optional(),
    descricao_documento: z.string().optional(),
    documento: z.string().optional(),
    email: z.string().optional(),
    ddd: intLike.optional(),
    telefone: textLike.optional(),
    /** Decision: table telefones_tipos is not published; the simulator accepts any positive id. */
    id_tipo_telefone: intLike.optional(),
    identificacao_parte: z.string().optional(),
    id_referencia: textLike.optional(),
    /** Table parte_acoes: see PARTY_ACTIONS. Default: ASSINAR and VISUALIZAR. */
    acoes: z.array(z.string().min(1)).optional(),
    /** Lower signs first; default 0. */
    ordem_assinatura: intLike.optional(),
    /** Default 1 (notified). */
    notificar: flag.optional(),
    pessoa_preenche_dados: flag.optional(),
    validar_campos: flag.optional(),
    validar_anexos: flag.optional(),
    /** ParteRedirecionamento: an extra product with no published structure; passed through. */
    redirecionamentos: z.unknown().optional(),
  })
  .refine((p) => p.nome !== undefined || p.id_externo !== undefined, {
    message: 'nome (a new party) or id_externo (an existing party) is required',
    path: ['nome'],
  });
export type ParteEnvio = z.input<typeof parteEnvioSchema>;

/** Decision: the parameter table's "Obrigatório" column is garbled; we require what the text requires. */
export const uploadDocumentRequestSchema = z
  .object({
    id_identifier: z.guid('must be the UUID from get_identifier_to_upload'),
    lista_partes: z.array(parteEnvioSchema).min(1),
    url_arquivo: z.url().optional(),
    arquivo: z
      .string()
      .regex(/^[A-Za-z0-9+/\r\n]+={0,2}\s*$/, 'must be base64')
      .optional(),
    identificacao_arquivo: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, 'must have no spaces or special characters')
      .optional(),
    sufixo_arquivo: z.string().optional(),
    quadro_assinaturas: flag.optional(),
    id_centro_custo: intLike.optional(),
  })
  .refine((r) => (r.url_arquivo === undefined) !== (r.arquivo === undefined), {
    message: 'exactly one of url_arquivo or arquivo is required',
    path: ['arquivo'],
  });
export type UploadDocumentRequest = z.input<typeof uploadDocumentRequestSchema>;

/**
 * Decision: the document says this call requires URL_ARQUIVO or ARQUIVO, a copy of the upload's
 * text; adding a party needs no file, so neither is sent.
 */
export const insertPartyInDocumentRequestSchema = z.object({
  id_externo_documento: externalId,
  parte: parteEnvioSchema,
});
export type InsertPartyInDocumentRequest = z.input<typeof insertPartyInDocumentRequestSchema>;

export const idExternoRequestSchema = z.object({ id_externo: externalId });

export const updatePartyRequestSchema = z.object({
  id_externo: externalId,
  rg: z.string().optional(),
  cpf: z.string().optional(),
  ddd: intLike.optional(),
  telefone: textLike.optional(),
  id_tipo_telefone: intLike.optional(),
});
export type UpdatePartyRequest = z.input<typeof updatePartyRequestSchema>;
export type PartyChanges = Omit<UpdatePartyRequest, 'id_externo'>;

export const pendingSignaturesRequestSchema = z.object({ offset: intLike.optional() });

/** Decision: lista_campos's "formato abaixo" is missing from the document; each field is `{ nome, valor }`. */
export const campoPreenchidoSchema = z.object({
  nome: z.string().min(1),
  valor: textLike,
});
export type CampoPreenchido = z.input<typeof campoPreenchidoSchema>;

export const uploadTemplateRequestSchema = z.object({
  id_externo: intLike,
  lista_partes: z.array(parteEnvioSchema).min(1),
  lista_campos: z.array(campoPreenchidoSchema).optional(),
  identificacao_arquivo: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'must have no spaces or special characters')
    .optional(),
  quadro_assinaturas: flag.optional(),
  id_centro_custo: intLike.optional(),
});
export type UploadTemplateRequest = z.input<typeof uploadTemplateRequestSchema>;

export const attachmentRequestSchema = z.object({
  id_externo: externalId,
  id_externo_parte: externalId,
  id_download: intLike,
});
export type AttachmentRequest = z.input<typeof attachmentRequestSchema>;

export const invalidateAttachmentRequestSchema = attachmentRequestSchema.extend({
  /** 1: ask the signer to send it again; 2: do not. */
  reenviar: intLike.pipe(z.literal([1, 2], 'must be 1 or 2')),
});

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

export const identifierResponseSchema = z.object({ identifier: z.guid() });

/** ParteRetorno's party. Decision: the structure is unpublished; it mirrors ParteEnvio plus status. */
export const parteSchema = z.object({
  id_externo: externalId,
  nome: optionalText,
  rg: optionalText,
  cpf: textLike.nullish(),
  email: optionalText,
  ddd: intLike.nullish(),
  telefone: textLike.nullish(),
  id_tipo_telefone: intLike.nullish(),
  id_validacao_bloco: intLike.nullish(),
  identificacao_parte: optionalText,
  id_referencia: textLike.nullish(),
  id_status: partyStatusId.nullish(),
  descricao_status: optionalText,
});
export type Parte = z.infer<typeof parteSchema>;

/**
 * A party inside a document's `lista_partes`.
 * Decision: refusal shows as document status Recusado, the refusing party's `recusado: 1` and its
 * `identificador_assinatura` left empty.
 */
export const parteDocumentoSchema = parteSchema.extend({
  ordem_assinatura: intLike.nullish(),
  acoes: z.array(z.string()).nullish(),
  identificador_assinatura: optionalText,
  dt_assinatura: optionalText,
  recusado: flag.nullish(),
});
export type ParteDocumento = z.infer<typeof parteDocumentoSchema>;

export const documentoSchema = z.object({
  id_documento_status: documentStatusId,
  descricao_documento_status: optionalText,
  identificacao_arquivo: optionalText,
  nome_arquivo: optionalText,
  /** Decision: `DD/MM/AAAA HH:MI:SS` as in the templates' dates; kept as text. */
  dt_criacao: optionalText,
  id_externo: externalId,
  /** The `id_identifier` the document was uploaded with. */
  identificador_documento: optionalText,
  nome_arquivo_assinado: optionalText,
  quadro_assinaturas: flag.nullish(),
  hash_arquivo: optionalText,
  lista_partes: listOrEmpty(parteDocumentoSchema),
});
export type Documento = z.infer<typeof documentoSchema>;

/** DocumentoRetorno. */
export const documentoRetornoSchema = apiStatusSchema.extend({ documento: documentoSchema });

/** ParteRetorno. Decision: `{ status_api, mensagem, parte }`, as the update call shows. */
export const parteRetornoSchema = apiStatusSchema.extend({ parte: parteSchema });

/**
 * Decision: "retorna o binario do documento e informações do arquivo" has no structure in the
 * document; the bytes come base64-encoded in `arquivo` with the file's name, type and hash.
 */
export const downloadResponseSchema = apiStatusSchema.extend({
  arquivo: z.string().regex(/^[A-Za-z0-9+/\r\n]*={0,2}$/, 'must be base64'),
  nome_arquivo: optionalText,
  sufixo_arquivo: optionalText,
  tipo_arquivo: optionalText,
  hash_arquivo: optionalText,
  /** 1 when the file carries signatures (and Assine Bem's receipt). */
  assinado: flag.nullish(),
});

export const partyStatusResponseSchema = apiStatusSchema.extend({
  id_externo: externalId,
  id_status: partyStatusId,
  descricao: optionalText,
});
export type PartyStatus = z.infer<typeof partyStatusResponseSchema>;

export const newAccessResponseSchema = z.object({ sucesso: flag });

export const signatureStatusResponseSchema = apiStatusSchema.extend({
  id_externo_parte: externalId,
  id_externo_documento: externalId,
  /** The signature's UUID; empty (or null) until the party signs. */
  identificador_assinatura: optionalText,
});
export type SignatureStatus = z.infer<typeof signatureStatusResponseSchema>;

/** An object that may come wrapped in its *Retorno envelope (`{ status_api, documento: {...} }`). */
const unwrapped = <S extends z.ZodType>(key: string, schema: S) =>
  z.preprocess((v) => {
    if (v !== null && typeof v === 'object' && key in v) {
      const inner = (v as Record<string, unknown>)[key];
      if (inner !== null && typeof inner === 'object') return inner;
    }
    return v;
  }, schema);

export const pendingSignatureSchema = z.object({
  id_externo_parte: externalId,
  id_externo_documento: externalId,
  /** Decision: the document's `< DocumentoRetorno >` here is the document itself; an envelope is unwrapped. */
  documento: unwrapped('documento', documentoSchema).optional(),
  parte: unwrapped('parte', parteSchema).optional(),
});
export type PendingSignature = z.infer<typeof pendingSignatureSchema>;

/** Decision: `offset_fim` is the offset of the next page (exclusive end). Callers page with `total_retornado`. */
export const pendingSignaturesResponseSchema = apiStatusSchema.extend({
  offset_ini: intLike,
  offset_fim: intLike,
  total: intLike,
  total_retornado: intLike,
  assinaturas_pendentes: listOrEmpty(pendingSignatureSchema),
});
export type PendingSignaturesPage = z.infer<typeof pendingSignaturesResponseSchema>;

export const modeloResumoSchema = z.object({
  id_externo: intLike,
  nome: z.string(),
  dt_criacao: optionalText,
  dt_alteracao: optionalText,
});
export type ModeloResumo = z.infer<typeof modeloResumoSchema>;

export const templatesResponseSchema = apiStatusSchema.extend({ modelos: listOrEmpty(modeloResumoSchema) });

/** Decision: ModeloRetorno is unpublished: the summary plus the fields to fill and the attachments it asks for. */
export const modeloCampoSchema = z.object({
  nome: z.string().min(1),
  descricao: optionalText,
  tipo: optionalText,
  obrigatorio: flag.nullish(),
});
export const modeloSchema = modeloResumoSchema.extend({
  campos: listOrEmpty(modeloCampoSchema),
  anexos: listOrEmpty(z.object({ descricao: z.string() })),
});
export type Modelo = z.infer<typeof modeloSchema>;

/** `{ status_api, mensagem, < ModeloRetorno > }`: the template's fields beside the status (or under `modelo`). */
export const templateResponseSchema = z.preprocess((v) => {
  if (v !== null && typeof v === 'object' && 'modelo' in v) {
    const { modelo, ...rest } = v as Record<string, unknown>;
    if (modelo !== null && typeof modelo === 'object') return { ...rest, ...modelo };
  }
  return v;
}, modeloSchema.extend(apiStatusSchema.shape));

/** AnexoRetorno. Decision: unpublished; one entry per attachment asked of a signer. */
export const anexoSchema = z.object({
  /** Null until the signer sends the file. */
  id_download: intLike.nullish(),
  id_externo_parte: externalId,
  descricao: optionalText,
  id_status_anexo: attachmentStatusId,
  descricao_status_anexo: optionalText,
  extensao: optionalText,
  dt_envio: optionalText,
});
export type Anexo = z.infer<typeof anexoSchema>;

export const attachmentsResponseSchema = apiStatusSchema.extend({
  documento: z
    .object({
      id_externo: externalId.nullish(),
      identificador_documento: optionalText,
      identificacao_arquivo: optionalText,
    })
    .nullish(),
  anexos: listOrEmpty(anexoSchema),
});
export type AttachmentsList = z.infer<typeof attachmentsResponseSchema>;

export const invalidateAttachmentResponseSchema = apiStatusSchema.extend({ reenviado: flag.nullish() });

export const centroCustoSchema = z.object({
  id_centro_custo: intLike,
  descricao: z.string(),
});
export type CentroCusto = z.infer<typeof centroCustoSchema>;

export const costCentresResponseSchema = apiStatusSchema.extend({
  centros_custo: listOrEmpty(centroCustoSchema),
});

export const signerUrlResponseSchema = apiStatusSchema.extend({
  url: z.url(),
  assinatura: flag,
  validacao: flag,
  /** Access token of the signing URL: treat as a secret (never log it). */
  token: optionalText,
  /** `dd/mm/yyyy hh:mi:ss`. */
  dt_expiracao_token: optionalText,
  id_externo_documento: externalId,
  id_externo_parte: externalId,
});
export type SignerUrl = z.infer<typeof signerUrlResponseSchema>;
