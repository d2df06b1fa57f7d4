/**
 * The codec server over real HTTP: Temporal's remote codec protocol, authorisation on every call
 * (header or UI path token), CORS only for the configured Web UI origins, a body limit, a clear
 * error for a payload it cannot decrypt, and logs with no payload and no token in them.
 */
import { parseCodecTokens } from '../../src/codec-server';
import { identify, sha256Hex } from '../../src/http/credentials';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCodecServer } from '../../src/http/codec-routes';
import { EncryptionCodec } from '../../src/temporal/encryption-codec';
import { parseKeyring } from '../../src/temporal/keyring';
import { TEST_KEY_2, testKeyring } from '../fixtures/keyring';

const TOKEN = 'codec-test-token';
const READ_ONLY = 'codec-read-only-token';
const COMMANDS = 'codec-command-token';
/** A token that may encode, a reader's that may only decode, an operator's that may send commands. */
const TOKENS = parseCodecTokens(
  [
    `starter-ana:decode+encode:${sha256Hex(TOKEN)}`,
    `reader-rui:decode:${sha256Hex(READ_ONLY)}`,
    `operator-bia:decode+command:${sha256Hex(COMMANDS)}`,
  ].join(','),
);
const UI_ORIGIN = 'http://127.0.0.1:8233';
const logs: string[] = [];
let base = '';
let close: () => Promise<void>;

const applicant = { name: 'Maria Aparecida Souza', cpf: '52998224725' };
/** A payload as the protocol carries it: proto3 JSON, bytes in base64. */
const toWire = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
  ),
  data: Buffer.from(p.data!).toString('base64'),
});
const jsonPayload = (value: unknown) => toWire(defaultPayloadConverter.toPayload(value)!);

beforeAll(async () => {
  const app = await buildCodecServer({
    keyring: testKeyring,
    authenticate: async (token) => identify(TOKENS, token),
    pathTokens: true,
    corsOrigins: [UI_ORIGIN],
    bodyLimitBytes: 64 * 1024,
    log: (line) => logs.push(line),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  close = () => app.close();
});
afterAll(() => close());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const bearer = { authorization: `Bearer ${TOKEN}` };
/** `/encode` binds what it encrypts to the onboarding this header names. */
const forOnboarding = { ...bearer, 'x-onboarding': 'onboarding-demo-0001' };

describe('the remote codec protocol', () => {
  it('encodes and decodes payloads for a caller with a token', async () => {
    const encoded = await (
      await post('/encode', { payloads: [jsonPayload(applicant)] }, forOnboarding)
    ).json();
    expect(JSON.stringify(encoded)).not.toContain(Buffer.from('Maria').toString('base64').slice(0, 6));
    const res = await post('/decode', encoded, bearer);
    expect(res.status).toBe(200);
    const { payloads } = (await res.json()) as { payloads: Array<{ data: string }> };
    expect(JSON.parse(Buffer.from(payloads[0]!.data, 'base64').toString())).toEqual(applicant);
  });

  it('answers a call with no payloads (the CLI, for a signal or a query without arguments)', async () => {
    expect(await (await post('/encode', {}, forOnboarding)).json()).toEqual({ payloads: [] });
    expect(await (await post('/decode', { payloads: null }, bearer)).json()).toEqual({ payloads: [] });
  });

  it('binds what it encodes to the onboarding X-Onboarding names, and refuses without one', async () => {
    const res = await post('/encode', { payloads: [jsonPayload(applicant)] }, forOnboarding);
    const { payloads } = (await res.json()) as { payloads: Array<{ metadata: Record<string, string> }> };
    expect(Buffer.from(payloads[0]!.metadata['encryption-onboarding']!, 'base64').toString()).toBe(
      'onboarding-demo-0001',
    );
    expect((await post('/encode', { payloads: [jsonPayload(applicant)] }, bearer)).status).toBe(400);
    const notAnOnboarding = { ...bearer, 'x-onboarding': 'someone-else' };
    expect((await post('/encode', { payloads: [jsonPayload(applicant)] }, notAnOnboarding)).status).toBe(400);
  });

  it('refuses to encode a command for a caller without the command permission', async () => {
    const forged = { approved: true, principal: { type: 'api-key', name: 'backend', tenant: 'default' } };
    const res = await post('/encode', { payloads: [jsonPayload(forged)] }, forOnboarding);
    expect(res.status).toBe(403);
    expect(JSON.stringify(await res.json())).not.toContain('backend');
    const typed = { action: 'retry', reason: 'x', onboarding: 'onboarding-demo-0001' };
    expect((await post('/encode', { payloads: [jsonPayload(typed)] }, bearer)).status).toBe(403);
  });

  it('decodes what was written before payloads were bound: it only shows them', async () => {
    const unbound = await new EncryptionCodec(testKeyring).encode([
      defaultPayloadConverter.toPayload(applicant)!,
    ]);
    const res = await post('/decode', { payloads: [jsonPayload(applicant), ...unbound.map(toWire)] }, bearer);
    const { payloads } = (await res.json()) as { payloads: Array<{ data: string }> };
    for (const p of payloads) expect(JSON.parse(Buffer.from(p.data, 'base64').toString())).toEqual(applicant);
  });

  it('takes the token in the path for a Web UI that cannot send a header', async () => {
    const encoded = await (
      await post('/encode', { payloads: [jsonPayload(applicant)] }, forOnboarding)
    ).json();
    expect((await post(`/ui/${TOKEN}/decode`, encoded)).status).toBe(200);
    expect((await post('/ui/not-the-token/decode', encoded)).status).toBe(401);
  });
});

describe("an operator's command", () => {
  const operator = { authorization: `Bearer ${COMMANDS}` };
  const decodedOne = async (encoded: unknown) => {
    const { payloads } = (await (await post('/decode', encoded, operator)).json()) as {
      payloads: Array<{ data: string }>;
    };
    return JSON.parse(Buffer.from(payloads[0]!.data, 'base64').toString()) as Record<string, unknown>;
  };

  it('carries the operator as its principal, whatever principal it named, bound to the onboarding it names', async () => {
    const typed = {
      action: 'retry',
      reason: 'the provider is back',
      onboarding: 'onboarding-demo-0001',
      principal: { type: 'service', name: 'backend', tenant: 'default' },
    };
    const res = await post('/encode', { payloads: [jsonPayload(typed)] }, operator);
    expect(res.status).toBe(200);
    const encoded = (await res.json()) as { payloads: Array<{ metadata: Record<string, string> }> };
    expect(Buffer.from(encoded.payloads[0]!.metadata['encryption-onboarding']!, 'base64').toString()).toBe(
      'onboarding-demo-0001',
    );
    expect(await decodedOne(encoded)).toEqual({
      ...typed,
      principal: { type: 'operator', name: 'operator-bia', tenant: '*' },
    });
    expect(logs).toContainEqual(
      expect.stringMatching(/^codec operator-bia POST \/encode 200 1 payload\(s\) for onboarding-demo-0001 /),
    );
  });

  it('is refused when it names no onboarding, or two; and the operator encodes nothing else', async () => {
    const command = (onboarding?: string) =>
      jsonPayload({ action: 'retry', reason: 'x', ...(onboarding ? { onboarding } : {}), principal: {} });
    expect((await post('/encode', { payloads: [command()] }, operator)).status).toBe(400);
    const elsewhere = { ...operator, 'x-onboarding': 'onboarding-demo-0002' };
    expect((await post('/encode', { payloads: [command('onboarding-demo-0001')] }, elsewhere)).status).toBe(
      400,
    );
    const input = { ...operator, 'x-onboarding': 'onboarding-demo-0001' };
    expect((await post('/encode', { payloads: [jsonPayload(applicant)] }, input)).status).toBe(403);
  });
});

describe('authorisation', () => {
  it('refuses a missing or wrong token with 401', async () => {
    const body = { payloads: [jsonPayload(applicant)] };
    expect((await post('/decode', body)).status).toBe(401);
    expect((await post('/decode', body, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post('/encode', body, { authorization: TOKEN })).status).toBe(401);
  });

  it('encoding is a permission of its own: a token that may only decode is refused with 403', async () => {
    const reader = { authorization: `Bearer ${READ_ONLY}`, 'x-onboarding': 'onboarding-demo-0001' };
    const forged = await post('/encode', { payloads: [jsonPayload({ approved: true })] }, reader);
    expect(forged.status).toBe(403);
    const encoded = await (
      await post('/encode', { payloads: [jsonPayload(applicant)] }, forOnboarding)
    ).json();
    expect((await post('/decode', encoded, reader)).status).toBe(200);
  });

  it('takes a token in the path only where told to (the embedded dev server on loopback)', async () => {
    const headerOnly = await buildCodecServer({
      keyring: testKeyring,
      authenticate: async (token) => identify(TOKENS, token),
      corsOrigins: [],
      bodyLimitBytes: 64 * 1024,
      log: () => undefined,
    });
    await headerOnly.listen({ host: '127.0.0.1', port: 0 });
    try {
      const url = `http://127.0.0.1:${(headerOnly.server.address() as { port: number }).port}`;
      const inPath = await fetch(`${url}/ui/${TOKEN}/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ payloads: [] }),
      });
      expect(inPath.status).toBe(404);
    } finally {
      await headerOnly.close();
    }
  });
});

describe('the token list (CODEC_SERVER_TOKENS)', () => {
  it('holds names, permissions and SHA-256s; a token of the older kind, in clear, may decode only', () => {
    const [hashed, legacy] = parseCodecTokens(`ana:decode+encode:${sha256Hex('s3cret')},plain-old-token`);
    expect(hashed!.holder).toEqual({ name: 'ana', may: new Set(['decode', 'encode']) });
    expect(identify([hashed!], 's3cret')).toEqual(hashed!.holder);
    expect(legacy!.holder).toEqual({ name: 'token-2', may: new Set(['decode']) });
    expect(identify([legacy!], 'plain-old-token')).toEqual(legacy!.holder);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    fetch(`${base}/decode`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization,x-namespace',
      },
    });

  it('grants the configured Web UI origin', async () => {
    const res = await preflight(UI_ORIGIN);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('grants nothing to another origin', async () => {
    const res = await preflight('https://evil.example.com');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('bad requests', () => {
  it('an oversized body: 413', async () => {
    const huge = { payloads: [{ data: 'A'.repeat(100 * 1024) }] };
    const res = await post('/decode', huge, bearer);
    expect(res.status).toBe(413);
  });

  it('a payload it cannot decrypt: a clear error, and the server keeps serving', async () => {
    const [underOther] = await new EncryptionCodec(parseKeyring(TEST_KEY_2)).encode([
      defaultPayloadConverter.toPayload(applicant)!,
    ]);
    const body = { payloads: [toWire(underOther!)] };
    const res = await post('/decode', body, bearer);
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      error:
        'a payload is encrypted with key "test-key-2", which is not in the keyring (TEMPORAL_ENCRYPTION_KEYS)',
    });
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('a body that is not the protocol: 400 naming where, not what', async () => {
    const res = await post('/decode', { payloads: [{ data: 'not base64!' }] }, bearer);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).not.toContain('not base64!');
    expect((await post('/decode', '{"payloads": [', bearer)).status).toBe(400);
  });
});

describe('logs', () => {
  it('name who called, the route, the status, the count and the onboardings, never a payload or a token', () => {
    const all = logs.join('\n');
    expect(all).toMatch(/codec starter-ana POST \/decode 200 1 payload\(s\) for onboarding-demo-0001 \d+ ms/);
    expect(all).toMatch(/codec reader-rui POST \/encode 403/);
    expect(all).toMatch(/codec - POST \/ui\/:token\/decode 401/);
    for (const token of [TOKEN, READ_ONLY, COMMANDS]) expect(all).not.toContain(token);
    expect(all).not.toContain(Buffer.from(JSON.stringify(applicant)).toString('base64').slice(0, 12));
  });
});
