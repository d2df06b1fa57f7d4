/**
 * Attacks on the messages that steer an onboarding, from someone who reaches Temporal but holds no
 * key, or who copies a ciphertext from one onboarding's history into another's: each is refused,
 * the onboarding is unchanged, and the refusal shows in its status. A command from the client,
 * which holds the key ring, is taken and records who sent it.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { expect, it } from 'vitest';
import { workflowIdFor } from '../../src/messages';
import { cpfs, onboardingInput, useOnboardingServer, waitForStatus } from '../helpers/onboarding';

const server = useOnboardingServer('dev-server');
const h = server.harness({ autoSignMs: null });

/** A client that reaches Temporal with no key ring: its payloads go in clear. */
const keyless = () =>
  new Client({ connection: h.env.connection, namespace: h.env.namespace ?? 'default' }).workflow;

const inReview = async () => {
  const input = onboardingInput({ cpf: cpfs.review });
  await h.client.start(input);
  await waitForStatus(h.client, input.onboardingId, (s) => s.stage === 'manual_review');
  return input.onboardingId;
};

const refusals = async (id: string, count: number) =>
  (await waitForStatus(h.client, id, (s) => s.refusedCommands.length >= count)).refusedCommands;

it('a plain review decision and cancel from a client without the key change nothing, and are refused', async () => {
  await h.run(async () => {
    const id = await inReview();
    const handle = keyless().getHandle(workflowIdFor(id));
    await handle.signal('reviewDecision', { approved: true, reviewer: 'mallory' });
    await handle.signal('cancel', 'mallory says stop');
    // With no payload at all, a command names nobody.
    await handle.signal('cancel');
    expect((await refusals(id, 3)).map(({ command, reason }) => ({ command, reason }))).toEqual([
      { command: 'reviewDecision', reason: 'unencrypted' },
      { command: 'cancel', reason: 'unencrypted' },
      { command: 'cancel', reason: 'no-principal' },
    ]);
    const status = await h.client.status(id);
    expect(status.stage).toBe('manual_review');
    expect(status.review?.decision).toBeUndefined();
    expect(status.cancelRequested).toBe(false);

    // The key holder's cancel is taken, and names who sent it.
    await h.client.cancel(id, 'test over');
    expect((await h.client.result(id)).status).toBe('cancelled');
    expect((await h.client.status(id)).cancel).toEqual({
      reason: 'test over',
      principal: h.client.principal,
    });
  });
});

it("a ciphertext copied from one onboarding's history into a signal to another is refused", async () => {
  await h.run(async () => {
    const [a, b] = [await inReview(), await inReview()];
    await h.client.review(a, { approved: false, reason: 'income not proven' });
    expect((await h.client.result(a)).status).toBe('rejected');
    const { events } = await h.client.handle(a).fetchHistory();
    const signalled = events!.find(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'reviewDecision',
    );
    const copied = signalled!.workflowExecutionSignaledEventAttributes!.input!.payloads![0]! as Payload;

    await h.client.client.workflowService.signalWorkflowExecution({
      namespace: h.env.namespace ?? 'default',
      workflowExecution: { workflowId: workflowIdFor(b) },
      signalName: 'reviewDecision',
      input: temporal.api.common.v1.Payloads.create({ payloads: [copied] }),
      identity: 'mallory',
      requestId: randomUUID(),
    });
    expect((await refusals(b, 1)).map((r) => r.reason)).toEqual(['another-onboarding']);
    const status = await h.client.status(b);
    expect(status.stage).toBe('manual_review');
    expect(status.review?.decision).toBeUndefined();
    await h.client.cancel(b, 'test over');
  });
});

it('an encrypted command that names no principal is refused; one from the client records its principal', async () => {
  await h.run(async () => {
    const id = await inReview();
    // As a client from before commands named their principal would send it.
    await h.client.handle(id).signal('reviewDecision', { approved: true, reviewer: 'mallory' });
    // An API key of another tenant: the API never sends one, and the onboarding holds if anything did.
    await h.client.handle(id).signal('reviewDecision', {
      approved: true,
      principal: { type: 'api-key', name: 'backend-b', tenant: 'lender-b' },
    });
    expect((await refusals(id, 2)).map((r) => r.reason)).toEqual(['no-principal', 'another-tenant']);
    expect((await h.client.status(id)).stage).toBe('manual_review');

    await h.client.review(id, { approved: false, reason: 'documents do not match', onBehalfOf: 'analyst-7' });
    expect((await h.client.result(id)).status).toBe('rejected');
    expect((await h.client.status(id)).review?.decision).toEqual({
      approved: false,
      reason: 'documents do not match',
      principal: { type: 'service', name: 'backend', tenant: 'default' },
      onBehalfOf: 'analyst-7',
    });
  });
});

it('a plain SMS token is refused: the update is rejected, the signal recorded, and no try is spent', async () => {
  await h.run(async () => {
    const input = onboardingInput({});
    const id = input.onboardingId;
    await h.client.start(input);
    await waitForStatus(h.client, id, (s) => s.stage === 'sms_token');
    const handle = keyless().getHandle(workflowIdFor(id));
    // Rejected (its reason is encrypted for the key holder: this caller cannot even read it).
    await expect(handle.executeUpdate('validateSmsToken', { args: ['000000'] })).rejects.toThrow();
    await handle.signal('submitSmsToken', '000000');
    await handle.signal('resendSmsToken');
    expect((await refusals(id, 2)).map(({ command, reason }) => ({ command, reason }))).toEqual([
      { command: 'submitSmsToken', reason: 'unencrypted' },
      { command: 'resendSmsToken', reason: 'no-principal' },
    ]);
    const status = await h.client.status(id);
    expect(status.smsToken).toMatchObject({ attemptsLeft: 3, resendsLeft: 2 });
    await h.client.cancel(id, 'test over');
  });
});
