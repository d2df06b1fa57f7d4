/** Data Trust (ClearSale): the identity and fraud check that also sends the SMS token, and the token check. */
import { splitPhone } from '../providers/brazilian-formats';
import type { DataTrustClient, Transaction } from '../providers/datatrust';
import { dataTrustReference } from '../providers/idempotency';
import type { IdentityCheck, IdentityCheckRequest, SmsTokenCheck, SmsTokenCheckRequest } from './types';

export function identityActivities(datatrust: DataTrustClient) {
  return {
    /**
     * Creates the Data Trust transaction with SMS token sending, once per (workflow, attempt): a
     * transaction already created under the same reference (a retry after a lost answer) is reused,
     * so the applicant never gets a second SMS for the same attempt.
     */
    async startIdentityCheck({
      workflowId,
      attempt,
      applicant,
    }: IdentityCheckRequest): Promise<IdentityCheck> {
      const reference = dataTrustReference(workflowId, attempt);
      const existing = await datatrust.findTransactionByReference(applicant.cpf, reference);
      let transaction: Pick<Transaction, 'ID' | 'Results'> | undefined =
        existing?.ID !== undefined ? { ID: existing.ID, Results: existing.Results } : undefined;
      if (transaction === undefined) {
        const { areaCode, number } = splitPhone(applicant.phone);
        const { address } = applicant;
        transaction = await datatrust.sendTransaction({
          Document: applicant.cpf,
          DocumentType: 'CPF',
          AreaCode: areaCode,
          Phone: number,
          Email: applicant.email,
          SendOption: [1],
          Address: {
            ZipCode: address.zipCode,
            Street: address.street,
            Number: address.number,
            ...(address.complement ? { Complement: address.complement } : {}),
            District: address.district,
            City: address.city,
            State: address.state,
            Country: 'Brasil',
          },
          AdditionalInformation: { Transaction: reference },
          // Decision: type 1; type 2 (online) needs the device SessionID, which the onboarding input has not got.
          Type: 1,
        });
      }
      const results = transaction.Results ?? (await datatrust.getResult(transaction.ID));
      const score = results?.Score?.Value;
      if (score === undefined || score === null) {
        throw new Error(`Data Trust transaction ${transaction.ID} has no score yet`);
      }
      return {
        transactionId: transaction.ID,
        score,
        insightCodes: (results?.Insights ?? []).map((i) => i.Code),
        smsTokenSent: true,
      };
    },

    /**
     * The transaction a start for this (workflow, attempt) created, found by its reference and
     * creating nothing: to name it after a start whose answer was lost or garbled.
     */
    async findIdentityCheck({
      workflowId,
      attempt,
      applicant,
    }: IdentityCheckRequest): Promise<{ transactionId?: string }> {
      const reference = dataTrustReference(workflowId, attempt);
      const found = await datatrust.findTransactionByReference(applicant.cpf, reference);
      return found?.ID !== undefined ? { transactionId: found.ID } : {};
    },

    async readSmsTokenState({ transactionId }: { transactionId: string }): Promise<SmsTokenCheck> {
      const transaction = await datatrust.getTransaction(transactionId);
      return { result: transaction?.Results?.Validation?.TokenSMS?.Result ?? 'Waiting' };
    },

    async checkSmsToken({ transactionId, smsToken }: SmsTokenCheckRequest): Promise<SmsTokenCheck> {
      const { result } = await datatrust.validateSmsToken(transactionId, smsToken);
      return { result };
    },
  };
}
