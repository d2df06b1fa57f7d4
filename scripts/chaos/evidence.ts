/**
 * What a kept chaos run writes of the providers' objects (provider-objects.json): the simulators'
 * states reduced to the keys that hold ids, references, states and times, never personal data.
 */
const EVIDENCE_KEYS = new Set(
  (
    'counts transactions sms proposals documents signers lists bankCreditNotes identifiers links contacts ' +
    'signatures lista_partes AdditionalInformation Transaction ID id key number status used ' +
    'identifier id_externo id_externo_documento identificador_documento ' +
    'identificacao_arquivo id_documento_status identificador_assinatura dt_criacao ' +
    'dt_assinatura external_id estado deleted document_id signer_id signed refused ' +
    'transactionId sentAt createdAt updatedAt created_at updated_at CreationDate'
  ).split(' '),
);

/** The providers' states reduced to ids, references, states and times, for a kept run's folder. */
export function evidence(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(evidence);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => EVIDENCE_KEYS.has(k))
      .map(([k, v]) => [k, evidence(v)]),
  );
}
