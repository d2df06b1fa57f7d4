/**
 * The applicant first: with TASK_QUEUE_PRIORITY on (the default), the calls an applicant waits for
 * on a screen are scheduled ahead of background work in the task queue, so Temporal's matching
 * serves them first from a backlog; off, every call keeps the onboarding's priority. Read from the
 * histories of onboardings run to their outcome on the dev server.
 */
import { describe, expect, it } from 'vitest';
import { onboardToOutcome, onboardingInput, useOnboardingServer, type Harness } from '../helpers/onboarding';

const server = useOnboardingServer('dev-server');
const applicantFirst = server.harness({ autoSignMs: 0 });
const withoutPriority = server.harness({ autoSignMs: 0, applicantFirst: false });

const fast = { statusCheckInitialMs: '1 second', statusCheckMaxMs: '2 seconds' };

/** Each scheduled activity's type with the priority key its schedule carried (0: none, the default). */
async function scheduledPriorities(h: Harness, onboardingId: string): Promise<Array<[string, number]>> {
  const history = await h.client.handle(onboardingId).fetchHistory();
  return history
    .events!.map((e) => e.activityTaskScheduledEventAttributes)
    .filter((a) => a !== null && a !== undefined)
    .map((a) => [a.activityType!.name!, a.priority?.priorityKey ?? 0]);
}

describe('the applicant first', () => {
  it('schedules the identity check that sends the SMS token and the token check before the CCB, the envelope and the signed PDF', async () => {
    const input = onboardingInput({ signingProvider: 'assinebem', policy: fast });
    expect((await onboardToOutcome(applicantFirst, input)).outcome.status).toBe('completed');
    const scheduled = await scheduledPriorities(applicantFirst, input.onboardingId);
    const priorityOf = new Map(scheduled);
    expect(priorityOf.get('startIdentityCheck')).toBe(1);
    expect(priorityOf.get('checkSmsToken')).toBe(1);
    for (const background of ['createCcbProposal', 'sendForSignature', 'finalizeSignedCcb'])
      expect(priorityOf.get(background), background).toBe(4);
    // Every activity the onboarding scheduled is one or the other.
    expect(scheduled.every(([, key]) => key === 1 || key === 4)).toBe(true);
  });

  it("with TASK_QUEUE_PRIORITY off, schedules every call at the onboarding's own priority", async () => {
    const input = onboardingInput({ signingProvider: 'assinebem', policy: fast });
    expect((await onboardToOutcome(withoutPriority, input)).outcome.status).toBe('completed');
    const scheduled = await scheduledPriorities(withoutPriority, input.onboardingId);
    expect(scheduled.length).toBeGreaterThanOrEqual(5);
    expect(scheduled.filter(([, key]) => key !== 0)).toEqual([]);
  });
});
