/**
 * Status ids shared by the client and the simulator.
 *
 * Decision: the Assine Bem document names `id_documento_status` and the party's `id_status` but
 * publishes no table of their values; it only quotes the party statuses 'Não validado', 'Dados
 * inválidos' and 'válido'. The tables below are the simulator's reading (`ours`) and the words
 * the client looks for; the client never acts on a number alone (see readings.ts).
 */

export const DOCUMENT_STATUS = {
  /** Uploaded, no party has signed yet. */
  PENDENTE: 1,
  /** At least one party signed, others still pending. */
  EM_ASSINATURA: 2,
  /** Every party that must sign has signed; the signed version can be downloaded. */
  ASSINADO: 3,
  /** Invalidated through `documento/invalidar`: no further signatures. */
  INVALIDADO: 4,
  /** A party refused to sign: no further signatures. */
  RECUSADO: 5,
} as const;
export type DocumentStatusId = (typeof DOCUMENT_STATUS)[keyof typeof DOCUMENT_STATUS];

export const DOCUMENT_STATUS_DESCRIPTION: Record<DocumentStatusId, string> = {
  1: 'Pendente',
  2: 'Em assinatura',
  3: 'Assinado',
  4: 'Invalidado',
  5: 'Recusado',
};

export const PARTY_STATUS = {
  /** Registered; the party has not validated its data yet. Its data can still be updated. */
  NAO_VALIDADO: 1,
  /** The registered data is incomplete or malformed. Its data can still be updated. */
  DADOS_INVALIDOS: 2,
  /** The party validated its data (signing implies validation). Its data can no longer be updated. */
  VALIDO: 3,
} as const;
export type PartyStatusId = (typeof PARTY_STATUS)[keyof typeof PARTY_STATUS];

export const PARTY_STATUS_DESCRIPTION: Record<PartyStatusId, string> = {
  1: 'Não validado',
  2: 'Dados inválidos',
  3: 'Válido',
};

/** Decision: attachment (anexo) statuses, likewise undocumented. */
export const ATTACHMENT_STATUS = {
  /** Configured for the signer, not sent yet (no `id_download`). */
  AGUARDANDO_ENVIO: 0,
  /** Sent by the signer, waiting for the requester's approval. */
  PENDENTE: 1,
  APROVADO: 2,
  INVALIDO: 3,
} as const;
export type AttachmentStatusId = (typeof ATTACHMENT_STATUS)[keyof typeof ATTACHMENT_STATUS];

export const ATTACHMENT_STATUS_DESCRIPTION: Record<AttachmentStatusId, string> = {
  0: 'Aguardando envio',
  1: 'Pendente',
  2: 'Aprovado',
  3: 'Inválido',
};

/** Documents in these statuses accept no further signatures or parties. */
export const isFinalDocumentStatus = (id: DocumentStatusId): boolean =>
  id === DOCUMENT_STATUS.ASSINADO || id === DOCUMENT_STATUS.INVALIDADO || id === DOCUMENT_STATUS.RECUSADO;

/** Decision: actions (`acoes`, table parte_acoes is not published); the default is to sign and view. */
export const PARTY_ACTIONS = ['ASSINAR', 'VISUALIZAR'] as const;
export const SIGN_ACTION = 'ASSINAR';
