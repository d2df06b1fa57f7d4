/**
 * Securities when an answer is garbled after the provider acted (the simulator's
 * `commit-then-garble`): the CCB proposal and each signer binding of the native send. The call fails
 * with a typed failure; the lookup finds what was created by the keys the product derives (the
 * proposal number, the proposal's document key and the signers' CPFs); a second call continues
 * with it; and what `cancel` can do about it, which for Securities is nothing (no cancel call).
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ccbActivities } from '../../src/activities/ccb';
import { withFailureTranslation } from '../../src/activities/failures';
import { ccbContentOf } from '../../src/domain/ccb';
import { parseOnboardingInput } from '../../src/domain/input';
import { ContractError } from '../../src/providers/errors';
import { proposalNumber } from '../../src/providers/idempotency';
import { SecuritiesClient } from '../../src/providers/securities';
import { SecuritiesSigning } from '../../src/providers/securities/signing';
import type { CcbProposal, SigningRequest } from '../../src/signing/contract';
import type { SimulatorServer } from '../../simulators/kit';
import { createSecuritiesSimulator } from '../../simulators/securities/simulator';
import { newOnboardingId, onboardingInput } from '../helpers/inputs';
import { addFaults, clearFaults, simulatorState } from '../helpers/simulators';

const PROPOSALS = 'POST /v1/proposals';
const BIND_SIGNER = 'POST /v1/documents/:document_id/signers';
const quiet = { logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } };
const inActivity = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  new MockActivityEnvironment({}, quiet).run(fn, ...args);
const rejection = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );

interface State {
  proposals: Array<{ number: string }>;
  lists: Array<{ document_id: string }>;
}

let sim: SimulatorServer;
let base: string;
let client: SecuritiesClient;
let signing: SecuritiesSigning;
let activities: ReturnType<typeof ccbActivities>;

beforeAll(async () => {
  sim = createSecuritiesSimulator({ token: 'test-token' });
  base = `${await sim.listen()}/api`;
  client = new SecuritiesClient({ baseUrl: base, token: 'test-token' });
  signing = new SecuritiesSigning(client);
  activities = withFailureTranslation(ccbActivities(client, {} as never));
});
afterAll(async () => {
  await client.close();
  await sim.close();
});
afterEach(() => clearFaults(base));

const ccbFor = (onboardingId: string) =>
  ccbContentOf(parseOnboardingInput(onboardingInput({ onboardingId })));

describe('the CCB proposal, its answer garbled after Securities created it', () => {
  it('fails as a final ContractError; the lookup names the proposal; a retried create reuses it', async () => {
    const onboardingId = newOnboardingId('garbled-proposal');
    const number = proposalNumber(onboardingId);
    await addFaults(base, [{ route: PROPOSALS, kind: 'commit-then-garble', times: 1 }]);

    const failure = await rejection(inActivity(activities.createCcbProposal, { ccb: ccbFor(onboardingId) }));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ContractError', nonRetryable: true });

    const found = await inActivity(activities.findCcbProposal, { onboardingId });
    expect(found.proposal).toMatchObject({ number });
    const again = await inActivity(activities.createCcbProposal, { ccb: ccbFor(onboardingId) });
    expect(again).toEqual(found.proposal);
    const { proposals } = await simulatorState<State>(base);
    expect(proposals.filter((p) => p.number === number)).toHaveLength(1);
  });

  it('a wrongly typed answer is a contract break too, and the lookup finds nothing where nothing was made', async () => {
    const onboardingId = newOnboardingId('garbled-typed');
    expect(await inActivity(activities.findCcbProposal, { onboardingId })).toEqual({});
    await addFaults(base, [
      { route: PROPOSALS, kind: 'commit-then-garble', times: 1, body: { proposal: { id: 12 } } },
    ]);
    const failure = await rejection(inActivity(activities.createCcbProposal, { ccb: ccbFor(onboardingId) }));
    expect(failure).toMatchObject({ type: 'ContractError', nonRetryable: true });
    expect((await inActivity(activities.findCcbProposal, { onboardingId })).proposal).toBeDefined();
  });
});

describe('the native send, a signer binding garbled after Securities bound the signer', () => {
  /** A proposal of its own and a request with a guarantor, who is bound first (the applicant last). */
  async function sendable(): Promise<SigningRequest> {
    const onboardingId = newOnboardingId('garbled-send');
    const proposal: CcbProposal = await inActivity(activities.createCcbProposal, {
      ccb: ccbFor(onboardingId),
    });
    return {
      key: `onboarding-${onboardingId}`,
      onboardingId,
      proposal,
      signers: [
        {
          index: 0,
          role: 'applicant',
          name: 'Maria Souza',
          cpf: '52998224725',
          email: 'maria@example.com',
          phone: '11987654321',
        },
        {
          index: 1,
          role: 'guarantor',
          name: 'Carlos Pereira',
          cpf: '11144477735',
          email: 'carlos@example.com',
          phone: '11987654322',
        },
      ],
    };
  }
  const boundTo = async (request: SigningRequest) => {
    const document = await client.getDocumentByKey(request.proposal.documentKey);
    return (await simulatorState<State>(base)).lists.filter((l) => l.document_id === document.id).length;
  };

  it('the first binding (the guarantor) garbled: a partial send that can already be signed, continued by a second send', async () => {
    const request = await sendable();
    await addFaults(base, [{ route: BIND_SIGNER, kind: 'commit-then-garble', times: 1 }]);
    expect(await rejection(signing.send(request))).toBeInstanceOf(ContractError);

    const found = await signing.findSent(request);
    expect(found).toEqual({
      found: 'partial',
      envelope: {
        envelopeId: request.proposal.documentKey,
        signers: [{ index: 1, providerSignerId: expect.any(String) }],
      },
      what: expect.stringContaining('1 of 2 signers'),
      signable: true,
      discardable: false,
    });

    const envelope = await signing.send(request);
    expect(envelope.signers.map((s) => s.index)).toEqual([0, 1]);
    expect(envelope.signers[1]).toEqual(found.found === 'partial' ? found.envelope.signers[0] : undefined);
    expect(await boundTo(request)).toBe(2);
    expect(await signing.findSent(request)).toEqual({ found: 'envelope', envelope, state: 'pending' });
  });

  it('the last binding (the applicant) garbled: the whole envelope is found, and a second send adds nobody', async () => {
    const request = await sendable();
    await addFaults(base, [{ route: BIND_SIGNER, kind: 'commit-then-garble', after: 1, times: 1 }]);
    expect(await rejection(signing.send(request))).toBeInstanceOf(ContractError);

    const found = await signing.findSent(request);
    expect(found).toMatchObject({ found: 'envelope', state: 'pending' });
    const envelope = await signing.send(request);
    expect(found).toEqual({ found: 'envelope', envelope, state: 'pending' });
    expect(await boundTo(request)).toBe(2);
  });

  it('what was found cannot be cancelled: Securities has no call for it, and says so', async () => {
    const request = await sendable();
    await addFaults(base, [{ route: BIND_SIGNER, kind: 'commit-then-garble', times: 1 }]);
    await rejection(signing.send(request));
    const found = await signing.findSent(request);
    if (found.found === 'nothing') throw new Error('expected something');
    expect(await signing.cancel(found.envelope)).toBe('not-supported');
    expect((await client.getDocumentByKey(request.proposal.documentKey)).status).toBe('created');
  });

  it('nothing bound yet: nothing was sent, and the lookup is sure of it', async () => {
    const request = await sendable();
    expect(await signing.findSent(request)).toEqual({ found: 'nothing', conclusive: true });
  });
});
