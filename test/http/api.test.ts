/**
 * The backend API over real HTTP, on the dev server, a worker and the simulators: an onboarding
 * driven only through the API, every error status, the list, the access log; and what a backend
 * relies on when Temporal is down or slow (503 with Retry-After, never a hang).
 */
import { testPolicies } from '../helpers/policies';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { OnboardingClient } from '../../src/client';
import { loadConfig } from '../../src/config';
import { startApi } from '../../src/api';
import { API_KEY, API_KEYS, useApi, waitForApiStage } from '../helpers/api';
import { cpfs, onboardingInput, useOnboardingServer } from '../helpers/onboarding';
import { testDataConverter } from '../helpers/temporal';

const server = useOnboardingServer('dev-server');
const h = server.harness({ autoSignMs: 300 });
const api = useApi(h);

const json = async <T = Record<string, unknown>>(res: Response): Promise<T> => (await res.json()) as T;

/** Runs `fn` while the harness's worker polls. */
const withWorker = <T>(fn: () => Promise<T>) => h.run(fn);

describe('an onboarding driven only through the API', () => {
  it('starts, takes the SMS token, and answers the outcome; a repeated start is 200, a different one 409', async () => {
    const input = onboardingInput({ signingProvider: 'securities' });
    const id = input.onboardingId;
    await withWorker(async () => {
      const created = await api.call('POST', '/v1/onboardings', input);
      expect(created.status).toBe(201);
      const body = await json(created);
      expect(body).toEqual({
        onboardingId: id,
        workflowId: `onboarding-${id}`,
        statusUrl: `/v1/onboardings/${id}`,
      });
      expect(created.headers.get('location')).toBe(`/v1/onboardings/${id}`);

      const again = await api.call('POST', '/v1/onboardings', input);
      expect(again.status).toBe(200);
      expect(await json(again)).toEqual(body);
      const different = await api.call('POST', '/v1/onboardings', {
        ...input,
        loan: { ...input.loan, installments: input.loan.installments + 1 },
      });
      expect(different.status).toBe(409);
      expect(await json(different)).toEqual({
        error: 'an onboarding with this id was already started with a different input',
      });

      const waiting = await waitForApiStage(api, id, 'sms_token');
      // It runs on, and is judged by, the policy it named, as the server defines it.
      expect(waiting.policy).toEqual({ name: input.policy, version: 1 });
      const pending = await api.call('GET', `/v1/onboardings/${id}/outcome?waitSeconds=0`);
      expect(pending.status).toBe(202);
      expect((await json(pending)).stage).toBe('sms_token');

      const token = await h.simulators.datatrust.smsTokenFor(waiting.references.dataTrustTransactionId!);
      const wrong = await api.call('POST', `/v1/onboardings/${id}/sms-token`, {
        token: token === '000000' ? '111111' : '000000',
      });
      expect(wrong.status).toBe(200);
      expect(await json(wrong)).toMatchObject({ result: 'Incorrect' });
      const right = await api.call('POST', `/v1/onboardings/${id}/sms-token`, { token });
      expect(right.status).toBe(200);
      expect(await json(right)).toMatchObject({ result: 'Valid' });

      const outcome = await api.call('GET', `/v1/onboardings/${id}/outcome?waitSeconds=25`);
      expect(outcome.status).toBe(200);
      const ended = await json<{ status: string; onboardingId: string }>(outcome);
      expect(ended).toMatchObject({ status: 'completed', onboardingId: id });

      // Messages to an ended onboarding are conflicts, not missing onboardings.
      expect((await api.call('POST', `/v1/onboardings/${id}/sms-token`, { token })).status).toBe(409);
      expect((await api.call('POST', `/v1/onboardings/${id}/cancel`, { reason: 'late' })).status).toBe(409);
      expect((await api.call('POST', `/v1/onboardings/${id}/sms-token/resend`)).status).toBe(409);
    });
  });

  it('reviews and cancels through the API', async () => {
    const review = onboardingInput({ cpf: cpfs.review, signingProvider: 'securities' });
    const cancelled = onboardingInput({ signingProvider: 'securities' });
    await withWorker(async () => {
      expect((await api.call('POST', '/v1/onboardings', review)).status).toBe(201);
      await waitForApiStage(api, review.onboardingId, 'manual_review');
      const decided = await api.call('POST', `/v1/onboardings/${review.onboardingId}/review`, {
        approved: false,
        reviewer: 'analyst-7',
        reason: 'documents do not match',
      });
      expect(decided.status).toBe(202);
      const outcome = await api.call('GET', `/v1/onboardings/${review.onboardingId}/outcome?waitSeconds=20`);
      expect(await json(outcome)).toMatchObject({ status: 'rejected' });
      // The key that sent the decision is recorded; the name the caller typed only as its statement.
      const decision = (await json(await api.call('GET', `/v1/onboardings/${review.onboardingId}`))) as {
        review: { decision: object };
      };
      expect(decision.review.decision).toEqual({
        approved: false,
        reason: 'documents do not match',
        principal: { type: 'api-key', name: 'backend-test', tenant: 'default' },
        onBehalfOf: 'analyst-7',
      });

      expect((await api.call('POST', '/v1/onboardings', cancelled)).status).toBe(201);
      await waitForApiStage(api, cancelled.onboardingId, 'sms_token');
      expect(
        (
          await api.call('POST', `/v1/onboardings/${cancelled.onboardingId}/review`, {
            approved: true,
            reviewer: 'x',
          })
        ).status,
      ).toBe(409);
      const resend = await api.call('POST', `/v1/onboardings/${cancelled.onboardingId}/sms-token/resend`);
      expect(resend.status).toBe(202);
      const cancel = await api.call('POST', `/v1/onboardings/${cancelled.onboardingId}/cancel`, {
        reason: 'the applicant gave up',
      });
      expect(cancel.status).toBe(202);
      const ended = await api.call('GET', `/v1/onboardings/${cancelled.onboardingId}/outcome?waitSeconds=20`);
      expect(await json(ended)).toMatchObject({ status: 'cancelled' });
    });
  });

  it('lists onboardings by provider, stage and outcome, with no personal data, page by page', async () => {
    const inputs = [0, 1].map(() => onboardingInput({ signingProvider: 'signio', cpf: cpfs.reject }));
    await withWorker(async () => {
      for (const input of inputs) {
        expect((await api.call('POST', '/v1/onboardings', input)).status).toBe(201);
        await api.call('GET', `/v1/onboardings/${input.onboardingId}/outcome?waitSeconds=20`);
      }
    });
    const ids = inputs.map((i) => i.onboardingId);
    let found: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 100 && found.length < 2; i++) {
      const res = await api.call(
        'GET',
        '/v1/onboardings?provider=signio&outcome=rejected&stage=finished&pageSize=100',
      );
      expect(res.status).toBe(200);
      const body = await json<{ onboardings: Array<Record<string, unknown>> }>(res);
      found = body.onboardings.filter((o) => ids.includes(o.onboardingId as string));
      if (found.length < 2) await sleep(100);
    }
    expect(found).toHaveLength(2);
    expect(found[0]).toMatchObject({ signingProvider: 'signio', outcome: 'rejected', stage: 'finished' });
    expect(Object.keys(found[0]!).sort()).toEqual(
      ['closeTime', 'onboardingId', 'outcome', 'signingProvider', 'stage', 'startTime', 'workflowId'].sort(),
    );
    const text = JSON.stringify(found);
    expect(text).not.toContain(cpfs.reject);
    expect(text).not.toContain(inputs[0]!.applicant.name);

    const first = await json<{ onboardings: unknown[]; nextPageToken?: string }>(
      await api.call('GET', '/v1/onboardings?provider=signio&pageSize=1'),
    );
    expect(first.onboardings).toHaveLength(1);
    expect(first.nextPageToken).toBeTruthy();
    const second = await api.call(
      'GET',
      `/v1/onboardings?provider=signio&pageSize=1&nextPageToken=${first.nextPageToken}`,
    );
    expect(second.status).toBe(200);
    expect(JSON.stringify(await json(second))).not.toEqual(JSON.stringify(first.onboardings));
    // Tokens this API did not give never reach Temporal: garbled, forged, or tampered with.
    for (const forged of ['not!base64', 'AAAA', 'e30', `${first.nextPageToken!.slice(0, -2)}AA`]) {
      const bad = await api.call('GET', `/v1/onboardings?nextPageToken=${forged}`);
      expect(bad.status, forged).toBe(400);
      expect(await json(bad)).toEqual({ error: 'nextPageToken is not one this API gave' });
    }
    const filtered = await api.call('GET', '/v1/onboardings?stage=sleeping');
    expect(filtered.status).toBe(400);
    expect((await json<{ issues: Array<{ field: string }> }>(filtered)).issues[0]!.field).toBe(
      'querystring.stage',
    );
  });
});

describe('errors a backend gets', () => {
  it('400 names every bad field of the input, echoes no value, and starts nothing', async () => {
    const input = onboardingInput();
    const bad = {
      ...input,
      applicant: { ...input.applicant, cpf: '111.444.777-00', phone: '(11) 3333-4444' },
      loan: { ...input.loan, installments: 0 },
    };
    const res = await api.call('POST', '/v1/onboardings', bad);
    expect(res.status).toBe(400);
    const body = await json<{ error: string; issues: Array<{ field: string; message: string }> }>(res);
    // The applicant's CPF is also the first signer's: both are named.
    expect(body.issues.map((i) => i.field).sort()).toEqual([
      'applicant.cpf',
      'applicant.phone',
      'loan.installments',
      'signers.0.cpf',
    ]);
    const text = JSON.stringify(body);
    for (const value of ['111.444.777-00', '11144477700', '3333-4444', input.applicant.name]) {
      expect(text).not.toContain(value);
    }
    const status = await api.call('GET', `/v1/onboardings/${input.onboardingId}`);
    expect(status.status).toBe(404);
  });

  it('400 for thresholds or durations in the input, naming each; 400 for a policy the key may not use', async () => {
    const input = onboardingInput({});
    const carried = await api.call('POST', '/v1/onboardings', {
      ...input,
      policy: { approveScoreAtLeast: 0, rejectScoreBelow: 0 },
    });
    expect(carried.status).toBe(400);
    expect(
      ((await json(carried)) as { issues: Array<{ field: string }> }).issues.map((i) => i.field),
    ).toEqual(['policy.approveScoreAtLeast', 'policy.rejectScoreBelow']);
    const oneMs = await api.call('POST', '/v1/onboardings', {
      ...input,
      policy: { statusCheckInitialMs: 1 },
    });
    expect(((await json(oneMs)) as { issues: Array<{ field: string }> }).issues.map((i) => i.field)).toEqual([
      'policy.statusCheckInitialMs',
    ]);
    const unknown = await api.call('POST', '/v1/onboardings', { ...input, policy: 'no-such-policy' });
    expect(unknown.status).toBe(400);
    expect(await json(unknown)).toEqual({
      error: 'invalid onboarding input',
      issues: [{ field: 'policy', message: 'is not a credit policy this tenant may use' }],
    });
    // Nothing started.
    expect((await api.call('GET', `/v1/onboardings/${input.onboardingId}`)).status).toBe(404);
  });

  it('401 without a key or with a wrong one; either header works with the right one', async () => {
    const none = await api.call('GET', '/v1/onboardings', undefined, {});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(
      (await api.call('GET', '/v1/onboardings', undefined, { authorization: 'Bearer nope' })).status,
    ).toBe(401);
    expect((await api.call('GET', '/v1/onboardings', undefined, { 'x-api-key': `${API_KEY}x` })).status).toBe(
      401,
    );
    expect(
      (await api.call('GET', '/v1/onboardings?pageSize=1', undefined, { 'x-api-key': API_KEY })).status,
    ).toBe(200);
  });

  it('404 for an unknown onboarding or route; 409 for a token the onboarding is not waiting for', async () => {
    expect((await api.call('GET', '/v1/onboardings/nobody-here')).status).toBe(404);
    expect((await api.call('GET', '/v1/onboardings/nobody-here/outcome')).status).toBe(404);
    expect(
      (await api.call('POST', '/v1/onboardings/nobody-here/sms-token', { token: '123456' })).status,
    ).toBe(404);
    expect((await api.call('POST', '/v1/onboardings/nobody-here/cancel', { reason: 'x' })).status).toBe(404);
    expect((await api.call('GET', '/v2/anything')).status).toBe(404);

    const input = onboardingInput({ cpf: cpfs.review, signingProvider: 'securities' });
    await withWorker(async () => {
      await api.call('POST', '/v1/onboardings', input);
      await waitForApiStage(api, input.onboardingId, 'manual_review');
      const early = await api.call('POST', `/v1/onboardings/${input.onboardingId}/sms-token`, {
        token: '123456',
      });
      expect(early.status).toBe(409);
      await api.call('POST', `/v1/onboardings/${input.onboardingId}/cancel`, { reason: 'test over' });
    });
  });

  it('400 for a bad token, an unreadable or empty body; 413 past the limit; 415 for a non-JSON body', async () => {
    const token = await api.call('POST', '/v1/onboardings/someone/sms-token', { token: '12a4' });
    expect(token.status).toBe(400);
    expect(JSON.stringify(await json(token))).not.toContain('12a4');
    const garbled = await api.call('POST', '/v1/onboardings', '{"onboardingId": "secret-cpf-52998224725"');
    expect(garbled.status).toBe(400);
    expect(JSON.stringify(await json(garbled))).not.toContain('52998224725');
    expect((await api.call('POST', '/v1/onboardings', '')).status).toBe(400);
    const large = await api.call('POST', '/v1/onboardings', { padding: 'x'.repeat(300 * 1024) });
    expect(large.status).toBe(413);
    const text = await fetch(`${api.url}/v1/onboardings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'text/plain' },
      body: 'onboardingId=x',
    });
    expect(text.status).toBe(415);
  });

  it('logs every request with the key name, route, status and duration, and never a body', () => {
    const lines = api.logs.filter((l) => l.startsWith('api '));
    expect(lines.some((l) => /^api backend-test POST \/v1\/onboardings 201 \d+ ms$/.test(l))).toBe(true);
    expect(lines.some((l) => /^api - GET \/v1\/onboardings 401 \d+ ms$/.test(l))).toBe(true);
    expect(lines.some((l) => /^api backend-test GET \/v1\/onboardings\/:id 404 \d+ ms$/.test(l))).toBe(true);
    const all = api.logs.join('\n');
    for (const secret of [cpfs.approve, cpfs.review, 'Bearer', API_KEY, '123456', 'the applicant gave up']) {
      expect(all).not.toContain(secret);
    }
  });
});

describe('when Temporal is down or slow', () => {
  const servers: net.Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  /** An API whose Temporal is at `address`. */
  async function apiOn(address: string) {
    const connection = await Connection.lazy({ address, connectTimeout: 1_000 });
    const client = new OnboardingClient(
      new Client({ connection, dataConverter: testDataConverter }),
      'nowhere',
    );
    const config = loadConfig({ API_KEYS, API_TEMPORAL_TIMEOUT_MS: '1000' });
    return startApi(config, { port: 0, onboardings: client, log: () => undefined, policies: testPolicies });
  }

  async function blackHole(): Promise<string> {
    // Accepts connections and never answers: a Temporal that hangs.
    const server = net.createServer(() => undefined);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  }

  it.each([
    ['refusing connections', async () => '127.0.0.1:1'],
    ['accepting and never answering', blackHole],
  ])('answers 503 with Retry-After, in bounded time, when Temporal is %s', async (_label, address) => {
    const down = await apiOn(await address());
    try {
      for (const [method, path, body] of [
        ['GET', '/v1/onboardings/someone', undefined],
        ['POST', '/v1/onboardings', onboardingInput()],
        ['GET', '/v1/onboardings', undefined],
      ] as const) {
        const started = Date.now();
        const res = await fetch(`${down.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${API_KEY}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        expect(res.status, `${method} ${path}`).toBe(503);
        expect(res.headers.get('retry-after')).toBe('5');
        expect(Date.now() - started).toBeLessThan(15_000);
      }
    } finally {
      await down.close();
    }
  });
});

describe('configuration', () => {
  it('refuses to listen beyond loopback without API keys', async () => {
    await expect(startApi(loadConfig({ API_HOST: '0.0.0.0' }), { onboardings: h.client })).rejects.toThrow(
      /API_KEYS must be set/,
    );
  });
});
