/**
 * Tenants and scopes, tried as an attacker would: a key of one lender reading, listing, deciding,
 * cancelling or taking over another lender's onboarding gets 404, as for an id that does not
 * exist, and changes nothing; a key without a scope gets 403; a request cannot name its tenant.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/http/api-keys';
import { onboardingTenantKey } from '../../src/search-attributes';
import { useApi, waitForApiStage, type ApiUnderTest } from '../helpers/api';
import { cpfs, onboardingInput, useOnboardingServer } from '../helpers/onboarding';

const server = useOnboardingServer('dev-server');
const h = server.harness({ autoSignMs: null });

const KEY_A = 'lender-a-key-0123456789';
const KEY_A_READ = 'lender-a-read-only-0123456789';
const KEY_B = 'lender-b-key-0123456789';
const api = useApi(h, {
  API_KEYS: [
    `backend-a@lender-a:all:${sha256Hex(KEY_A)}`,
    `dashboard-a@lender-a:read:${sha256Hex(KEY_A_READ)}`,
    `backend-b@lender-b:all:${sha256Hex(KEY_B)}`,
  ].join(','),
});

const as =
  (key: string) =>
  (method: string, path: string, body?: unknown): Promise<Response> =>
    api.call(method, path, body, { authorization: `Bearer ${key}` });
const a = as(KEY_A);
const aReadOnly = as(KEY_A_READ);
const b = as(KEY_B);
/** waitForApiStage with lender A's key. */
const asA: ApiUnderTest = { ...api, call: (m, p, body) => a(m, p, body) };

describe("another tenant's onboarding", () => {
  it('is not there for a key of another tenant: 404 on every route, and nothing changes', async () => {
    const input = onboardingInput({ cpf: cpfs.review });
    const id = input.onboardingId;
    await h.run(async () => {
      expect((await a('POST', '/v1/onboardings', input)).status).toBe(201);
      const mine = await waitForApiStage(asA, id, 'manual_review');
      expect(mine.tenant).toBe('lender-a');
      const { typedSearchAttributes } = await h.client.handle(id).describe();
      expect(typedSearchAttributes.get(onboardingTenantKey)).toBe('lender-a');

      const unknown = await b('GET', '/v1/onboardings/no-such-onboarding');
      const answers = [
        await b('GET', `/v1/onboardings/${id}`),
        await b('GET', `/v1/onboardings/${id}/outcome`),
        await b('POST', `/v1/onboardings/${id}/review`, { approved: true, reason: 'mallory' }),
        await b('POST', `/v1/onboardings/${id}/cancel`, { reason: 'mallory' }),
        await b('POST', `/v1/onboardings/${id}/sms-token`, { token: '123456' }),
        await b('POST', `/v1/onboardings/${id}/sms-token/resend`),
        await b('GET', `/v1/onboardings/${id}/decision`),
        await b('GET', `/v1/onboardings/${id}/evidence`),
        await b('DELETE', `/v1/onboardings/${id}/personal-data`),
      ];
      expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404, 404, 404, 404]);
      // The same answer as for an id nobody has: it says nothing about the onboarding.
      const unknownBody = await unknown.json();
      for (const r of answers) expect(await r.json()).toEqual(unknownBody);

      const after = (await (await a('GET', `/v1/onboardings/${id}`)).json()) as typeof mine;
      expect(after.stage).toBe('manual_review');
      expect(after.review?.decision).toBeUndefined();
      expect(after.cancelRequested).toBe(false);
      expect(after.refusedCommands).toEqual([]);
      expect(after.personalData).toBeUndefined();

      // Its id is taken: another tenant cannot start an onboarding under it, nor get its handle.
      const takeover = await b('POST', '/v1/onboardings', input);
      expect(takeover.status).toBe(409);
      await h.client.cancel(id, 'test over');
    });
  });

  it("is not in another tenant's list, and a page token of one tenant is refused to another", async () => {
    const inputs = [onboardingInput({}), onboardingInput({})];
    await h.run(async () => {
      for (const input of inputs) expect((await a('POST', '/v1/onboardings', input)).status).toBe(201);
      for (const input of inputs) await waitForApiStage(asA, input.onboardingId, 'sms_token');
      const ids = inputs.map((i) => i.onboardingId);
      const listed = async (call: typeof a, query = 'pageSize=100') => {
        const body = (await (await call('GET', `/v1/onboardings?${query}`)).json()) as {
          onboardings: Array<{ onboardingId: string }>;
          nextPageToken?: string;
        };
        return body;
      };
      // Visibility lags a little behind a start on the dev server.
      let seen: string[] = [];
      for (let i = 0; i < 50 && !ids.every((id) => seen.includes(id)); i++) {
        seen = (await listed(a)).onboardings.map((o) => o.onboardingId);
        await sleep(100);
      }
      expect(seen).toEqual(expect.arrayContaining(ids));
      const theirs = (await listed(b)).onboardings.map((o) => o.onboardingId);
      for (const id of ids) expect(theirs).not.toContain(id);

      const page = await listed(a, 'pageSize=1');
      expect(page.nextPageToken).toBeDefined();
      const stolen = await b('GET', `/v1/onboardings?pageSize=1&nextPageToken=${page.nextPageToken}`);
      expect(stolen.status).toBe(400);
      for (const id of ids) await h.client.cancel(id, 'test over');
    });
  });
});

describe('scopes', () => {
  it('a key without a scope is refused with 403, and nothing changes', async () => {
    const input = onboardingInput({ cpf: cpfs.review });
    const id = input.onboardingId;
    await h.run(async () => {
      expect((await aReadOnly('POST', '/v1/onboardings', input)).status).toBe(403);
      expect((await a('POST', '/v1/onboardings', input)).status).toBe(201);
      await waitForApiStage(asA, id, 'manual_review');
      const decide = await aReadOnly('POST', `/v1/onboardings/${id}/review`, { approved: true });
      expect(decide.status).toBe(403);
      expect(await decide.json()).toEqual({ error: 'this API key may not decide manual reviews' });
      expect((await aReadOnly('POST', `/v1/onboardings/${id}/cancel`, { reason: 'x' })).status).toBe(403);
      // Reading is its scope.
      const read = await aReadOnly('GET', `/v1/onboardings/${id}`);
      expect(read.status).toBe(200);
      expect(((await read.json()) as { review?: { decision?: unknown } }).review?.decision).toBeUndefined();
      await h.client.cancel(id, 'test over');
    });
  });

  it('a request cannot name its tenant: 400 naming the field, and nothing starts', async () => {
    const input = onboardingInput({});
    const res = await a('POST', '/v1/onboardings', { ...input, tenant: 'lender-b' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { issues: Array<{ field: string }> };
    expect(body.issues.map((i) => i.field)).toEqual(['tenant']);
    expect(JSON.stringify(body)).not.toContain('lender-b');
    expect((await a('GET', `/v1/onboardings/${input.onboardingId}`)).status).toBe(404);
  });
});
