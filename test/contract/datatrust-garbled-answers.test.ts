/**
 * Data Trust when the transaction's answer is garbled after ClearSale created it (and sent the SMS):
 * the identity check fails with a typed failure; the lookup finds the transaction by the reference
 * the product derives (`AdditionalInformation.Transaction`, searched by the applicant's document);
 * a retried check reuses it, so the applicant gets one SMS.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withFailureTranslation } from '../../src/activities/failures';
import { identityActivities } from '../../src/activities/identity';
import { parseOnboardingInput } from '../../src/domain/input';
import { DataTrustClient } from '../../src/providers/datatrust';
import { createDataTrustSimulator, type DataTrustSimulator } from '../../simulators/datatrust/simulator';
import { newOnboardingId, onboardingInput } from '../helpers/inputs';
import { addFaults, clearFaults, simulatorState } from '../helpers/simulators';

const TRANSACTION_ROUTE = 'POST /products/v1/datatrust';
const quiet = { logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } };
const inActivity = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  new MockActivityEnvironment({}, quiet).run(fn, ...args);

let sim: DataTrustSimulator;
let baseUrl: string;
let client: DataTrustClient;
let activities: ReturnType<typeof identityActivities>;

beforeAll(async () => {
  sim = createDataTrustSimulator({ port: 0 });
  baseUrl = await sim.listen();
  client = new DataTrustClient({ baseUrl, username: 'simulator', password: 'simulator' });
  activities = withFailureTranslation(identityActivities(client));
});
afterEach(() => clearFaults(baseUrl));
afterAll(async () => {
  await client.close();
  await sim.close();
});

describe('the Data Trust transaction, its answer garbled after ClearSale created it', () => {
  it('fails as a final ContractError; the lookup finds it by reference; a retried check reuses it: one SMS', async () => {
    const input = parseOnboardingInput(onboardingInput({ onboardingId: newOnboardingId('garbled-dt') }));
    const request = {
      workflowId: `onboarding-${input.onboardingId}`,
      attempt: 0,
      applicant: input.applicant,
    };
    expect(await inActivity(activities.findIdentityCheck, request)).toEqual({});
    await addFaults(baseUrl, [{ route: TRANSACTION_ROUTE, kind: 'commit-then-garble', times: 1 }]);

    const failure = await inActivity(activities.startIdentityCheck, request).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ type: 'ContractError', nonRetryable: true });

    const found = await inActivity(activities.findIdentityCheck, request);
    expect(found.transactionId).toEqual(expect.any(String));
    const check = await inActivity(activities.startIdentityCheck, request);
    expect(check.transactionId).toBe(found.transactionId);
    const { sms } = await simulatorState<{ sms: Array<{ transactionId: string }> }>(baseUrl);
    expect(sms.filter((s) => s.transactionId === check.transactionId)).toHaveLength(1);
    // Another attempt's reference (a resend) is another transaction: not found under this one's.
    expect(await inActivity(activities.findIdentityCheck, { ...request, attempt: 1 })).toEqual({});
  });
});
