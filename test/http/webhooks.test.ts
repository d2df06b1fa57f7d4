/**
 * The providers' webhooks over real HTTP: each receiver's proof (missing, wrong, right), bodies that
 * are not the provider's, unknown references acknowledged like known ones; a signature at each
 * signing simulator waking the onboarding waiting for it through the webhook (its timers are an
 * hour away); ClearSale's notification making the onboarding read the token back; bursts folded.
 */
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { dataTrustWebhookAuth } from '../../src/providers/datatrust/webhook';
import {
  signingProviderModules,
  signingProviderNames,
  type SigningProviderName,
} from '../../src/providers/registry';
import { webhookProof, type WebhookAuth } from '../../src/providers/webhook-auth';
import { signingSimulators } from '../../simulators/registry';
import { useApi, waitForApiStage } from '../helpers/api';
import { onboardingInput, useOnboardingServer } from '../helpers/onboarding';
import { signAtProvider } from '../helpers/simulators';

const server = useOnboardingServer('dev-server');
// Signers sign only when told to: a signature is an event the test makes.
const h = server.harness({ autoSignMs: null });
const api = useApi(h);

const SECRET = 'simulator'; // the receivers' default, accepted on loopback (the API listens there)
const hmac = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const post = (path: string, body: string, headers: Record<string, string>) =>
  fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

/** How each receiver's deliveries prove themselves: Data Trust's, then each signing provider's. */
const auths: Record<'datatrust' | SigningProviderName, WebhookAuth> = {
  datatrust: dataTrustWebhookAuth,
  ...(Object.fromEntries(signingProviderModules.map((m) => [m.name, m.webhook.auth])) as Record<
    SigningProviderName,
    WebhookAuth
  >),
};
const proofOf = (name: keyof typeof auths, body: string, secret = SECRET) =>
  webhookProof(auths[name], secret, Buffer.from(body));

/** A delivery of each receiver about an envelope nobody has, as its simulator sends one. */
const deliveries: Record<keyof typeof auths, string> = {
  datatrust: JSON.stringify({
    Code: 'unknown-transaction',
    TypeId: 1,
    Description: 'Token SMS: Valid',
    Date: new Date().toISOString(),
  }),
  ...(Object.fromEntries(
    signingProviderNames.map((name) => [
      name,
      JSON.stringify(signingSimulators[name].webhookBody('unknown-envelope')),
    ]),
  ) as Record<SigningProviderName, string>),
};

describe.each(Object.keys(deliveries) as Array<keyof typeof deliveries>)('POST /webhooks/%s', (name) => {
  it('refuses a delivery without its proof or with a wrong one (401), and acknowledges a proved one (202)', async () => {
    const body = deliveries[name];
    expect((await post(`/webhooks/${name}`, body, {})).status).toBe(401);
    expect((await post(`/webhooks/${name}`, body, proofOf(name, body, 'not-the-secret'))).status).toBe(401);
    // An unknown reference gets the same answer as a known one: the answer says nothing about what exists.
    const res = await post(`/webhooks/${name}`, body, proofOf(name, body));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: true });
  });

  it('answers 400 to a proved body that is not a notification, and checks the proof first', async () => {
    const notJson = '{"half":';
    expect((await post(`/webhooks/${name}`, notJson, proofOf(name, notJson))).status).toBe(400);
    const other = '{"hello":"world"}';
    expect((await post(`/webhooks/${name}`, other, proofOf(name, other))).status).toBe(400);
    expect((await post(`/webhooks/${name}`, other, {})).status).toBe(401);
  });
});

it('refuses a Securities delivery whose body changed after it was signed', async () => {
  const body = JSON.stringify({ event: { name: 'sign' }, document: { key: 'doc-a' } });
  const tampered = body.replace('doc-a', 'doc-b');
  expect((await post('/webhooks/securities', tampered, { 'content-hmac': hmac(body) })).status).toBe(401);
});

describe.each(signingProviderNames)('a signature at %s', (provider) => {
  it('wakes the onboarding waiting for it through the webhook, with its next check an hour away', async () => {
    const input = onboardingInput({
      signingProvider: provider,
      policy: {
        statusCheckInitialMs: '1 hour',
        statusCheckMaxMs: '1 hour',
        statusCheckJitter: 0,
        reminderIntervalMs: '1 day',
      },
    });
    const id = input.onboardingId;
    await h.run(async () => {
      await api.call('POST', '/v1/onboardings', input);
      const status = await waitForApiStage(api, id, 'sms_token');
      const token = await h.simulators.datatrust.smsTokenFor(status.references.dataTrustTransactionId!);
      await api.call('POST', `/v1/onboardings/${id}/sms-token`, { token });
      let waiting = await waitForApiStage(api, id, 'waiting_signatures');
      // The first check has run and the next is scheduled.
      while (waiting.signature?.nextCheck === undefined) {
        await sleep(50);
        waiting = await waitForApiStage(api, id, 'waiting_signatures');
      }
      expect(Date.parse(waiting.signature!.nextCheck!) - Date.now()).toBeGreaterThan(50 * 60_000);

      const signedAt = Date.now();
      await signAtProvider(h.simulators.baseUrls, provider, waiting.references.envelopeId!);
      const outcome = await api.call('GET', `/v1/onboardings/${id}/outcome?waitSeconds=20`);
      const wokenAfterMs = Date.now() - signedAt;
      expect(outcome.status).toBe(200);
      expect(await outcome.json()).toMatchObject({ status: 'completed' });
      console.log(`${provider}: signature to outcome through the webhook in ${wokenAfterMs} ms`);
    });
    // Woken by the webhook's signal, not by a timer.
    const history = await h.env.client.workflow.getHandle(`onboarding-${id}`).fetchHistory();
    const signals = history.events!.filter(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'signatureEvent',
    );
    expect(signals.length).toBeGreaterThanOrEqual(1);
    const fired = history.events!.filter((e) => e.timerFiredEventAttributes);
    expect(fired).toHaveLength(0);
  });
});

it("ClearSale's notification makes the onboarding read the token back: validated elsewhere, it moves on", async () => {
  const input = onboardingInput({ signingProvider: 'securities', policy: { smsTokenTimeoutMs: '1 hour' } });
  const id = input.onboardingId;
  await h.run(async () => {
    await api.call('POST', '/v1/onboardings', input);
    const status = await waitForApiStage(api, id, 'sms_token');
    const transactionId = status.references.dataTrustTransactionId!;
    const token = await h.simulators.datatrust.smsTokenFor(transactionId);
    // The applicant typed the token into another channel that validates it at ClearSale directly.
    await h.providers.datatrust.validateSmsToken(transactionId, token);
    const moved = await waitForApiStage(api, id, 'waiting_signatures', 10_000);
    expect(moved.smsToken.lastResult).toBe('Valid');
    await api.call('POST', `/v1/onboardings/${id}/cancel`, { reason: 'test over' });
  });
  const history = await h.env.client.workflow.getHandle(`onboarding-${id}`).fetchHistory();
  const names = history.events!.flatMap((e) => e.workflowExecutionSignaledEventAttributes?.signalName ?? []);
  expect(names).toContain('dataTrustEvent');
  expect(names).not.toContain('submitSmsToken');
});

it('folds a burst of deliveries about one onboarding into a couple of signals', async () => {
  const input = onboardingInput({
    signingProvider: 'assinebem',
    policy: { statusCheckInitialMs: '1 hour', statusCheckMaxMs: '1 hour', reminderIntervalMs: '1 day' },
  });
  const id = input.onboardingId;
  await h.run(async () => {
    await api.call('POST', '/v1/onboardings', input);
    const status = await waitForApiStage(api, id, 'sms_token');
    await api.call('POST', `/v1/onboardings/${id}/sms-token`, {
      token: await h.simulators.datatrust.smsTokenFor(status.references.dataTrustTransactionId!),
    });
    const waiting = await waitForApiStage(api, id, 'waiting_signatures');
    const body = JSON.stringify({ id_externo_documento: waiting.references.envelopeId });
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        post('/webhooks/assinebem', body, { authorization: `Bearer ${SECRET}` }),
      ),
    );
    expect(answers.every((a) => a.status === 202)).toBe(true);
    await sleep(1_500);
    await api.call('POST', `/v1/onboardings/${id}/cancel`, { reason: 'test over' });
    await api.call('GET', `/v1/onboardings/${id}/outcome?waitSeconds=20`);
  });
  const history = await h.env.client.workflow.getHandle(`onboarding-${id}`).fetchHistory();
  const signals = history.events!.filter(
    (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'signatureEvent',
  );
  expect(signals.length).toBeGreaterThanOrEqual(1);
  expect(signals.length).toBeLessThanOrEqual(3);
});
