/**
 * ClearSale Data Trust's contract (docs/providers/datatrust.md: the "Data Trust" document, updated 2023-04-11).
 *
 * Request schemas are strict: they describe what this client sends and are checked before anything
 * goes out. Response schemas are tolerant where the document itself is loose: its examples spell the
 * same field `ID`/`id`, `Results`/`Result`, `SMSVerification`/`SmsVerification`, `TokenSMS.result`/
 * `Result`, and fill whole objects with `null` in search results. Ids and token states stay strict.
 */
import { z } from 'zod';
import { listOrEmpty, textLike } from '../tolerant-schemas';

// ---------------------------------------------------------------------------------------------
// Tolerant building blocks
// ---------------------------------------------------------------------------------------------

/** A number the provider may send as a JSON number or as a numeric string. */
const looseNumber = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
const looseInt = looseNumber.pipe(z.number().int());
const looseBoolean = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const optionalText = z.string().nullish();

/**
 * An object whose keys are matched case-insensitively (and through `aliases`) to the canonical names
 * of `shape`, which are the names of the document's variable dictionary.
 */
function caseInsensitiveObject<T extends z.ZodRawShape>(
  shape: T,
  aliases: Record<string, keyof T & string> = {},
) {
  const canonical = new Map<string, string>(Object.keys(shape).map((k) => [k.toLowerCase(), k]));
  for (const [alias, key] of Object.entries(aliases)) canonical.set(alias.toLowerCase(), key);
  return z.preprocess((input) => {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      const target = canonical.get(key.toLowerCase()) ?? key;
      if (out[target] === undefined || out[target] === null) out[target] = value;
    }
    return out;
  }, z.object(shape));
}

// ---------------------------------------------------------------------------------------------
// Authentication
// ---------------------------------------------------------------------------------------------

export const authenticationRequestSchema = z.object({
  Username: z.string().min(1),
  Password: z.string().min(1),
});
export type AuthenticationRequest = z.infer<typeof authenticationRequestSchema>;

// Decision: the document stores the token in "2048 characters"; that is a storage hint, not a length
// this client enforces. `expiresInSeconds` is shown as a string placeholder, so numeric strings pass.
export const authenticationResponseSchema = caseInsensitiveObject({
  token: z.string().min(1),
  expiresInSeconds: looseNumber.pipe(z.number().positive()),
});
export type AuthenticationResponse = z.infer<typeof authenticationResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Transaction: request
// ---------------------------------------------------------------------------------------------

/** SendOption: 1 Token SMS, 2 Token Email, 3 2º fator HotPhone, 4 2º fator HotEmail. */
export const sendOptions = {
  tokenSms: 1,
  tokenEmail: 2,
  twoFactorHotPhone: 3,
  twoFactorHotEmail: 4,
} as const;
export const sendOptionSchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
export type SendOption = z.infer<typeof sendOptionSchema>;

/** Type: 1 presencial, 2 online (online requires SessionID, the device fingerprint). */
export const transactionTypeSchema = z.union([z.literal(1), z.literal(2)]);

export const addressRequestSchema = z.object({
  ZipCode: z
    .string()
    .regex(/^\d{5}-?\d{3}$/)
    .optional(),
  Street: z.string().min(1).optional(),
  Number: z.string().min(1).optional(),
  Complement: z.string().optional(),
  District: z.string().optional(),
  City: z.string().optional(),
  State: z.string().optional(),
  Country: z.string().optional(),
  PhysicalDelivery: z.boolean().optional(),
});

export const additionalInformationRequestSchema = z.object({
  /** The integrator's own code for the transaction (at most 30 characters). */
  Transaction: z.string().min(1).max(30).optional(),
  Item: z.string().max(30).optional(),
  Price: z.string().optional(),
  CustomerName: z.string().max(200).optional(),
  Other: z.string().optional(),
});

export const sendTransactionRequestSchema = z
  .object({
    // Decision: only CPF (11 digits) is documented ("Document ... Tamanho 11"), so only CPF is sent.
    Document: z.string().regex(/^\d{11}$/, 'must be the 11 digits of a CPF'),
    DocumentType: z.literal('CPF'),
    AreaCode: z
      .string()
      .regex(/^\d{2}$/, 'must be the 2-digit DDD')
      .optional(),
    Phone: z
      .string()
      .regex(/^\d{8,9}$/, 'must be 8 or 9 digits without the DDD')
      .optional(),
    SendOption: z.array(sendOptionSchema).optional(),
    VerifiedPhone: z.boolean().optional(),
    VerifiedEmail: z.boolean().optional(),
    Address: addressRequestSchema.optional(),
    Email: z.email().max(320).optional(),
    SessionID: z.string().min(1).optional(),
    AdditionalInformation: additionalInformationRequestSchema.optional(),
    Type: transactionTypeSchema,
    ReferenceDate: z.string().min(1).optional(),
  })
  .superRefine((t, ctx) => {
    if (t.Phone !== undefined && t.AreaCode === undefined)
      ctx.addIssue({ code: 'custom', path: ['AreaCode'], message: 'is required when Phone is sent' });
    if (t.AreaCode !== undefined && t.Phone === undefined)
      ctx.addIssue({ code: 'custom', path: ['Phone'], message: 'is required because AreaCode has a value' });
    if (t.Type === 2 && t.SessionID === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['SessionID'],
        message: 'is required for online transactions (Type 2)',
      });
    // Decision: tokens go to the phone and e-mail sent with the transaction, so options 1 and 2 need
    // them; the 2nd-factor options (3, 4) go to ClearSale's HotPhone/HotEmail and need neither.
    const options = t.SendOption ?? [];
    if (options.includes(1) && t.Phone === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['Phone'],
        message: 'is required to send an SMS token (SendOption 1)',
      });
    if (options.includes(2) && t.Email === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['Email'],
        message: 'is required to send an e-mail token (SendOption 2)',
      });
  });
export type SendTransactionRequest = z.input<typeof sendTransactionRequestSchema>;

// ---------------------------------------------------------------------------------------------
// Transaction: response
// ---------------------------------------------------------------------------------------------

/** The documented SMS token states. */
export const tokenStates = ['Waiting', 'Valid', 'Incorrect', 'Invalid', 'Expired'] as const;
export type TokenState = (typeof tokenStates)[number];

// Decision: the document spells `Incorrect` as `Incorret` in its transaction examples; both are read as
// `Incorrect`. Any other value is a contract error: the workflow's decisions depend on this state.
const normalizeTokenState = (v: unknown) => (v === 'Incorret' ? 'Incorrect' : v);
export const tokenStateSchema = z.preprocess(normalizeTokenState, z.enum(tokenStates));

const timelineEntrySchema = caseInsensitiveObject({
  Value: looseNumber,
  Reason: optionalText,
  Date: optionalText,
});

// Decision: the score is 0-100 with decimals (examples 90.99 and 80.851552438230939); not clamped here.
export const scoreSchema = caseInsensitiveObject({
  Value: looseNumber,
  Reason: optionalText,
  Date: optionalText,
  Timeline: z.array(timelineEntrySchema).nullish(),
});

export const ratingSchema = caseInsensitiveObject({
  Value: looseInt,
  RelatedTo: z.array(z.string()).nullish(),
  Reason: optionalText,
  Date: optionalText,
  Timeline: z.array(timelineEntrySchema).nullish(),
});

export const insightSchema = caseInsensitiveObject({
  Code: z.string().min(1),
  Description: optionalText,
  /** "consulta" or "retorno" in the dictionary; the search examples say "CPF". */
  Type: optionalText,
  Category: optionalText,
  /** Positivo, Neutro or Alerta in the examples; kept as text (the full list is a separate XLSX). */
  Relevance: optionalText,
  RelatedTo: z.array(z.string()).nullish(),
});

const messageSchema = caseInsensitiveObject({ Text: optionalText, Date: optionalText });

export const smsVerificationSchema = caseInsensitiveObject({
  Sent: messageSchema.nullish(),
  Replied: messageSchema.nullish(),
  /** True when the SMS was not sent because the phone is the HotPhone (conditional sending). */
  ConditionalRule: looseBoolean.nullish(),
});

export const emailVerificationSchema = caseInsensitiveObject({
  Sent: messageSchema.nullish(),
  Replied: messageSchema.nullish(),
});

export const tokenSmsSchema = caseInsensitiveObject({ Result: tokenStateSchema, Date: optionalText });
// Decision: the e-mail token is documented as Waiting|Valid|Expired; the SMS token's superset is accepted.
export const tokenEmailSchema = caseInsensitiveObject({ Result: tokenStateSchema, Date: optionalText });

export const validationSchema = caseInsensitiveObject({
  SMSVerification: smsVerificationSchema.nullish(),
  EmailVerification: emailVerificationSchema.nullish(),
  TokenSMS: tokenSmsSchema.nullish(),
  TokenEmail: tokenEmailSchema.nullish(),
});

export const resultsSchema = caseInsensitiveObject({
  Score: scoreSchema.nullish(),
  Validation: validationSchema.nullish(),
  Ratings: z.array(ratingSchema).nullish(),
  Insights: z.array(insightSchema).nullish(),
});
export type TransactionResults = z.infer<typeof resultsSchema>;

const addressSchema = caseInsensitiveObject({
  ZipCode: textLike.nullish(),
  Street: optionalText,
  Number: textLike.nullish(),
  Complement: optionalText,
  District: optionalText,
  City: optionalText,
  State: optionalText,
  Country: optionalText,
  PhysicalDelivery: looseBoolean.nullish(),
});

const additionalInformationSchema = caseInsensitiveObject({
  Transaction: optionalText,
  Item: optionalText,
  Price: textLike.nullish(),
  CustomerName: optionalText,
  Other: optionalText,
});

const transactionShape = {
  Document: optionalText,
  DocumentType: optionalText,
  AreaCode: textLike.nullish(),
  Phone: textLike.nullish(),
  SendOption: z.array(looseInt).nullish(),
  VerifiedPhone: looseBoolean.nullish(),
  VerifiedEmail: looseBoolean.nullish(),
  Address: addressSchema.nullish(),
  Email: optionalText,
  SessionID: optionalText,
  AdditionalInformation: additionalInformationSchema.nullish(),
  Type: looseInt.nullish(),
  CreationDate: optionalText,
  ReferenceDate: optionalText,
  Results: resultsSchema.nullish(),
};

/** A transaction as sent back by the send and individual query calls. */
export const transactionSchema = caseInsensitiveObject(
  { ID: z.string().min(1), ...transactionShape },
  // The search examples name the results `Result`.
  { Result: 'Results' },
);
export type Transaction = z.infer<typeof transactionSchema>;

/** A transaction in search results: `fields` may leave any field out, the id included. */
export const searchedTransactionSchema = caseInsensitiveObject(
  { ID: z.string().min(1).optional(), ...transactionShape },
  { Result: 'Results' },
);
export type SearchedTransaction = z.infer<typeof searchedTransactionSchema>;

// ---------------------------------------------------------------------------------------------
// Searches
// ---------------------------------------------------------------------------------------------

/** Transaction fields a search may ask for (`fields=transaction:...`). */
export const transactionFields = [
  'id',
  'document',
  'documenttype',
  'areacode',
  'phone',
  'sendoption',
  'verifiedphone',
  'verifiedemail',
  'address',
  'email',
  'sessionid',
  'additionalinformation',
  'type',
  'creationdate',
  'referencedate',
  'user',
] as const;
/** Result fields a search may ask for (`fields=result:...`). */
export const resultFields = ['score', 'validation', 'ratings', 'insights'] as const;

export const searchFieldsSchema = z
  .object({
    transaction: z.array(z.enum(transactionFields)).min(1).optional(),
    result: z.array(z.enum(resultFields)).min(1).optional(),
  })
  .refine((f) => f.transaction !== undefined || f.result !== undefined, {
    message: 'must ask for at least one transaction or result field',
  });
export type SearchFields = z.infer<typeof searchFieldsSchema>;

/** `{transaction:[document,phone], result:[score]}` → `transaction:document,phone;result:score;` */
export function formatSearchFields(fields: SearchFields): string {
  let out = '';
  if (fields.transaction) out += `transaction:${fields.transaction.join(',')};`;
  if (fields.result) out += `result:${fields.result.join(',')};`;
  return out;
}

/** The most transactions one page (`limit`) or one id list (`idsList`) may hold. */
export const MAX_PAGE_SIZE = 50;

const pagingShape = {
  /** 1-based page number. */
  page: z.number().int().min(1),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
  fields: searchFieldsSchema.optional(),
};

export const searchParameters = ['document', 'phone', 'email', 'zipcode'] as const;
export type SearchParameter = (typeof searchParameters)[number];

export const searchByParameterRequestSchema = z.object({
  parameter: z.enum(searchParameters),
  value: z.string().trim().min(1),
  ...pagingShape,
});
export type SearchByParameterRequest = z.input<typeof searchByParameterRequestSchema>;

export const searchByUserRequestSchema = z.object({
  userId: z.number().int().positive(),
  ...pagingShape,
});
export type SearchByUserRequest = z.input<typeof searchByUserRequestSchema>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as yyyy-MM-dd');
export const searchByPeriodRequestSchema = z
  .object({ startDate: isoDate, endDate: isoDate, ...pagingShape })
  .refine((r) => r.startDate <= r.endDate, { path: ['endDate'], message: 'must not be before startDate' });
export type SearchByPeriodRequest = z.input<typeof searchByPeriodRequestSchema>;

export const searchByIdsRequestSchema = z.object({
  idsList: z
    .array(
      z
        .string()
        .min(1)
        .regex(/^[^,]+$/, 'an id must not contain a comma'),
    )
    .min(1)
    .max(MAX_PAGE_SIZE),
  fields: searchFieldsSchema.optional(),
});
export type SearchByIdsRequest = z.input<typeof searchByIdsRequestSchema>;

export const searchPageSchema = caseInsensitiveObject({
  /** The current page. */
  location: looseInt,
  totalPages: looseInt,
  totalTransactions: looseInt,
  Transactions: listOrEmpty(searchedTransactionSchema),
});
export type SearchPage = z.infer<typeof searchPageSchema>;

export const idsListResultSchema = caseInsensitiveObject({
  Transactions: listOrEmpty(searchedTransactionSchema),
});

// ---------------------------------------------------------------------------------------------
// SMS token validation
// ---------------------------------------------------------------------------------------------

// Decision: the document does not say what a token looks like; anything 1-32 characters is sent.
export const smsTokenSchema = z.string().trim().min(1).max(32);

export const tokenValidationSchema = caseInsensitiveObject({
  result: z.preprocess(normalizeTokenState, z.enum(['Valid', 'Incorrect', 'Invalid', 'Expired'])),
  date: optionalText,
});
export type TokenValidation = z.infer<typeof tokenValidationSchema>;

// ---------------------------------------------------------------------------------------------
// Configuration: SMS text and conditional sending
// ---------------------------------------------------------------------------------------------

/** SmsTypeId: 2 the 2nd-factor SMS, 3 the answer to "yes", 4 the answer to "no". */
export const smsTypeIdSchema = z.union([z.literal(2), z.literal(3), z.literal(4)]);
export type SmsTypeId = z.infer<typeof smsTypeIdSchema>;
export const MAX_SMS_TEXT_LENGTH = 160;

export const smsConfigurationRequestSchema = z.object({
  Text: z.string().min(1).max(MAX_SMS_TEXT_LENGTH),
  Active: z.boolean().optional(),
  SmsTypeId: smsTypeIdSchema,
});
export type SmsConfigurationRequest = z.input<typeof smsConfigurationRequestSchema>;

export const smsConfigurationSchema = caseInsensitiveObject({
  Text: z.string(),
  Active: looseBoolean.nullish().transform((a) => a ?? true),
  SmsTypeId: looseInt,
});
export type SmsConfiguration = z.infer<typeof smsConfigurationSchema>;

export const entityConfigurationSchema = caseInsensitiveObject({
  creationDate: optionalText,
  conditionalSmsSending: looseBoolean,
});
export type EntityConfiguration = z.infer<typeof entityConfigurationSchema>;

// ---------------------------------------------------------------------------------------------
// Webhook
// ---------------------------------------------------------------------------------------------

/** TypeId of a webhook notification (bit flags in the document's table). */
export const webhookTypeIds = { tokenSms: 1, tokenEmail: 2, twoFactorSms: 4, twoFactorEmail: 8 } as const;

// Decision: `Code` is the Data Trust transaction id (what the query call takes); the notification
// carries no data, the receiver fetches the transaction. Unknown TypeIds are accepted (a new
// notification type must not make the receiver drop the call).
export const webhookNotificationSchema = caseInsensitiveObject({
  Code: z.string().min(1),
  TypeId: looseInt,
  Description: optionalText,
  Date: optionalText,
});
export type WebhookNotification = z.infer<typeof webhookNotificationSchema>;
