/**
 * What backend code relies on when it drives onboardings through OnboardingClient, on the real dev
 * server (real clock, real visibility): bad input starts nothing, a second start for the same
 * onboarding starts nothing, and operators can find onboardings by search attributes that hold no
 * personal data.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { InvalidOnboardingInput } from '../../src/client';
import { WORKFLOW_TYPE, workflowIdFor } from '../../src/messages';
import { onboardingOutcomeKey, onboardingStageKey, signingProviderKey } from '../../src/search-attributes';
import {
  answerSmsToken,
  onboardToOutcome,
  onboardingInput,
  useOnboardingServer,
} from '../helpers/onboarding';

const server = useOnboardingServer('dev-server');
const h = server.harness({ autoSignMs: 0 });

const fast = { statusCheckInitialMs: '1 second', statusCheckMaxMs: '2 seconds' };

describe('start', () => {
  it('rejects bad input naming every bad field, never echoing a value, and starts nothing', async () => {
    const input = onboardingInput();
    const bad = {
      ...input,
      applicant: { ...input.applicant, cpf: '123.456.789-00', email: 'not-an-email' },
      signingProvider: 'docusign',
    } as unknown as typeof input;
    const error = await h.client.start(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOnboardingInput);
    const fields = (error as InvalidOnboardingInput).issues.map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['applicant.cpf', 'applicant.email', 'signingProvider']));
    expect((error as Error).message).not.toContain('123.456.789-00');
    expect((error as Error).message).not.toContain('not-an-email');
    await expect(h.client.handle(input.onboardingId).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
  });

  it('a second start for the same onboarding id starts nothing, even after the first ended', async () => {
    const input = onboardingInput({ policy: fast });
    const { first, second, third, outcome } = await h.run(async () => {
      const first = await h.client.start(input);
      const second = await h.client.start({ ...input, signingProvider: 'signio' });
      await answerSmsToken(h, input.onboardingId);
      const outcome = await h.client.result(input.onboardingId);
      const third = await h.client.start(input);
      return { first, second, third, outcome };
    });
    expect(first.started).toBe(true);
    expect(second.started).toBe(false);
    expect(third.started).toBe(false);
    expect(second.workflowId).toBe(workflowIdFor(input.onboardingId));
    expect(outcome.signingProvider).toBe('assinebem');
    const runs = [];
    for await (const w of h.env.client.workflow.list({
      query: `WorkflowId = '${workflowIdFor(input.onboardingId)}'`,
    }))
      runs.push(w);
    expect(runs).toHaveLength(1);
  });

  it('input started without the client (Temporal CLI, another SDK) is validated by the workflow: failed, naming the field', async () => {
    const input = onboardingInput();
    const outcome = await h.run(() =>
      h.env.client.workflow.execute(WORKFLOW_TYPE, {
        taskQueue: h.taskQueue,
        workflowId: workflowIdFor(input.onboardingId),
        args: [{ ...input, applicant: { ...input.applicant, cpf: '11111111111' } }],
      }),
    );
    expect(outcome).toMatchObject({ status: 'failed' });
    expect((outcome as { reason: string }).reason).toMatch(/^InvalidOnboardingInput: .*applicant\.cpf/);
    expect((outcome as { reason: string }).reason).not.toContain('11111111111');
  });
});

describe('operators in the Web UI', () => {
  it('find onboardings by stage, signing provider and outcome; the workflow id and attributes carry no personal data', async () => {
    const input = onboardingInput({ signingProvider: 'signio', policy: fast });
    await onboardToOutcome(h, input);
    const description = await h.client.handle(input.onboardingId).describe();
    expect(description.typedSearchAttributes.get(onboardingStageKey)).toBe('finished');
    expect(description.typedSearchAttributes.get(signingProviderKey)).toBe('signio');
    expect(description.typedSearchAttributes.get(onboardingOutcomeKey)).toBe('completed');

    const visible = JSON.stringify({ id: description.workflowId, sa: description.searchAttributes });
    for (const personal of [
      input.applicant.cpf,
      input.applicant.name,
      input.applicant.email,
      input.applicant.phone,
    ]) {
      expect(visible).not.toContain(personal);
    }

    // Visibility is eventually consistent on the dev server: poll briefly.
    const query = `OnboardingOutcome = 'completed' AND SigningProvider = 'signio' AND WorkflowId = '${description.workflowId}'`;
    const found: string[] = [];
    for (let i = 0; i < 50 && found.length === 0; i++) {
      for await (const w of h.env.client.workflow.list({ query })) found.push(w.runId);
      if (found.length === 0) await sleep(100);
    }
    expect(found).toEqual([description.runId]);
  });

  it('writes its search attributes only when they change, one write per stage where it waits and at the end', async () => {
    const input = onboardingInput({ signingProvider: 'securities', policy: fast });
    await onboardToOutcome(h, input);
    const history = await h.client.handle(input.onboardingId).fetchHistory();
    const fieldsOf = (e: NonNullable<typeof history.events>[number]) =>
      Object.keys(e.upsertWorkflowSearchAttributesEventAttributes!.searchAttributes!.indexedFields!).sort();
    const all = history.events!.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes);
    // The SDK records the patches in TemporalChangeVersion as the happy path meets them
    // (src/workflows/onboarding/patches.ts: all but the resent token's; `evidence`, at completion, adds one).
    expect(all.filter((e) => fieldsOf(e).includes('TemporalChangeVersion'))).toHaveLength(4);
    const upserts = all.filter((e) => !fieldsOf(e).includes('TemporalChangeVersion'));
    // Stage and provider set at start; then only where it waits, with what the stages between
    // recorded (each write is a visibility update): the SMS token with its Data Trust transaction,
    // waiting on signatures with the envelope (the webhooks find it by it), the outcome with its stage.
    const fields = upserts.map(fieldsOf);
    expect(fields).toEqual([
      ['DataTrustTransactionIds', 'OnboardingStage'],
      ['OnboardingStage', 'SigningEnvelopeId'],
      ['OnboardingOutcome', 'OnboardingStage'],
    ]);
    const stages = upserts.map((e) =>
      JSON.parse(
        Buffer.from(
          e.upsertWorkflowSearchAttributesEventAttributes!.searchAttributes!.indexedFields![
            'OnboardingStage'
          ]!.data!,
        ).toString(),
      ),
    );
    expect(stages).toEqual(['sms_token', 'waiting_signatures', 'finished']);
    // The input is validated in a local activity (a marker), not a round trip through the server.
    const scheduled = history.events!.flatMap(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
    );
    expect(scheduled).not.toContain('validateOnboardingInput');
    expect(
      history.events!.some((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity'),
    ).toBe(true);
  });
});
