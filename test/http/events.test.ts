/**
 * Events pushed to the lender's backend, over real HTTP: a receiver that refuses the first three
 * deliveries still gets every event of two onboardings, each verified, in order per onboarding,
 * a redelivery carrying the same id, with no personal data; the delivery log says what happened;
 * a re-send delivers the same id again and records the key; another tenant sees nothing.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EventReceiver } from '../../scripts/events/receiver';
import { startEventReceiver } from '../../scripts/events/receiver';
import type { DeliveryLog, OnboardingEvent } from '../../src/domain/events';
import { sha256Hex } from '../../src/http/api-keys';
import { API_KEYS, useApi } from '../helpers/api';
import { answerSmsToken, onboardingInput, useOnboardingServer } from '../helpers/onboarding';
import { until } from '../helpers/until';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
let receiver: EventReceiver;
const events = { endpoints: '', secrets: `default=${SECRET}`, firstRetryMs: 200 };
// Before the harness's own beforeAll, which reads `events`.
beforeAll(async () => {
  receiver = await startEventReceiver({ secrets: [SECRET], failFirst: 3 });
  events.endpoints = `backend@default=${receiver.url}`;
});
afterAll(() => receiver?.close());

const server = useOnboardingServer('dev-server');
const h = server.harness({
  autoSignMs: 300,
  events,
});
const OTHER_KEY = 'other-tenant-key-0123456789';
const api = useApi(h, { API_KEYS: `${API_KEYS},lender-b@lender-b:all:${sha256Hex(OTHER_KEY)}` });

const eventsOf = (id: string): OnboardingEvent[] =>
  receiver.received.filter((r) => r.event.onboardingId === id).map((r) => r.event);

it('reach a receiver that fails at first: all of them, verified, in order, with the same ids when redelivered', async () => {
  await h.run(async () => {
    const inputs = [
      onboardingInput({ signingProvider: 'securities' }),
      onboardingInput({ signingProvider: 'assinebem' }),
    ];
    for (const input of inputs) await h.client.start(input);
    for (const input of inputs) await answerSmsToken(h, input.onboardingId);
    for (const input of inputs) expect((await h.client.result(input.onboardingId)).status).toBe('completed');

    for (const input of inputs) {
      const id = input.onboardingId;
      await until(async () => eventsOf(id).some((e) => e.type === 'onboarding.finished'), 20_000);
      const events = eventsOf(id);
      // Each event once here (the refused attempts were answered 500 before they were taken), in order.
      expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
      expect(events.map((e) => e.stage)).toEqual(
        expect.arrayContaining([
          'identity_check',
          'sms_token',
          'ccb_proposal',
          'waiting_signatures',
          'finished',
        ]),
      );
      const finished = events.at(-1)!;
      expect(finished).toMatchObject({ type: 'onboarding.finished', outcome: { status: 'completed' } });
      expect(finished.outcome!.references.envelopeId).toBeDefined();
      // The completion event carries the signed evidence record (docs/evidence.md).
      expect(finished.outcome!.evidence?.signature.alg).toBe('Ed25519');
      const text = JSON.stringify(events);
      for (const personal of [
        input.applicant.cpf,
        input.applicant.name,
        input.applicant.phone,
        input.applicant.email,
      ])
        expect(text).not.toContain(personal);
    }
    // The three refused deliveries came again with the same ids.
    expect(receiver.refusedIds).toHaveLength(3);
    for (const id of receiver.refusedIds) expect(receiver.received.map((r) => r.event.id)).toContain(id);
    expect(receiver.refused).toEqual([]);

    const first = inputs[0]!.onboardingId;
    const log = await api.call('GET', `/v1/events?onboardingId=${first}`);
    expect(log.status).toBe(200);
    const deliveries = ((await log.json()) as DeliveryLog).deliveries;
    expect(deliveries.map((d) => d.state)).toEqual(deliveries.map(() => 'delivered'));
    expect(deliveries[0]!.endpoints).toEqual([expect.objectContaining({ endpoint: 'backend', status: 204 })]);
    expect(deliveries.some((d) => d.endpoints[0]!.attempt > 1)).toBe(true);

    const last = deliveries.at(-1)!.eventId;
    const resent = await api.call('POST', `/v1/events/${last}/resend`);
    expect(resent.status).toBe(202);
    await until(async () => receiver.received.some((r) => r.event.id === last && r.seenBefore === 1), 10_000);
    const after = (await (await api.call('GET', `/v1/events?onboardingId=${first}`)).json()) as DeliveryLog;
    expect(after.deliveries.at(-1)!.resends).toEqual([
      expect.objectContaining({ principal: 'api-key default/backend-test' }),
    ]);

    expect((await api.call('GET', '/v1/events?onboardingId=never-started')).status).toBe(404);
    const other = { authorization: `Bearer ${OTHER_KEY}` };
    expect((await api.call('GET', `/v1/events?onboardingId=${first}`, undefined, other)).status).toBe(404);
    expect((await api.call('POST', `/v1/events/${last}/resend`, undefined, other)).status).toBe(404);
  });
});

it('answers 503, not an error, while no worker serves the onboarding', async () => {
  const id = receiver.received[0]!.event.onboardingId;
  for (const path of [`/v1/events?onboardingId=${id}`, `/v1/onboardings/${id}`]) {
    const answer = await api.call('GET', path);
    expect(answer.status, path).toBe(503);
    expect(answer.headers.get('retry-after'), path).toBeDefined();
  }
}, 60_000);
