/** The HTTP service under test, over real HTTP, on a harness's Temporal server, worker and simulators. */
import { testPolicies } from './policies';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll } from 'vitest';
import { startApi, type RunningApi } from '../../src/api';
import { loadConfig } from '../../src/config';
import { sha256Hex } from '../../src/http/api-keys';
import type { OnboardingStatus } from '../../src/domain/onboarding';
import type { Harness } from './onboarding';

export const API_KEY = 'test-api-key-0123456789';
/** `API_KEYS` for API_KEY, named "backend-test", plus a second key nobody presents. */
export const API_KEYS = `backend-test:${sha256Hex(API_KEY)},other:${'0'.repeat(64)}`;

/** Limits a test never reaches, for tests of the routes behind them (limits.test.ts tests the limits). */
export const UNREACHED_LIMITS = {
  API_WRITES_PER_MINUTE_PER_KEY: '100000',
  API_WRITES_PER_MINUTE_PER_TENANT: '100000',
  API_READS_PER_MINUTE_PER_KEY: '100000',
  API_READS_PER_MINUTE_PER_TENANT: '100000',
  API_STARTS_PER_DAY_PER_PHONE: '100000',
  API_SMS_PER_DAY_PER_PHONE: '100000',
};

export interface ApiUnderTest {
  url: string;
  logs: string[];
  /** `fetch` to the API with the test key (or the given headers instead). */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

/**
 * Starts the API in beforeAll on the harness's client (its task queue), with the simulators'
 * webhooks pointed at it; closes it after the file.
 */
export function useApi(h: Harness, env: Record<string, string> = {}): ApiUnderTest {
  let api: RunningApi | undefined;
  const logs: string[] = [];
  const under: ApiUnderTest = {
    url: '',
    logs,
    async call(method, path, body, headers) {
      return fetch(`${under.url}${path}`, {
        method,
        headers: {
          ...(headers ?? { authorization: `Bearer ${API_KEY}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
    },
  };
  beforeAll(async () => {
    const config = loadConfig({ ...h.simulators.baseUrls, API_KEYS, ...env });
    api = await startApi(config, {
      port: 0,
      onboardings: h.client,
      log: (line) => logs.push(line),
      webhooks: { spacingMs: 200, lookupRetryDelaysMs: [100, 200, 400] },
      policies: testPolicies,
    });
    under.url = api.url;
    await pointWebhooksAt(h, `${api.url}/webhooks`, config.DATATRUST_WEBHOOK_TOKEN);
  });
  afterAll(async () => {
    await api?.close();
  });
  return under;
}

/** Tells each simulator to deliver its webhooks to the service (their run-time control routes). */
export async function pointWebhooksAt(h: Harness, base: string, dataTrustToken: string): Promise<void> {
  const control = async (simulatorBase: string, body: object) => {
    const res = await fetch(`${new URL(simulatorBase).origin}/_simulator/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`could not point the simulator's webhook: HTTP ${res.status}`);
  };
  await control(h.simulators.datatrust.baseUrl, { url: `${base}/datatrust`, token: dataTrustToken });
  for (const [name, simulator] of Object.entries(h.simulators.signing)) {
    await control(simulator.baseUrl, { url: `${base}/${name}` });
  }
}

/** The API answers the workflow's own status (src/http/api/schemas.ts checks they agree). */
export type ApiStatus = OnboardingStatus;

/** Polls `GET /v1/onboardings/{id}` until the onboarding is at `stage`; fails if it ends first. */
export async function waitForApiStage(
  api: ApiUnderTest,
  id: string,
  stage: string,
  timeoutMs = 20_000,
): Promise<ApiStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api.call('GET', `/v1/onboardings/${id}`);
    if (res.status === 200) {
      const body = (await res.json()) as ApiStatus;
      if (body.stage === stage) return body;
      if (body.outcome) throw new Error(`onboarding ended (${body.outcome.status}) before ${stage}`);
    }
    if (Date.now() > deadline) throw new Error(`onboarding never reached ${stage}`);
    await sleep(50);
  }
}
