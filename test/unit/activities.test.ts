/**
 * The activities that hold logic of their own, in Temporal's mock activity environment with fake
 * provider clients (plain objects, no HTTP): lookup before create, the race on a create, where the
 * signed CCB goes, the envelope the workflow keeps, the checkpoint a retried send reuses, and the
 * translation of provider errors into Temporal failures.
 */
import { Readable } from 'node:stream';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { ccbActivities } from '../../src/activities/ccb';
import { toFailure, withFailureTranslation } from '../../src/activities/failures';
import { identityActivities } from '../../src/activities/identity';
import { signingActivities } from '../../src/activities/signing';
import { ccbContentOf } from '../../src/domain/ccb';
import { parseOnboardingInput } from '../../src/domain/input';
import type { DataTrustClient } from '../../src/providers/datatrust';
import { ContractError, ProviderError } from '../../src/providers/errors';
import type { SigningProviderName } from '../../src/providers/registry';
import type { SecuritiesClient } from '../../src/providers/securities';
import type { SentEnvelope, SignatureProvider } from '../../src/signing/contract';
import { onboardingInput } from '../helpers/inputs';

const input = parseOnboardingInput(onboardingInput({ onboardingId: 'act-1' }));
const ccb = ccbContentOf(input);
/** Activity failures are what these tests expect: the SDK's warning about each is not printed. */
const quiet = { logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } };
const activityEnv = (info: ConstructorParameters<typeof MockActivityEnvironment>[0] = {}) =>
  new MockActivityEnvironment(info, quiet);
const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  activityEnv().run(fn, ...args);

/** A fake client: only the methods a test names, each recording its calls. */
function fake<T>(methods: Record<string, (...args: never[]) => unknown>) {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const client = Object.fromEntries(
    Object.entries(methods).map(([name, fn]) => [
      name,
      async (...args: never[]) => {
        calls.push({ method: name, args });
        return fn(...args);
      },
    ]),
  ) as unknown as T;
  return { client, calls };
}

const results = { Score: { Value: 82.5 }, Insights: [{ Code: 'GER2151' }] };

describe('startIdentityCheck', () => {
  it('creates the transaction with SMS sending and the reference derived from the workflow and attempt', async () => {
    const { client, calls } = fake<DataTrustClient>({
      findTransactionByReference: () => undefined,
      sendTransaction: () => ({ ID: 'tx-9', Results: results }),
    });
    const check = await run(identityActivities(client).startIdentityCheck, {
      workflowId: 'onboarding-act-1',
      attempt: 1,
      applicant: input.applicant,
    });
    expect(check).toEqual({
      transactionId: 'tx-9',
      score: 82.5,
      insightCodes: ['GER2151'],
      smsTokenSent: true,
    });
    const sent = calls.find((c) => c.method === 'sendTransaction')!.args[0] as Record<string, unknown>;
    expect(sent).toMatchObject({
      Document: input.applicant.cpf,
      SendOption: [1],
      AreaCode: input.applicant.phone.slice(0, 2),
      Phone: input.applicant.phone.slice(2),
      AdditionalInformation: { Transaction: 't1-onboarding-act-1' },
    });
  });

  it('reuses a transaction already created under the same reference: no second SMS', async () => {
    const { client, calls } = fake<DataTrustClient>({
      findTransactionByReference: () => ({ ID: 'tx-1' }),
      getResult: () => results,
      sendTransaction: () => {
        throw new Error('must not create');
      },
    });
    const check = await run(identityActivities(client).startIdentityCheck, {
      workflowId: 'onboarding-act-1',
      attempt: 0,
      applicant: input.applicant,
    });
    expect(check.transactionId).toBe('tx-1');
    expect(calls.map((c) => c.method)).toEqual(['findTransactionByReference', 'getResult']);
  });

  it('fails (to be retried) while the transaction has no score yet', async () => {
    const { client } = fake<DataTrustClient>({
      findTransactionByReference: () => undefined,
      sendTransaction: () => ({ ID: 'tx-2' }),
      getResult: () => undefined,
    });
    await expect(
      run(identityActivities(client).startIdentityCheck, {
        workflowId: 'w',
        attempt: 0,
        applicant: input.applicant,
      }),
    ).rejects.toThrow('Data Trust transaction tx-2 has no score yet');
  });
});

const proposal = { id: 'p-7', number: 'act-1', documents: [{ key: 'doc-7' }] };

describe('createCcbProposal', () => {
  it('reuses the proposal already numbered after the onboarding', async () => {
    const { client, calls } = fake<SecuritiesClient>({ getProposalByNumber: () => proposal });
    const made = await run(ccbActivities(client, {} as never).createCcbProposal, { ccb });
    expect(made).toEqual({ proposalId: 'p-7', number: 'act-1', documentKey: 'doc-7' });
    expect(calls.map((c) => c.method)).toEqual(['getProposalByNumber']);
  });

  it('creates it from the loan terms and the applicant, numbered after the onboarding', async () => {
    const { client, calls } = fake<SecuritiesClient>({
      getProposalByNumber: () => undefined,
      createProposal: () => proposal,
    });
    await run(ccbActivities(client, {} as never).createCcbProposal, { ccb });
    const created = calls.find((c) => c.method === 'createProposal')!.args[0] as Record<string, unknown>;
    expect(created).toMatchObject({
      number: 'act-1',
      issuer_document: input.applicant.cpf,
      installments: input.loan.installments,
      template_key: input.loan.templateKey,
      document_data: expect.objectContaining({
        number: 'act-1',
        financed_amount: input.loan.terms.financed_amount,
      }),
    });
  });

  it('a 422 because another attempt created it meanwhile: the existing proposal is returned', async () => {
    let lookups = 0;
    const { client } = fake<SecuritiesClient>({
      getProposalByNumber: () => (lookups++ === 0 ? undefined : proposal),
      createProposal: () => {
        throw new ProviderError({
          provider: 'securities',
          operation: 'createProposal',
          kind: 'http',
          status: 422,
          retryable: false,
        });
      },
    });
    const made = await run(ccbActivities(client, {} as never).createCcbProposal, { ccb });
    expect(made.proposalId).toBe('p-7');
  });
});

const envelope = (provider: SigningProviderName) => ({
  provider,
  envelopeId: 'env-3',
  signers: [{ index: 0, providerSignerId: 's-0' }],
  supportsReminders: provider === 'assinebem',
});
const ccbProposal = { proposalId: 'p-7', number: 'act-1', documentKey: 'doc-7' };

function signingProvider(overrides: Partial<SignatureProvider> = {}): SignatureProvider {
  const sent: SentEnvelope = { envelopeId: 'env-3', signers: [{ index: 0, providerSignerId: 's-0' }] };
  return {
    send: async () => sent,
    status: async () => ({ state: 'pending', signers: [{ index: 0, state: 'pending' }] }),
    remind: async () => 1,
    cancel: async () => 'cancelled',
    find: async () => undefined,
    findSent: async () => ({ found: 'nothing', conclusive: true }),
    signedDocument: async () => ({
      body: Readable.from([Buffer.from('%PDF-1.4 signed')]),
      contentType: 'application/pdf',
      filename: 'signed.pdf',
    }),
    ...overrides,
  };
}
const allSigning = (p: SignatureProvider) =>
  ({ securities: p, assinebem: p, signio: p }) as Record<SigningProviderName, SignatureProvider>;

describe('finalizeSignedCcb', () => {
  it('signed in Securities: the proposal is the CCB, nothing is registered', async () => {
    const { client, calls } = fake<SecuritiesClient>({});
    const done = await run(ccbActivities(client, allSigning(signingProvider())).finalizeSignedCcb, {
      envelope: envelope('securities'),
      proposal: ccbProposal,
      ccb,
    });
    expect(done).toEqual({ ccbId: 'p-7' });
    expect(calls).toHaveLength(0);
  });

  it('signed at Signio: not registered (Securities does not accept Signio), and the outcome says why', async () => {
    const { client, calls } = fake<SecuritiesClient>({});
    const done = await run(ccbActivities(client, allSigning(signingProvider())).finalizeSignedCcb, {
      envelope: envelope('signio'),
      proposal: ccbProposal,
      ccb,
    });
    expect(done.ccbId).toBeUndefined();
    expect(done.note).toContain('Securities does not accept signio signatures');
    expect(calls).toHaveLength(0);
  });

  it('signed at Assine Bem: the signed PDF is streamed into a bank credit note, once', async () => {
    let uploaded = '';
    const { client } = fake<SecuritiesClient>({
      getBankCreditNoteByNumber: () => undefined,
      createBankCreditNote: async (fields: { signature_provider: string }, file: { body: Readable }) => {
        uploaded = `${fields.signature_provider}:${Buffer.concat(await file.body.toArray()).toString()}`;
        return { id: 'bcn-1' };
      },
    });
    const done = await run(ccbActivities(client, allSigning(signingProvider())).finalizeSignedCcb, {
      envelope: envelope('assinebem'),
      proposal: ccbProposal,
      ccb,
    });
    expect(done).toEqual({ ccbId: 'bcn-1' });
    expect(uploaded).toBe('assinebem:%PDF-1.4 signed');
  });

  it('a bank credit note already registered under the number is reused', async () => {
    const { client, calls } = fake<SecuritiesClient>({ getBankCreditNoteByNumber: () => ({ id: 'bcn-0' }) });
    const done = await run(ccbActivities(client, allSigning(signingProvider())).finalizeSignedCcb, {
      envelope: envelope('assinebem'),
      proposal: ccbProposal,
      ccb,
    });
    expect(done).toEqual({ ccbId: 'bcn-0' });
    expect(calls.map((c) => c.method)).toEqual(['getBankCreditNoteByNumber']);
  });
});

describe('the signing activities', () => {
  const request = {
    provider: 'assinebem' as SigningProviderName,
    key: 'onboarding-act-1',
    onboardingId: 'act-1',
    proposal: ccbProposal,
    signers: [{ ...input.signers[0]!, index: 0 }],
  };

  it("sendForSignature: the envelope carries the provider's name and whether it can remind", async () => {
    const activities = signingActivities(allSigning(signingProvider()));
    expect(await run(activities.sendForSignature, request)).toEqual(envelope('assinebem'));
    expect(await run(activities.sendForSignature, { ...request, provider: 'signio' as const })).toMatchObject(
      {
        supportsReminders: false,
      },
    );
  });

  it("sendForSignature: a first run asks Temporal's visibility nothing; a run after a reset looks for the earlier run's envelope", async () => {
    const queries: string[] = [];
    const client = {
      withAbortSignal: <R>(_signal: AbortSignal, fn: () => Promise<R>) => fn(),
      workflow: {
        list: ({ query }: { query: string }) => {
          queries.push(query);
          return (async function* () {})();
        },
      },
    } as unknown as Client;
    const send = (firstRun?: boolean) =>
      new MockActivityEnvironment({}, { ...quiet, client }).run(
        signingActivities(allSigning(signingProvider())).sendForSignature,
        { ...request, ...(firstRun === undefined ? {} : { firstRun }) },
      );
    expect(await send(true)).toEqual(envelope('assinebem'));
    expect(queries).toEqual([]);
    // A run after a reset, and a send scheduled before `firstRun` existed, look.
    await send(false);
    await send(undefined);
    expect(queries).toHaveLength(2);
    expect(queries[0]).toMatch(/^WorkflowId = /);
  });

  it('sendForSignature: a provider that issues its own ids gives them first, then sends with them', async () => {
    const sent: unknown[] = [];
    const provider = signingProvider({
      prepare: async () => ({ identifier: 'upload-7' }),
      send: async (_req, checkpoint) => {
        sent.push({ retry: checkpoint?.retry, saved: checkpoint?.load() });
        return { envelopeId: 'doc-1', signers: [] };
      },
    });
    const activities = signingActivities(allSigning(provider));
    const first = await run(activities.sendForSignature, { ...request, mayPrepare: true });
    expect(first).toEqual({ preparation: { identifier: 'upload-7' } });
    expect(sent).toHaveLength(0);
    const second = await run(activities.sendForSignature, {
      ...request,
      preparation: { identifier: 'upload-7' },
    });
    expect(second).toMatchObject({ envelopeId: 'doc-1' });
    expect(sent).toEqual([{ retry: false, saved: { identifier: 'upload-7' } }]);
    // A workflow started before this (no mayPrepare) gets the envelope at once.
    expect(await run(activities.sendForSignature, request)).toMatchObject({ envelopeId: 'doc-1' });
  });

  it('sendForSignature: what an attempt saved is offered to the next attempt (heartbeat details)', async () => {
    const seen: unknown[] = [];
    const provider = signingProvider({
      send: async (_req, checkpoint) => {
        seen.push({ retry: checkpoint?.retry, saved: checkpoint?.load() });
        checkpoint?.save({ identifier: 'id-1' });
        return { envelopeId: 'env-3', signers: [] };
      },
    });
    const heartbeats: unknown[] = [];
    const first = activityEnv();
    first.on('heartbeat', (d: unknown) => heartbeats.push(d));
    await first.run(signingActivities(allSigning(provider)).sendForSignature, request);
    const retry = activityEnv({ attempt: 2, heartbeatDetails: heartbeats[0] });
    await retry.run(signingActivities(allSigning(provider)).sendForSignature, request);
    expect(heartbeats[0]).toEqual({ identifier: 'id-1' });
    expect(seen).toEqual([
      { retry: false, saved: undefined },
      { retry: true, saved: { identifier: 'id-1' } },
    ]);
  });

  it('sendForSignature with `retry` (an operator retried a send that failed): what the lookup finds comes first', async () => {
    const found: SentEnvelope = { envelopeId: 'doc-9', signers: [{ index: 0, providerSignerId: 's-9' }] };
    const sends: unknown[] = [];
    const lookups: unknown[] = [];
    const provider = (answer: Awaited<ReturnType<SignatureProvider['findSent']>>) =>
      signingProvider({
        findSent: async (req, preparation) => {
          lookups.push({ key: req.key, preparation });
          return answer;
        },
        send: async (_req, checkpoint) => {
          sends.push({ retry: checkpoint?.retry, saved: checkpoint?.load() });
          return found;
        },
      });
    const retried = { ...request, retry: true, preparation: { identifier: 'upload-7' } };

    const whole = signingActivities(
      allSigning(provider({ found: 'envelope', envelope: found, state: 'pending' })),
    );
    expect(await run(whole.sendForSignature, retried)).toMatchObject({ envelopeId: 'doc-9' });
    expect(lookups).toEqual([{ key: request.key, preparation: { identifier: 'upload-7' } }]);
    expect(sends).toEqual([]);

    const partial = signingActivities(
      allSigning(
        provider({ found: 'partial', envelope: found, what: 'a draft', signable: false, discardable: true }),
      ),
    );
    await run(partial.sendForSignature, retried);
    expect(sends).toEqual([{ retry: true, saved: { identifier: 'upload-7' } }]);

    // Without `retry`, no lookup: the first attempt of a send creates.
    lookups.length = 0;
    await run(partial.sendForSignature, { ...request, preparation: { identifier: 'upload-7' } });
    expect(lookups).toEqual([]);
  });

  it("findSentEnvelope: what the provider found, as the envelope the workflow keeps (provider's name, reminders)", async () => {
    const sent: SentEnvelope = { envelopeId: 'tx-1', signers: [] };
    const activities = signingActivities(
      allSigning(
        signingProvider({
          findSent: async () => ({
            found: 'partial',
            envelope: sent,
            what: 'draft',
            signable: false,
            discardable: true,
          }),
        }),
      ),
    );
    expect(await run(activities.findSentEnvelope, { ...request, provider: 'signio' })).toEqual({
      found: 'partial',
      envelope: { provider: 'signio', envelopeId: 'tx-1', signers: [], supportsReminders: false },
      what: 'draft',
      signable: false,
      discardable: true,
    });
    const none = signingActivities(allSigning(signingProvider()));
    expect(await run(none.findSentEnvelope, request)).toEqual({ found: 'nothing', conclusive: true });
  });

  it('remindSigners asks only providers that can remind', async () => {
    let asked = 0;
    const activities = signingActivities(allSigning(signingProvider({ remind: async () => ++asked })));
    expect(await run(activities.remindSigners, envelope('signio'))).toEqual({ reminded: 0 });
    expect(await run(activities.remindSigners, envelope('assinebem'))).toEqual({ reminded: 1 });
    expect(asked).toBe(1);
  });
});

describe('failure translation', () => {
  it('a retryable provider error stays retryable, with Retry-After as the next delay', () => {
    const failure = toFailure(
      new ProviderError({
        provider: 'signio',
        operation: 'createTransaction',
        kind: 'http',
        status: 429,
        retryable: true,
        retryAfterMs: 5_000,
      }),
    ) as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ProviderError', nonRetryable: false, nextRetryDelay: 5_000 });
    expect(failure.details?.[0]).toMatchObject({
      provider: 'signio',
      operation: 'createTransaction',
      status: 429,
    });
  });

  it('a contract error and a final provider error are not retried', () => {
    const contract = toFailure(
      new ContractError('assinebem', 'getDocument', 200, [{ path: 'id', message: 'x' }]),
    );
    expect(contract).toMatchObject({ type: 'ContractError', nonRetryable: true });
    const final = toFailure(
      new ProviderError({
        provider: 'securities',
        operation: 'x',
        kind: 'http',
        status: 403,
        retryable: false,
      }),
    );
    expect(final).toMatchObject({ type: 'ProviderError', nonRetryable: true });
  });

  it('every activity goes through it', async () => {
    const wrapped = withFailureTranslation({
      boom: async () => {
        throw new ProviderError({ provider: 'datatrust', operation: 'y', kind: 'network', retryable: true });
      },
    });
    await expect(wrapped.boom()).rejects.toMatchObject({ type: 'ProviderError', nonRetryable: false });
    expect(wrapped.boom.name).toBe('boom');
  });
});
