/**
 * An operator resets a completed onboarding (the Web UI's Reset, `temporal workflow reset`) to the
 * workflow task before each stage, on the real dev server: every run completes again, and the
 * providers hold exactly what one onboarding creates — one Data Trust transaction, one proposal,
 * one envelope, one registered CCB — whatever the signing provider.
 */
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { signingProviders } from '../../src/domain/input';
import type { OnboardingOutcome } from '../../src/domain/onboarding';
import { workflowIdFor } from '../../src/messages';
import { simulatorState } from '../helpers/simulators';
import { onboardingInput, useOnboardingServer, waitForStatus, type Harness } from '../helpers/onboarding';
import { signingProviderModule } from '../../src/providers/registry';

const server = useOnboardingServer('dev-server');
const h = server.harness({ autoSignMs: 0 });

type Counts = Record<string, number>;
const firstWorkflowTask = 'the first workflow task';
const countsOf = async (h: Harness) => {
  const entries = await Promise.all(
    Object.entries(h.simulators.baseUrls).map(
      async ([name, url]) => [name, (await simulatorState<{ counts: Counts }>(url)).counts] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<string, Counts>;
};
const delta = (before: Record<string, Counts>, after: Record<string, Counts>) =>
  Object.fromEntries(
    Object.entries(after).map(([name, c]) => [
      name,
      Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v - (before[name]?.[k] ?? 0)])),
    ]),
  ) as Record<string, Counts>;

/**
 * The stage each reset goes back before, by the first activity the stage schedules; input
 * validation is a local activity (a marker, no scheduled event), so it is the first workflow task.
 */
const boundaries = [
  ['validating_input', firstWorkflowTask],
  ['ccb_proposal', 'createCcbProposal'],
  ['signing', 'sendForSignature'],
  ['finalizing', 'finalizeSignedCcb'],
] as const;

/** Drives the current run to its outcome, typing the SMS token again when the run asks for it. */
async function toOutcome(onboardingId: string): Promise<OnboardingOutcome> {
  for (;;) {
    const status = await waitForStatus(
      h.client,
      onboardingId,
      (s) => s.outcome !== undefined || (s.stage === 'sms_token' && s.smsToken.lastResult !== 'Valid'),
    );
    if (status.outcome) return h.client.result(onboardingId);
    const token = await h.simulators.datatrust.smsTokenFor(status.references.dataTrustTransactionId!);
    await h.client.validateSmsToken(onboardingId, token);
  }
}

/** Resets the latest run to the workflow task that scheduled `activity`'s first attempt. */
async function resetBefore(onboardingId: string, activity: string): Promise<void> {
  const handle = h.client.handle(onboardingId);
  const { runId } = await handle.describe();
  const events = (await handle.fetchHistory()).events ?? [];
  const { EventType } = temporal.api.enums.v1;
  const task =
    activity === firstWorkflowTask
      ? events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)?.eventId
      : events.find(
          (e) =>
            e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED &&
            e.activityTaskScheduledEventAttributes?.activityType?.name === activity,
        )?.activityTaskScheduledEventAttributes?.workflowTaskCompletedEventId;
  if (task === undefined || task === null) throw new Error(`${activity} was never scheduled`);
  await h.env.client.workflowService.resetWorkflowExecution({
    namespace: h.env.namespace ?? 'default',
    workflowExecution: { workflowId: workflowIdFor(onboardingId), runId },
    workflowTaskFinishEventId: task,
    reason: `test: reset before ${activity}`,
    requestId: randomUUID(),
  });
}

describe.each(signingProviders)('resets with %s', (provider) => {
  it('to each stage boundary of a completed onboarding create nothing twice', async () => {
    const input = onboardingInput({
      signingProvider: provider,
      policy: { statusCheckInitialMs: '1 second', statusCheckMaxMs: '2 seconds' },
    });
    const before = await countsOf(h);
    const outcomes = await h.run(async () => {
      await h.client.start(input);
      const all = [await toOutcome(input.onboardingId)];
      for (const [, activity] of boundaries) {
        await resetBefore(input.onboardingId, activity);
        all.push(await toOutcome(input.onboardingId));
      }
      return all;
    });

    expect(outcomes.map((o) => o.status)).toEqual(Array(boundaries.length + 1).fill('completed'));
    // Every run reports the same provider objects.
    for (const o of outcomes) expect(o.references).toEqual(outcomes[0]!.references);

    const created = delta(before, await countsOf(h));
    expect(created['DATATRUST_BASE_URL']).toMatchObject({ transactions: 1, smsSent: 1 });
    expect(created['SECURITIES_BASE_URL']).toMatchObject({
      proposals: 1,
      bankCreditNotes:
        typeof signingProviderModule(provider).capabilities.securitiesRegistration === 'object' ? 1 : 0,
    });
    if (provider === 'assinebem') expect(created['ASSINEBEM_BASE_URL']).toMatchObject({ documents: 1 });
    if (provider === 'signio') expect(created['SIGNIO_BASE_URL']).toMatchObject({ transactions: 1 });
    if (provider === 'securities') expect(created['SECURITIES_BASE_URL']).toMatchObject({ signers: 1 });
  });
});
