/**
 * Provider outages seen by a whole onboarding: retryable answers (5xx, 429 with Retry-After) are
 * retried by Temporal until the onboarding succeeds; a non-retryable answer (422) ends it as
 * failed at once with a reason that names the provider, the call and the status; and every call
 * that creates something survives "commit then drop the response" without creating it twice.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { SigningProviderName } from '../../src/domain/input';
import type { FaultRule } from '../../simulators/kit';
import { addFaults, clearFaults, routeHits, simulatorState } from '../helpers/simulators';
import {
  answerSmsToken,
  onboardToOutcome,
  onboardingInput,
  useOnboardingServer,
} from '../helpers/onboarding';
import { workerLog } from '../helpers/worker-log';

type BaseUrlName = 'DATATRUST_BASE_URL' | 'SECURITIES_BASE_URL' | 'ASSINEBEM_BASE_URL' | 'SIGNIO_BASE_URL';
type Counts = Record<string, number>;

const server = useOnboardingServer('time-skipping');
const h = server.harness({ autoSignMs: 0 });
afterEach(async () => {
  await Promise.all(Object.values(h.simulators.baseUrls).map((u) => clearFaults(u)));
});

const inject = async (faults: Partial<Record<BaseUrlName, FaultRule[]>>) => {
  for (const [name, rules] of Object.entries(faults))
    await addFaults(h.simulators.baseUrls[name as BaseUrlName], rules);
};

const counts = async (): Promise<Record<BaseUrlName, Counts>> => {
  const entries = await Promise.all(
    (Object.entries(h.simulators.baseUrls) as Array<[BaseUrlName, string]>).map(
      async ([name, url]) => [name, (await simulatorState<{ counts: Counts }>(url)).counts] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<BaseUrlName, Counts>;
};

const delta = (before: Record<BaseUrlName, Counts>, after: Record<BaseUrlName, Counts>) => {
  const out = {} as Record<BaseUrlName, Counts>;
  for (const name of Object.keys(after) as BaseUrlName[]) {
    out[name] = Object.fromEntries(
      Object.entries(after[name]).map(([k, v]) => [k, v - (before[name][k] ?? 0)]),
    );
  }
  return out;
};

/** The highest attempt of each activity type in the history (1 = it succeeded the first time). */
async function activityAttempts(handle: WorkflowHandle): Promise<Record<string, number>> {
  const events = (await handle.fetchHistory()).events ?? [];
  const typeOf = new Map<string, string>();
  const attempts: Record<string, number> = {};
  for (const e of events) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) typeOf.set(String(e.eventId), scheduled.activityType?.name ?? '?');
    const started = e.activityTaskStartedEventAttributes;
    if (started) {
      const type = typeOf.get(String(started.scheduledEventId)) ?? '?';
      attempts[type] = Math.max(attempts[type] ?? 0, started.attempt ?? 1);
    }
  }
  return attempts;
}

async function onboard(provider: SigningProviderName, policy?: { maxRepairs: number }) {
  const input = onboardingInput({ signingProvider: provider, ...(policy ? { policy } : {}) });
  return h.run(async () => {
    const { handle } = await h.client.start(input);
    await answerSmsToken(h, input.onboardingId);
    const outcome = await h.client.result(input.onboardingId);
    return { input, outcome, attempts: await activityAttempts(handle) };
  });
}

describe('retryable answers', () => {
  it('bursts of 5xx and 429 at every provider end in a completed onboarding, each retried by Temporal', async () => {
    await inject({
      DATATRUST_BASE_URL: [{ route: 'POST /products/v1/datatrust', kind: 'status', status: 503, times: 3 }],
      SECURITIES_BASE_URL: [
        { route: 'POST /v1/proposals', kind: 'status', status: 500, times: 2 },
        { route: 'POST /v1/bank_credit_notes', kind: 'status', status: 502, times: 2 },
      ],
      ASSINEBEM_BASE_URL: [
        { route: 'POST /documento', kind: 'status', status: 429, retryAfterSeconds: 1, times: 2 },
        { route: 'GET /documento', kind: 'status', status: 503, times: 3 },
      ],
    });
    const { outcome, attempts } = await onboard('assinebem');
    expect(outcome.status).toBe('completed');
    expect(attempts).toMatchObject({
      startIdentityCheck: 4,
      createCcbProposal: 3,
      sendForSignature: 3,
      finalizeSignedCcb: 3,
    });
  });

  it('honours Retry-After: a 429 asking for ten minutes delays the retry by ten minutes of workflow time', async () => {
    await inject({
      SECURITIES_BASE_URL: [
        { route: 'POST /v1/proposals', kind: 'status', status: 429, retryAfterSeconds: 600, times: 1 },
      ],
    });
    const { outcome, attempts } = await onboard('securities');
    expect(outcome.status).toBe('completed');
    expect(attempts.createCcbProposal).toBe(2);
    const at = (stage: string) => Date.parse(outcome.timeline.find((t) => t.stage === stage)!.at);
    // Without Retry-After the first retry would come after 1 second (the retry policy's initial interval).
    expect(at('signing') - at('ccb_proposal')).toBeGreaterThanOrEqual(600_000);
  });

  it('dropped connections are retried like 5xx', async () => {
    await inject({ SIGNIO_BASE_URL: [{ route: 'POST /transacciones/distribuir', kind: 'drop', times: 2 }] });
    const { outcome } = await onboard('signio');
    expect(outcome.status).toBe('completed');
  });
});

describe('non-retryable answers', () => {
  it('a 422 from Securities, with no repairs in the policy, ends the onboarding as failed, with the provider, the call and the status, after one try', async () => {
    await inject({
      SECURITIES_BASE_URL: [
        {
          route: 'POST /v1/proposals',
          kind: 'status',
          status: 422,
          body: { errors: { number: ['has already been taken'] } },
        },
      ],
    });
    const before = await routeHits(h.simulators.baseUrls.SECURITIES_BASE_URL);
    const { outcome, attempts } = await onboard('securities', { maxRepairs: 0 });
    const after = await routeHits(h.simulators.baseUrls.SECURITIES_BASE_URL);

    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toMatch(/^ProviderError: /);
    expect(outcome.reason).toContain('securities');
    expect(outcome.reason).toContain('422');
    expect(outcome.reason).toMatch(/proposal/i);
    expect(attempts.createCcbProposal).toBe(1);
    expect((after['POST /v1/proposals'] ?? 0) - (before['POST /v1/proposals'] ?? 0)).toBe(1);
    expect(outcome.references.proposalId).toBeUndefined();
    expect(outcome.timeline.at(-2)?.stage).toBe('ccb_proposal');
  });
});

describe('personal data in a provider message', () => {
  it("never reaches the outcome, the status query or the worker's log", async () => {
    const name = 'Joana Quitéria Albuquerque';
    const cpf = '390.533.447-05';
    await inject({
      ASSINEBEM_BASE_URL: [
        {
          route: 'POST /documento',
          kind: 'status',
          status: 200,
          body: { status_api: 422, mensagem: `Parte ${name.toUpperCase()} (CPF ${cpf}) com dados inválidos` },
        },
      ],
    });
    const input = onboardingInput({
      signingProvider: 'assinebem',
      applicantName: name,
      policy: { maxRepairs: 0 },
    });
    const { outcome, status } = await onboardToOutcome(h, input);
    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toBe(
      'ProviderError: assinebem uploadDocument failed: business, code 422, Parte [redacted] (CPF [number]) com dados inválidos',
    );
    // The status shows signer names by design (an operator needs them); never in a failure's text.
    const seen = [outcome.reason, status.outcome?.reason, workerLog()].join('\n');
    for (const value of ['Joana', 'Quitéria', 'Quiteria', 'Albuquerque', '390.533', '39053344705']) {
      expect(seen).not.toContain(value);
    }
  });
});

describe('commit then drop the response, on every call that creates something', () => {
  const drop = (route: string): FaultRule => ({ route, kind: 'commit-then-drop', times: 1 });

  it('Data Trust transaction, Securities proposal and Securities signers', async () => {
    await inject({
      DATATRUST_BASE_URL: [drop('POST /products/v1/datatrust')],
      SECURITIES_BASE_URL: [drop('POST /v1/proposals'), drop('POST /v1/documents/:document_id/signers')],
    });
    const before = await counts();
    const { outcome, attempts } = await onboard('securities');
    const d = delta(before, await counts());
    expect(outcome.status).toBe('completed');
    expect(attempts).toMatchObject({ startIdentityCheck: 2, createCcbProposal: 2, sendForSignature: 2 });
    expect(d.DATATRUST_BASE_URL).toMatchObject({ transactions: 1, smsSent: 1 });
    expect(d.SECURITIES_BASE_URL).toMatchObject({ proposals: 1, signers: 1, bankCreditNotes: 0 });
  });

  it('Assine Bem identifier and document upload, and the Securities bank credit note', async () => {
    await inject({
      ASSINEBEM_BASE_URL: [drop('GET /documento/get_identifier_to_upload'), drop('POST /documento')],
      SECURITIES_BASE_URL: [drop('POST /v1/bank_credit_notes')],
    });
    const before = await counts();
    const { outcome, attempts } = await onboard('assinebem');
    const d = delta(before, await counts());
    expect(outcome.status).toBe('completed');
    // The identifier and the upload are two runs of sendForSignature (the identifier recorded first): each retried once.
    expect(attempts).toMatchObject({ sendForSignature: 2, finalizeSignedCcb: 2 });
    expect(d.ASSINEBEM_BASE_URL).toMatchObject({ documents: 1, signatures: 1 });
    expect(d.SECURITIES_BASE_URL).toMatchObject({ proposals: 1, bankCreditNotes: 1 });
  });

  it('Signio transaction, document, signer and link', async () => {
    await inject({
      SIGNIO_BASE_URL: [
        drop('POST /transacciones/crear'),
        drop('POST /transacciones/cargar_documento'),
        drop('POST /transacciones/registrar_contacto'),
        drop('POST /transacciones/vincular'),
        drop('POST /transacciones/distribuir'),
      ],
    });
    const before = await counts();
    const { outcome, attempts } = await onboard('signio');
    const d = delta(before, await counts());
    expect(outcome.status).toBe('completed');
    expect(attempts.sendForSignature).toBe(6);
    expect(d.SIGNIO_BASE_URL).toMatchObject({ transactions: 1, documents: 1, signers: 1, links: 1 });
  });
});
