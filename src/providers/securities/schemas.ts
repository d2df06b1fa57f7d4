/**
 * Clicksign Securities API v1: the contract, as docs/providers/securities.md reads its
 * documents (status codes, auth, endpoints). Responses are validated strictly on ids, keys and
 * statuses, loosely on the rest (the API adds fields over time).
 */
import { z } from 'zod';

const id = z.union([z.string().min(1), z.number().int().transform(String)]);
const text = z.string().nullish();
const timestamp = z.string().nullish();

export const pageInfoSchema = z.object({
  total_pages: z.number().int().nonnegative(),
  current_page: z.number().int().nonnegative(),
  next_page: z.number().int().nullish(),
  prev_page: z.number().int().nullish(),
  'first_page?': z.boolean().nullish(),
  'last_page?': z.boolean().nullish(),
});
export type PageInfo = z.infer<typeof pageInfoSchema>;

const page = <K extends string, S extends z.ZodType>(key: K, item: S) =>
  z.object({ [key]: z.array(item), page_infos: pageInfoSchema } as { [P in K]: z.ZodArray<S> } & {
    page_infos: typeof pageInfoSchema;
  });

// ---------------------------------------------------------------------------------------------
// Documents

/**
 * Document status: `created` at first, `validated` once signed by everyone (reference).
 * Decision: the reference names only those two; `refused` (a signer refused) and `canceled` are
 * accepted as the states a document can also end in, and any other value is kept as text rather
 * than failing the call, since the workflow only acts on `validated` and `refused`.
 */
export const documentStatusSchema = z.string().min(1);
export const DOCUMENT_VALIDATED = 'validated';
export const DOCUMENT_REFUSED = 'refused';
export const DOCUMENT_CANCELED = 'canceled';

export const documentSchema = z.object({
  id,
  key: z.string().min(1),
  status: documentStatusSchema,
  created_at: timestamp,
  updated_at: timestamp,
  /** Checked as a URL where it is used (the rendered PDF a signing provider fetches), not here. */
  file: z.object({ url: z.string().min(1) }).nullish(),
});
export type SecuritiesDocument = z.infer<typeof documentSchema>;
export const documentResponseSchema = z.object({ document: documentSchema });

// ---------------------------------------------------------------------------------------------
// Proposals

/** The `document_data` fields of a personal-credit CCB (reference); the template may use more. */
export const documentDataSchema = z
  .object({
    number: z.string().optional(),
    issuer_full_name: z.string().optional(),
    issuer_full_address: z.string().optional(),
    issuer_cpf: z.string().optional(),
    issuer_rg: z.string().optional(),
    issuer_cnh: z.string().optional(),
    issuer_email: z.string().optional(),
    guarantor_full_name: z.string().optional(),
    guarantor_cpf: z.string().optional(),
    guarantor_rg: z.string().optional(),
    guarantor_full_address: z.string().optional(),
    financed_amount: z.string().optional(),
    bank_name: z.string().optional(),
    bank_agency_number: z.string().optional(),
    bank_account_number: z.string().optional(),
    disbursed_amount: z.string().optional(),
    tac: z.string().optional(),
    pmt: z.string().optional(),
    maturity: z.string().optional(),
    ccb_registration_fee: z.string().optional(),
    first_installment_due_date: z.string().optional(),
    last_installment_due_date: z.string().optional(),
    iof: z.string().optional(),
    commercial_yearly_interest_rate: z.string().optional(),
    commercial_monthly_interest_rate: z.string().optional(),
    cet_yearly_rate: z.string().optional(),
    cet_monthly_rate: z.string().optional(),
  })
  .catchall(z.unknown());
export type DocumentData = z.infer<typeof documentDataSchema>;

export const createProposalSchema = z.object({
  number: z.string().min(1),
  issuer_full_name: z.string().min(1),
  /** CPF, formatted or not. */
  issuer_document: z.string().min(11),
  installments: z.number().int().positive(),
  template_key: z.uuid(),
  document_data: documentDataSchema,
});
export type CreateProposal = z.infer<typeof createProposalSchema>;

export const proposalSchema = z.object({
  id,
  number: z.string().min(1),
  issuer_full_name: text,
  issuer_document: text,
  installments: z.number().int().nullish(),
  created_at: timestamp,
  updated_at: timestamp,
  document_data: z.record(z.string(), z.unknown()).nullish(),
  documents: z.array(documentSchema).default([]),
  url: z.string().nullish(),
});
export type Proposal = z.infer<typeof proposalSchema>;
export const proposalResponseSchema = z.object({ proposal: proposalSchema });
export const proposalPageSchema = page('proposals', proposalSchema);
export type ProposalPage = z.infer<typeof proposalPageSchema>;

// ---------------------------------------------------------------------------------------------
// Signers and lists

export const signerAuths = ['email', 'api', 'tokenless', 'icp_brasil'] as const;
export const signAs = [
  'sign',
  'party',
  'witness',
  'contractor',
  'contractee',
  'guarantor',
  'endorser',
  'intervening',
] as const;

export const createSignerSchema = z
  .object({
    full_name: z.string().min(1),
    has_documentation: z.boolean().default(true),
    documentation: z.string().optional(),
    /** yyyy-mm-dd. */
    birthday: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be yyyy-mm-dd')
      .optional(),
    email: z.email().optional(),
    phone_number: z.string().min(8),
    auth: z.enum(signerAuths),
    communicate_by: z.literal('email'),
    // Decision: the reference lists sign_as values with "..."; the known ones are typed, others pass as text.
    sign_as: z.union([z.enum(signAs), z.string().min(1)]),
    selfie_enabled: z.boolean().optional(),
    handwritten_enabled: z.boolean().optional(),
    official_document_enabled: z.boolean().optional(),
    liveness_enabled: z.boolean().optional(),
    facial_biometrics_enabled: z.boolean().optional(),
  })
  .superRefine((s, ctx) => {
    if (s.has_documentation && s.documentation === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['documentation'],
        message: 'is required when has_documentation is true',
      });
    }
    if (s.auth === 'email' && s.email === undefined) {
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'is required when auth is email' });
    }
    if (s.auth === 'icp_brasil' && s.facial_biometrics_enabled) {
      ctx.addIssue({
        code: 'custom',
        path: ['facial_biometrics_enabled'],
        message: 'is not allowed with icp_brasil',
      });
    }
  });
export type CreateSigner = z.input<typeof createSignerSchema>;

export const listSchema = z.object({
  id,
  signer_id: id,
  document_id: id,
  key: z.string().nullish(),
  batch_key: z.string().nullish(),
  request_signature_key: z.string().nullish(),
  signed: z.boolean(),
  sign_as: text,
  created_at: timestamp,
  updated_at: timestamp,
  url: z.string().nullish(),
  /** Decision: not in the reference; the simulator marks a refusal here (absent = not refused). */
  refused: z.boolean().nullish(),
});
export type SignerList = z.infer<typeof listSchema>;
export const listResponseSchema = z.object({ list: listSchema });
export const listPageSchema = page('lists', listSchema);

export const createListSchema = z.object({
  signer_id: z.union([z.string().min(1), z.number().int()]),
  document_id: z.union([z.string().min(1), z.number().int()]),
  sign_as: z.string().min(1).default('sign'),
  group: z.number().int().optional(),
  message: z.string().optional(),
  refusable: z.boolean().optional(),
});
export type CreateList = z.input<typeof createListSchema>;

export const signerSchema = z.object({
  id,
  full_name: text,
  documentation: text,
  birthday: text,
  email: text,
  phone_number: text,
  auth: text,
  communicate_by: text,
  key: z.string().min(1),
  sign_as: text,
  created_at: timestamp,
  updated_at: timestamp,
  lists: z.array(listSchema).nullish(),
});
export type Signer = z.infer<typeof signerSchema>;
export const signerResponseSchema = z.object({ signer: signerSchema });
export const signerPageSchema = page('signers', signerSchema);

// ---------------------------------------------------------------------------------------------
// Bank credit notes (CCBs)

/**
 * Accepted `signature_provider` values for a CCB signed elsewhere. Decision: the reference lists
 * these and ends with "..."; the known ones are an enum so a typo fails before the call, and Signio
 * (not on the list) cannot be sent at all.
 */
export const externalSignatureProviders = [
  'assinebem',
  'docusign',
  'd4sign',
  'zapsign',
  'govbr',
  'unico',
  'autentique',
  'certisign',
] as const;
export const externalSignatureProviderSchema = z.enum(externalSignatureProviders);
export type ExternalSignatureProvider = z.infer<typeof externalSignatureProviderSchema>;

export const createBankCreditNoteFieldsSchema = z.object({
  signed: z.boolean(),
  signature_provider: externalSignatureProviderSchema,
  number: z.string().min(1),
  issuer_full_name: z.string().min(1),
  issuer_document: z.string().min(11),
  installments: z.number().int().positive(),
  document_data: documentDataSchema,
});
export type CreateBankCreditNoteFields = z.infer<typeof createBankCreditNoteFieldsSchema>;

/**
 * A CCB registered in Securities. Only `id` is relied on; the rest is read if it is well formed and
 * dropped otherwise, so an odd cosmetic field never turns an already registered CCB into a failure.
 */
const cosmetic = <S extends z.ZodType>(schema: S) => schema.optional().catch(undefined);
export const bankCreditNoteSchema = z.object({
  id,
  number: cosmetic(z.string()),
  issuer_full_name: cosmetic(text),
  issuer_document: cosmetic(text),
  installments: cosmetic(z.number().int().nullish()),
  signed: cosmetic(z.boolean().nullish()),
  signature_provider: cosmetic(text),
  created_at: cosmetic(timestamp),
  updated_at: cosmetic(timestamp),
  documents: z.array(documentSchema).catch([]).default([]),
  url: cosmetic(z.string().nullish()),
});
export type BankCreditNote = z.infer<typeof bankCreditNoteSchema>;
export const bankCreditNoteResponseSchema = z.object({ bank_credit_note: bankCreditNoteSchema });
export const bankCreditNotePageSchema = page('bank_credit_notes', bankCreditNoteSchema);

/**
 * Error body. Decision: the seeds document the statuses but not the body; a 422 is read as Rails'
 * `{ errors: { field: [messages] } }` or `{ errors: [messages] }`, anything else as `{ message }`.
 */
export const errorBodySchema = z.object({
  errors: z.union([z.record(z.string(), z.array(z.string())), z.array(z.string())]).optional(),
  message: z.string().optional(),
  error: z.string().optional(),
});
