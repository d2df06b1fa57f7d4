/**
 * The API's limits, tried as an attacker would: 100 starts for one phone number (each start has
 * Data Trust send a paid SMS), resends past the phone's SMS budget, a key flooding writes, a flood
 * of webhook deliveries. Past each limit the answer is 429 with Retry-After, nothing reaches
 * Temporal or Data Trust, and another tenant's key still gets through.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/http/api-keys';
import { signingProviderModules } from '../../src/providers/registry';
import { webhookProof } from '../../src/providers/webhook-auth';
import { signingSimulators } from '../../simulators/registry';
import { useApi, waitForApiStage, type ApiUnderTest } from '../helpers/api';
import { onboardingInput, useOnboardingServer } from '../helpers/onboarding';
import { simulatorState } from '../helpers/simulators';

const server = useOnboardingServer('dev-server');
const h = server.harness({ autoSignMs: null });

const KEY_A = 'limits-lender-a-0123456789';
const KEY_A2 = 'limits-lender-a-second-0123456789';
const KEY_B = 'limits-lender-b-0123456789';
const API_KEYS = [
  `backend-a@lender-a:all:${sha256Hex(KEY_A)}`,
  `backend-a2@lender-a:all:${sha256Hex(KEY_A2)}`,
  `backend-b@lender-b:all:${sha256Hex(KEY_B)}`,
].join(',');

// A service with small per-key, per-tenant and webhook limits. It is set up first, so that the
// simulators' own webhooks go to the other one.
const tight = useApi(h, {
  API_KEYS,
  API_WRITES_PER_MINUTE_PER_KEY: '3',
  API_WRITES_PER_MINUTE_PER_TENANT: '5',
  API_WEBHOOKS_PER_MINUTE_PER_PROVIDER: '5',
});
// A service with small per-phone limits, and room for 100 starts a minute from one key.
const api = useApi(h, {
  API_KEYS,
  API_WRITES_PER_MINUTE_PER_KEY: '1000',
  API_STARTS_PER_DAY_PER_PHONE: '3',
  API_SMS_PER_DAY_PER_PHONE: '4',
});

const as =
  (service: ApiUnderTest, key: string) =>
  (method: string, path: string, body?: unknown): Promise<Response> =>
    service.call(method, path, body, { authorization: `Bearer ${key}` });
const a = as(api, KEY_A);
const b = as(api, KEY_B);
const asA: ApiUnderTest = { ...api, call: (m, p, body) => a(m, p, body) };

const dataTrustCounts = async () =>
  (await simulatorState<{ counts: Record<string, number> }>(h.simulators.baseUrls.DATATRUST_BASE_URL)).counts;

/** Waits until Data Trust has sent `expected` SMS since `before`; the count then. */
async function smsSentSince(before: Record<string, number>, expected: number): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const sent = (await dataTrustCounts())['smsSent']! - before['smsSent']!;
    if (sent >= expected || Date.now() > deadline) return sent;
    await sleep(50);
  }
}

/** Runs `fn` while the worker polls, then cancels every onboarding it says it started, whatever happened. */
const startingOnboardings = (fn: (started: string[]) => Promise<void>) =>
  h.run(async () => {
    const started: string[] = [];
    try {
      await fn(started);
    } finally {
      for (const id of started) await h.client.cancel(id, 'test over');
    }
  });

/** A start body for the applicant with `phone` (the digits of a mobile number). */
const startFor = (phone: string) => {
  const input = onboardingInput({});
  return { ...input, applicant: { ...input.applicant, phone } };
};

/** A 429 as the API answers it: Retry-After in seconds, and an error that names no value sent. */
async function expectTooMany(res: Response, maxSeconds: number, sent: string[] = []): Promise<string> {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  const body = (await res.json()) as { error: string };
  expect(Object.keys(body)).toEqual(['error']);
  for (const value of sent) expect(body.error).not.toContain(value);
  return body.error;
}

describe('the per-phone limits', () => {
  it('100 starts for one phone number in a minute: 3 start, 97 get 429, and Data Trust hears of the 3 only', async () => {
    const phone = '11987650101';
    const inputs = Array.from({ length: 100 }, () => startFor(phone));
    await startingOnboardings(async (started) => {
      const before = await dataTrustCounts();
      const answers = await Promise.all(inputs.map((input) => a('POST', '/v1/onboardings', input)));
      started.push(...inputs.filter((_, i) => answers[i]!.status === 201).map((i) => i.onboardingId));
      const refused = inputs.filter((_, i) => answers[i]!.status !== 201).map((i) => i.onboardingId);
      expect(started).toHaveLength(3);
      const errors = new Set<string>();
      for (const res of answers.filter((r) => r.status !== 201))
        errors.add(await expectTooMany(res, 86_400, [phone, '98765', '0101']));
      expect([...errors]).toEqual([expect.stringContaining('phone number')]);

      for (const id of started) await waitForApiStage(asA, id, 'sms_token');
      // Another lender's applicant with this number is not refused, nor told anything.
      const theirs = startFor(phone);
      const theirStart = await b('POST', '/v1/onboardings', theirs);
      if (theirStart.status === 201) started.push(theirs.onboardingId);
      expect(theirStart.status).toBe(201);
      await waitForApiStage(
        { ...api, call: (m, p, body) => b(m, p, body) },
        theirs.onboardingId,
        'sms_token',
      );

      expect(await smsSentSince(before, 4)).toBe(4);
      const after = await dataTrustCounts();
      expect(after['transactions']! - before['transactions']!).toBe(4);
      // None of the refused ones started.
      for (const id of refused.slice(0, 10))
        expect((await a('GET', `/v1/onboardings/${id}`)).status).toBe(404);
    });
  });

  it('counts a start and each resend against the phone: past its SMS a day, 429 and no SMS', async () => {
    const phone = '21987650202';
    const first = startFor(phone);
    const second = startFor(phone);
    await startingOnboardings(async (started) => {
      const before = await dataTrustCounts();
      const start = async (input: typeof first) => {
        const res = await a('POST', '/v1/onboardings', input);
        if (res.status === 201) started.push(input.onboardingId);
        return res;
      };
      expect((await start(first)).status).toBe(201);
      await waitForApiStage(asA, first.onboardingId, 'sms_token');
      // The same start again (a retry) sends nothing new and is not counted.
      expect((await a('POST', '/v1/onboardings', first)).status).toBe(200);
      for (let sent = 2; sent <= 3; sent++) {
        expect((await a('POST', `/v1/onboardings/${first.onboardingId}/sms-token/resend`)).status).toBe(202);
        expect(await smsSentSince(before, sent)).toBe(sent);
      }
      expect((await start(second)).status).toBe(201);
      await waitForApiStage(asA, second.onboardingId, 'sms_token');
      expect(await smsSentSince(before, 4)).toBe(4);

      // The policy would allow this onboarding two resends; the phone has had its 4 SMS today.
      const resend = await a('POST', `/v1/onboardings/${second.onboardingId}/sms-token/resend`);
      expect(await expectTooMany(resend, 86_400, [phone])).toContain('SMS');
      const status = (await (await a('GET', `/v1/onboardings/${second.onboardingId}`)).json()) as {
        smsToken: { resendsLeft: number };
      };
      expect(status.smsToken.resendsLeft).toBe(2);
      // A third onboarding is within the 3 starts a day, but its start would send a fifth SMS.
      const third = startFor(phone);
      await expectTooMany(await start(third), 86_400, [phone]);
      expect((await a('GET', `/v1/onboardings/${third.onboardingId}`)).status).toBe(404);

      await sleep(1_000);
      const after = await dataTrustCounts();
      expect(after['smsSent']! - before['smsSent']!).toBe(4);
    });
  });
});

describe('the per-key and per-tenant rate limits', () => {
  const call = (key: string) => (method: string, path: string, body?: unknown) =>
    as(tight, key)(method, path, body);
  const cancel = (key: string) =>
    call(key)('POST', '/v1/onboardings/no-such-onboarding/cancel', { reason: 'x' });

  it("a key over its writes a minute gets 429, while another tenant's key still gets through", async () => {
    await h.run(async () => {
      for (let i = 0; i < 3; i++) expect((await cancel(KEY_A)).status).toBe(404);
      const over = await cancel(KEY_A);
      expect(await expectTooMany(over, 60, ['no-such-onboarding'])).toContain('API key');
      expect((await cancel(KEY_B)).status).toBe(404);
      // Reads have a budget of their own.
      expect((await call(KEY_A)('GET', '/v1/onboardings/no-such-onboarding')).status).toBe(404);

      // The tenant's budget is shared by its keys: the second key has 2 writes left of the 5.
      for (let i = 0; i < 2; i++) expect((await cancel(KEY_A2)).status).toBe(404);
      expect(await expectTooMany(await cancel(KEY_A2), 60)).toContain('tenant');
      expect((await cancel(KEY_B)).status).toBe(404);
    });
  });

  it('documents the 429 in the OpenAPI answers of every route that can give it', async () => {
    const doc = (await (await fetch(`${tight.url}/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ route: `${method} ${path}`, op })),
    );
    expect(operations.length).toBeGreaterThan(8);
    for (const { route, op } of operations) expect(Object.keys(op.responses), route).toContain('429');
  });
});

describe('the webhook limit', () => {
  it('a flood of deliveries to one receiver gets 429 past the limit; proofless ones do not use it up', async () => {
    const securities = signingProviderModules.find((m) => m.name === 'securities')!;
    const body = JSON.stringify(signingSimulators.securities.webhookBody('unknown-envelope'));
    const proved = webhookProof(securities.webhook.auth, 'simulator', Buffer.from(body));
    const deliver = (headers: Record<string, string>, name = 'securities', text = body) =>
      fetch(`${tight.url}/webhooks/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: text,
      });
    await h.run(async () => {
      for (let i = 0; i < 10; i++) expect((await deliver({})).status).toBe(401);
      const flood = await Promise.all(Array.from({ length: 20 }, () => deliver(proved)));
      expect(flood.filter((r) => r.status === 202)).toHaveLength(5);
      const refused = flood.filter((r) => r.status !== 202);
      expect(refused).toHaveLength(15);
      for (const res of refused) await expectTooMany(res, 60);
      // The limit is the receiver's: another provider's deliveries still get through.
      const signio = signingProviderModules.find((m) => m.name === 'signio')!;
      const theirs = JSON.stringify(signingSimulators.signio.webhookBody('unknown-envelope'));
      const res = await deliver(
        webhookProof(signio.webhook.auth, 'simulator', Buffer.from(theirs)),
        'signio',
        theirs,
      );
      expect(res.status).toBe(202);
    });
  });
});
