/**
 * Repair over real HTTP, with the simulators: Securities refusing the CCB terms (422) parks the
 * onboarding in `needs_attention`; `POST /v1/onboardings/{id}/repair` with corrected terms completes
 * it with one proposal, one envelope and one SMS; abandon ends it with nothing left open; a repair
 * the onboarding cannot take is refused with the status that says why, naming fields, echoing no value.
 */
import { describe, expect, it } from 'vitest';
import { objectViolations, openEnvelopes, tallyObjects } from '../../scripts/chaos/objects';
import { providerStates } from '../../scripts/chaos/simulator-reads';
import { sha256Hex } from '../../src/http/api-keys';
import type { OnboardingStatus } from '../../src/domain/onboarding';
import { API_KEY, API_KEYS, useApi, waitForApiStage } from '../helpers/api';
import { answerSmsToken, onboardingInput, useOnboardingServer } from '../helpers/onboarding';

const server = useOnboardingServer('dev-server');
const h = server.harness();
const NO_REPAIR_KEY = 'backend-without-repair-0123456789';
const api = useApi(h, {
  API_KEYS: `${API_KEYS},no-repair@default:start+read:${sha256Hex(NO_REPAIR_KEY)}`,
});

/** Securities refuses the next proposal (the CCB terms) with 422. */
const refuseNextProposal = () =>
  h.simulators.servers.securities.addFaults([
    { route: 'POST /v1/proposals', kind: 'status', status: 422, times: 1 },
  ]);

async function parked(): Promise<{ id: string; status: OnboardingStatus }> {
  const input = onboardingInput({ signingProvider: 'securities' });
  refuseNextProposal();
  expect((await api.call('POST', '/v1/onboardings', input)).status).toBe(201);
  await answerSmsToken(h, input.onboardingId);
  return {
    id: input.onboardingId,
    status: await waitForApiStage(api, input.onboardingId, 'needs_attention'),
  };
}

const repair = (id: string, body: unknown, key = API_KEY) =>
  api.call('POST', `/v1/onboardings/${id}/repair`, body, { authorization: `Bearer ${key}` });

/** The rules the chaos runs check: nothing created twice, nothing left open. */
async function violationsOf(id: string, completed: boolean): Promise<string[]> {
  const onboardings = [{ onboardingId: id, provider: 'securities' as const, completed }];
  const states = await providerStates(h.simulators);
  return objectViolations(
    tallyObjects(states, onboardings),
    openEnvelopes(states, onboardings),
    onboardings,
  ).filter((v) => v.startsWith(id) || v.includes(`(${id},`));
}

describe('a CCB proposal Securities refuses', () => {
  it('parks the onboarding; corrected terms complete it with one proposal, one envelope, one SMS', async () => {
    await h.run(async () => {
      const { id, status } = await parked();
      expect(status.attention).toMatchObject({
        step: 'ccb_proposal',
        provider: 'securities',
        status: 422,
        actions: ['retry', 'correct', 'abandon'],
      });
      expect(status.attention!.failure).toMatch(/^ProviderError: securities .* failed: HTTP 422/);
      const smsBefore = h.simulators.datatrust.sms().length;

      const res = await repair(id, {
        action: 'correct',
        reason: 'the lender fixed the payment',
        corrections: { loan: { terms: { pmt: '1250.00' } } },
      });
      expect({ status: res.status, body: await res.json() }).toEqual({
        status: 200,
        body: { action: 'correct', next: 'ccb_proposal' },
      });
      const outcome = await h.client.result(id);
      expect(outcome.status).toBe('completed');
      expect(await violationsOf(id, true)).toEqual([]);
      expect(h.simulators.datatrust.sms().length).toBe(smsBefore);

      const after = (await (await api.call('GET', `/v1/onboardings/${id}`)).json()) as OnboardingStatus;
      expect(after.repairs).toEqual([
        expect.objectContaining({
          step: 'ccb_proposal',
          action: 'correct',
          reason: 'the lender fixed the payment',
          principal: { type: 'api-key', name: 'backend-test', tenant: 'default' },
          corrected: ['loan.terms.pmt'],
        }),
      ]);
      expect(after.attention).toBeUndefined();
    });
  });

  it('abandoned: failed, saying who and why, with nothing left open at the providers', async () => {
    await h.run(async () => {
      const { id } = await parked();
      const res = await repair(id, { action: 'abandon', reason: 'the customer withdrew' });
      expect(res.status).toBe(200);
      const outcome = await h.client.result(id);
      expect(outcome.status).toBe('failed');
      expect(outcome.reason).toContain('abandoned by api-key default/backend-test: the customer withdrew');
      expect(await violationsOf(id, false)).toEqual([]);
    });
  });
});

describe('a repair the onboarding cannot take', () => {
  it('is refused with the status that says why, naming fields and echoing no value; nothing changes', async () => {
    await h.run(async () => {
      const { id } = await parked();
      const answers = {
        'no scope': await repair(id, { action: 'retry', reason: 'x' }, NO_REPAIR_KEY),
        'no reason': await repair(id, { action: 'retry' }),
        'corrections with retry': await repair(id, {
          action: 'retry',
          reason: 'x',
          corrections: { loan: { installments: 10 } },
        }),
        'an unknown field': await repair(id, {
          action: 'correct',
          reason: 'x',
          corrections: { applicant: { cpf: '52998224725' } },
        }),
        'a value the input refuses': await repair(id, {
          action: 'correct',
          reason: 'x',
          corrections: { loan: { terms: { pmt: '-12,50 reais' } } },
        }),
        'a field of another step': await repair(id, {
          action: 'correct',
          reason: 'x',
          corrections: { applicant: { phone: '(11) 98888-7777' } },
        }),
      };
      const seen = Object.fromEntries(
        await Promise.all(
          Object.entries(answers).map(
            async ([what, res]) => [what, `${res.status} ${await res.text()}`] as const,
          ),
        ),
      );
      expect(seen['no scope']).toMatch(/^403 /);
      expect(seen['no reason']).toMatch(/^400 .*"field":"reason"/);
      expect(seen['corrections with retry']).toMatch(/^400 .*"field":"corrections"/);
      expect(seen['an unknown field']).toMatch(/^400 .*corrections\.applicant/);
      expect(seen['a value the input refuses']).toMatch(/^400 .*corrections\.loan\.terms\.pmt/);
      expect(seen['a field of another step']).toBe('422 {"error":"ccb_proposal cannot correct applicant"}');
      for (const answer of Object.values(seen)) {
        expect(answer).not.toContain('52998224725');
        expect(answer).not.toContain('12,50');
      }
      const still = await waitForApiStage(api, id, 'needs_attention');
      expect(still.repairs).toBeUndefined();

      await repair(id, { action: 'retry', reason: 'Securities fixed the template' });
      expect((await h.client.result(id)).status).toBe('completed');
      // Now it needs no attention: 409.
      expect((await repair(id, { action: 'retry', reason: 'again' })).status).toBe(409);
    });
  });
});
