/** The document's own examples against the schemas, and the webhook authorization check. */
import { describe, expect, it } from 'vitest';
import {
  authenticationResponseSchema,
  entityConfigurationSchema,
  formatSearchFields,
  idsListResultSchema,
  readDataTrustError,
  resultsSchema,
  searchPageSchema,
  sendTransactionRequestSchema,
  smsConfigurationRequestSchema,
  smsConfigurationSchema,
  tokenValidationSchema,
  transactionSchema,
  verifyWebhookAuthorization,
  webhookNotificationSchema,
} from '../../src/providers/datatrust';
import * as examples from '../fixtures/documents/datatrust';

const issuePaths = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) =>
  result.error?.issues.map((i) => i.path.join('.')) ?? [];

/** The transaction example with its placeholder token states replaced by one concrete state. */
const withTokenStates = (sms: string, email: string) => ({
  ...examples.transactionResponseExample,
  Results: {
    ...examples.resultsExample,
    Validation: {
      ...examples.resultsExample.Validation,
      TokenSMS: { result: sms, Date: '2018-06-05T12:45:00.000' },
      TokenEmail: { result: email, Date: '2018-06-05T12:45:00.000' },
    },
  },
});

describe('documented examples', () => {
  it('the transaction example carries placeholders where the token states go; everything else parses', () => {
    const parsed = transactionSchema.safeParse(examples.transactionResponseExample);
    expect(issuePaths(parsed)).toEqual([
      'Results.Validation.TokenSMS.Result',
      'Results.Validation.TokenEmail.Result',
    ]);
    expect(issuePaths(resultsSchema.safeParse(examples.resultsExample))).toEqual([
      'Validation.TokenSMS.Result',
      'Validation.TokenEmail.Result',
    ]);
  });

  it('reads the transaction example with each documented state, the "Incorret" spelling included', () => {
    for (const state of ['Waiting', 'Valid', 'Incorrect', 'Invalid', 'Expired']) {
      const t = transactionSchema.parse(withTokenStates(state, 'Waiting'));
      expect(t.Results?.Validation?.TokenSMS?.Result).toBe(state);
    }
    const t = transactionSchema.parse(withTokenStates('Incorret', 'Valid'));
    expect(t.Results?.Validation?.TokenSMS?.Result).toBe('Incorrect');
    expect(t).toMatchObject({
      ID: 'teste01',
      Document: '12345678912',
      Results: {
        Score: { Value: 90.99, Timeline: [{ Value: 80 }, { Value: 55.5 }] },
        Validation: { SMSVerification: { Replied: { Text: '1) SIM' }, ConditionalRule: null } },
      },
    });
    expect(t.Results?.Ratings).toHaveLength(3);
    expect(t.Results?.Insights?.map((i) => i.Relevance)).toEqual(['Positivo', 'Neutro', 'Alerta']);
  });

  it('reads the search examples with their other spelling (id, Result, SmsVerification, TokenSms)', () => {
    const page = searchPageSchema.parse(examples.searchPageResponseExample);
    expect(page).toMatchObject({ location: 1, totalPages: 10, totalTransactions: 195 });
    expect(page.Transactions.map((t) => t.ID)).toEqual(['teste01', 'teste02']);
    const [first] = page.Transactions;
    expect(first?.Results?.Score?.Value).toBeCloseTo(80.85155, 4);
    expect(first?.Results?.Validation).toEqual({
      SMSVerification: null,
      EmailVerification: null,
      TokenSMS: null,
      TokenEmail: null,
    });
    expect(first?.Address).toBeNull();
    const list = idsListResultSchema.parse(examples.idsListResponseExample);
    expect(list.Transactions).toHaveLength(2);
  });

  it('authentication: the placeholder expiry is rejected, a number or numeric string is read', () => {
    expect(
      issuePaths(authenticationResponseSchema.safeParse(examples.authenticationResponseExample)),
    ).toEqual(['expiresInSeconds']);
    const concrete = { ...examples.authenticationResponseExample, expiresInSeconds: '3600' };
    expect(authenticationResponseSchema.parse(concrete).expiresInSeconds).toBe(3600);
    expect(authenticationResponseSchema.parse({ token: 't', expiresInSeconds: 1800 }).expiresInSeconds).toBe(
      1800,
    );
  });

  it('token validation: the placeholder is rejected, each documented answer is read', () => {
    expect(issuePaths(tokenValidationSchema.safeParse(examples.tokenValidationResponseExample))).toEqual([
      'result',
    ]);
    for (const result of ['Valid', 'Incorrect', 'Invalid', 'Expired'])
      expect(tokenValidationSchema.parse({ ...examples.tokenValidationResponseExample, result }).result).toBe(
        result,
      );
    // Waiting is a transaction state, never an answer to a validation.
    expect(tokenValidationSchema.safeParse({ result: 'Waiting' }).success).toBe(false);
  });

  it('reads the configuration and webhook examples', () => {
    expect(smsConfigurationSchema.parse(examples.smsConfigurationResponseExample)).toEqual(
      examples.smsConfigurationResponseExample,
    );
    expect(entityConfigurationSchema.parse(examples.entityConfigurationResponseExample)).toEqual(
      examples.entityConfigurationResponseExample,
    );
    expect(webhookNotificationSchema.parse(examples.webhookNotificationExample)).toEqual(
      examples.webhookNotificationExample,
    );
  });

  it('accepts the documented requests', () => {
    expect(sendTransactionRequestSchema.safeParse(examples.sendTransactionRequestExample).success).toBe(true);
    expect(smsConfigurationRequestSchema.safeParse(examples.smsConfigurationRequestExample).success).toBe(
      true,
    );
    expect(
      formatSearchFields({
        transaction: ['document', 'documenttype', 'areacode', 'phone'],
        result: ['score', 'validation'],
      }),
    ).toBe('transaction:document,documenttype,areacode,phone;result:score,validation;');
  });

  it('the printed error bodies are not JSON; their repaired forms are read', () => {
    for (const body of [
      examples.authenticationErrorBodyExample,
      examples.sendTransactionErrorBodyExample,
      examples.smsConfigurationErrorBodyExample,
    ])
      expect(() => JSON.parse(body) as unknown).toThrow();
    expect(readDataTrustError({ message: 'Username or Password is incorrect' }).message).toBe(
      'Username or Password is incorrect',
    );
    expect(
      readDataTrustError({
        AreaCode: ['Phone is required because AreaCode has a value.'],
        Document: ['The field Document is invalid.'],
      }).message,
    ).toBe(
      'AreaCode: Phone is required because AreaCode has a value.; Document: The field Document is invalid.',
    );
    expect(readDataTrustError(examples.searchErrorBodyExample).message).toBe(
      'value: The value field is required.',
    );
    expect(
      readDataTrustError('O texto configurado para o SMS ultrapassa o limite de 160 caracteres').message,
    ).toBe('O texto configurado para o SMS ultrapassa o limite de 160 caracteres');
  });
});

describe('verifyWebhookAuthorization', () => {
  const secret = 'registered-webhook-secret';

  it('accepts exactly the registered Bearer token', () => {
    expect(verifyWebhookAuthorization(`Bearer ${secret}`, secret)).toBe(true);
    expect(verifyWebhookAuthorization(`bearer ${secret}`, secret)).toBe(true);
    expect(verifyWebhookAuthorization([`Bearer ${secret}`], secret)).toBe(true);
  });

  it('rejects anything else', () => {
    expect(verifyWebhookAuthorization(undefined, secret)).toBe(false);
    expect(verifyWebhookAuthorization('', secret)).toBe(false);
    expect(verifyWebhookAuthorization(secret, secret)).toBe(false);
    expect(verifyWebhookAuthorization(`Basic ${secret}`, secret)).toBe(false);
    expect(verifyWebhookAuthorization(`Bearer ${secret}x`, secret)).toBe(false);
    expect(verifyWebhookAuthorization(`Bearer ${secret.slice(0, -1)}`, secret)).toBe(false);
    expect(verifyWebhookAuthorization(`Bearer ${secret} extra`, secret)).toBe(false);
    expect(verifyWebhookAuthorization([`Bearer ${secret}`, `Bearer ${secret}`], secret)).toBe(false);
    expect(verifyWebhookAuthorization('Bearer ', '')).toBe(false);
  });
});
