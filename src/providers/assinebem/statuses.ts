/**
 * Status ids and their descriptions, as the simulator numbers and words them.
 *
 * Decision: the Assine Bem document names `id_documento_status` and the party's `id_status` but
 * publishes no table of their values; it only quotes the party statuses 'Não validado', 'Dados
 * inválidos' and 'válido'. The tables below are the simulator's reading; the client never acts on
 * these numbers: it reads the description's words and call 12 (see readings.ts).
 */

/** Status ids by name, and the description the provider gives each id. */
function statusTable<const T extends Record<string, { id: number; description: string }>>(table: T) {
  const entries = Object.entries(table);
  const ids = Object.fromEntries(entries.map(([name, status]) => [name, status.id]));
  const descriptions = Object.fromEntries(entries.map(([, status]) => [status.id, status.description]));
  return {
    ids: ids as { readonly [K in keyof T]: T[K]['id'] },
    descriptions: descriptions as Record<T[keyof T]['id'], string>,
  };
}

export const { ids: DOCUMENT_STATUS, descriptions: DOCUMENT_STATUS_DESCRIPTION } = statusTable({
  /** Uploaded, no party has signed yet. */
  PENDENTE: { id: 1, description: 'Pendente' },
  /** At least one party signed, others still pending. */
  EM_ASSINATURA: { id: 2, description: 'Em assinatura' },
  /** Every party that must sign has signed; the signed version can be downloaded. */
  ASSINADO: { id: 3, description: 'Assinado' },
  /** Invalidated through `documento/invalidar`: no further signatures. */
  INVALIDADO: { id: 4, description: 'Invalidado' },
  /** A party refused to sign: no further signatures. */
  RECUSADO: { id: 5, description: 'Recusado' },
});
export type DocumentStatusId = (typeof DOCUMENT_STATUS)[keyof typeof DOCUMENT_STATUS];

export const { ids: PARTY_STATUS, descriptions: PARTY_STATUS_DESCRIPTION } = statusTable({
  /** Registered; the party has not validated its data yet. Its data can still be updated. */
  NAO_VALIDADO: { id: 1, description: 'Não validado' },
  /** The registered data is incomplete or malformed. Its data can still be updated. */
  DADOS_INVALIDOS: { id: 2, description: 'Dados inválidos' },
  /** The party validated its data (signing implies validation). Its data can no longer be updated. */
  VALIDO: { id: 3, description: 'Válido' },
});
export type PartyStatusId = (typeof PARTY_STATUS)[keyof typeof PARTY_STATUS];

/** Decision: attachment (anexo) statuses, likewise undocumented. */
export const { ids: ATTACHMENT_STATUS, descriptions: ATTACHMENT_STATUS_DESCRIPTION } = statusTable({
  /** Configured for the signer, not sent yet (no `id_download`). */
  AGUARDANDO_ENVIO: { id: 0, description: 'Aguardando envio' },
  /** Sent by the signer, waiting for the requester's approval. */
  PENDENTE: { id: 1, description: 'Pendente' },
  APROVADO: { id: 2, description: 'Aprovado' },
  INVALIDO: { id: 3, description: 'Inválido' },
});
export type AttachmentStatusId = (typeof ATTACHMENT_STATUS)[keyof typeof ATTACHMENT_STATUS];

/** Documents in these statuses accept no further signatures or parties. */
export const isFinalDocumentStatus = (id: DocumentStatusId): boolean =>
  id === DOCUMENT_STATUS.ASSINADO || id === DOCUMENT_STATUS.INVALIDADO || id === DOCUMENT_STATUS.RECUSADO;

/** Decision: actions (`acoes`, table parte_acoes is not published); the default is to sign and view. */
export const PARTY_ACTIONS = ['ASSINAR', 'VISUALIZAR'] as const;
export const SIGN_ACTION = 'ASSINAR';
