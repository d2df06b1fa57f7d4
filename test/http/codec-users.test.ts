/**
 * The Web UI's signed-in users at the codec server (CODEC_SERVER_OIDC_*), over real HTTP: the UI
 * forwards the user's token, and only a valid token of the configured issuer, for the Web UI's
 * client, of a user in a decode group, decodes; every forgery is refused with 401; a user never
 * encodes; the audit line names the user.
 */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { base64url } from 'jose';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCodecServer, type RunningCodecServer } from '../../src/codec-server';
import { ConfigError, loadConfig } from '../../src/config';
import { sha256Hex } from '../../src/http/credentials';
import { oidcUsers } from '../../src/http/oidc-users';
import { EncryptionCodec } from '../../src/temporal/encryption-codec';
import { TEST_KEYS, testKeyring } from '../fixtures/keyring';
import { startTestIssuer, WEB_UI_CLIENT, type TestIssuer } from '../helpers/oidc-issuer';

const CLI_TOKEN = 'codec-cli-token';
const ONBOARDING = 'onboarding-demo-0001';
const applicant = { name: 'Maria Aparecida Souza', cpf: '52998224725' };
const operator = { preferred_username: 'ana', groups: ['onboarding-operators'] };

let issuer: TestIssuer;
let codec: RunningCodecServer;
const logs: string[] = [];
const sent: string[] = [];

const usersConfig = (issuerUrl: string, more: Record<string, string> = {}) =>
  loadConfig({
    TEMPORAL_ENCRYPTION_KEYS: TEST_KEYS,
    CODEC_SERVER_OIDC_ISSUER: issuerUrl,
    CODEC_SERVER_OIDC_AUDIENCES: WEB_UI_CLIENT,
    CODEC_SERVER_OIDC_DECODE_GROUPS: 'onboarding-operators,onboarding-viewers',
    ...more,
  });

const toWire = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
  ),
  data: Buffer.from(p.data!).toString('base64'),
});
/** The applicant's input as the workers store it: encrypted, bound to its onboarding. */
const stored = new EncryptionCodec(testKeyring)
  .encrypt(defaultPayloadConverter.toPayload(applicant)!, ONBOARDING)
  .then(toWire);

async function call(
  codecServer: RunningCodecServer,
  path: '/decode' | '/encode',
  credential?: string,
): Promise<{ status: number; text: string }> {
  if (credential !== undefined) sent.push(credential);
  const res = await fetch(`${codecServer.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-onboarding': ONBOARDING,
      ...(credential === undefined ? {} : { authorization: `Bearer ${credential}` }),
    },
    body: JSON.stringify({
      payloads: [path === '/decode' ? await stored : toWire(defaultPayloadConverter.toPayload(1)!)],
    }),
  });
  return { status: res.status, text: await res.text() };
}
const decode = (credential?: string) => call(codec, '/decode', credential);
const decoded = (text: string) =>
  Buffer.from(
    (JSON.parse(text) as { payloads: Array<{ data: string }> }).payloads[0]!.data,
    'base64',
  ).toString();

beforeAll(async () => {
  issuer = await startTestIssuer();
  codec = await startCodecServer(
    usersConfig(issuer.url, { CODEC_SERVER_TOKENS: `cli:decode:${sha256Hex(CLI_TOKEN)}` }),
    { port: 0, log: (line) => logs.push(line) },
  );
});
afterAll(async () => {
  await codec?.close();
  await issuer?.close();
});

describe("a Web UI user's token", () => {
  it('decodes for a signed-in operator, and the audit line names the user', async () => {
    const answer = await decode(await issuer.token(operator));
    expect(answer.status).toBe(200);
    expect(JSON.parse(decoded(answer.text))).toEqual(applicant);
    expect(logs.at(-1)).toMatch(
      /^codec user:ana POST \/decode 200 1 payload\(s\) for onboarding-demo-0001 \d+ ms$/,
    );
  });

  it('is refused with 401 when it is not a valid token of the issuer for the Web UI', async () => {
    const now = Math.floor(Date.now() / 1000);
    const [header, payload] = (await issuer.token(operator)).split('.') as [string, string];
    const json = (value: unknown) => base64url.encode(JSON.stringify(value));
    const unsigned = `${json({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
    const hmacHeader = json({ alg: 'HS256', kid });
    const hmacSigned = `${hmacHeader}.${payload}.${createHmac('sha256', 'guessed').update(`${hmacHeader}.${payload}`).digest('base64url')}`;
    const attacks: Record<string, string | undefined> = {
      'no token': undefined,
      'not a token': 'operator-ana',
      'three segments of nothing': 'a.b.c',
      'unsigned (alg none)': unsigned,
      'signed with a shared secret (HS256) under the published kid': hmacSigned,
      "signed with a key the issuer does not publish, under its key's kid": await issuer.token(operator, {
        key: await issuer.foreignKey(),
      }),
      'expired an hour ago': await issuer.token({ ...operator, iat: now - 7200, exp: now - 3600 }),
      'issued to another client': await issuer.token({ ...operator, aud: 'another-app' }),
      'from another issuer': await issuer.token({ ...operator, iss: 'https://idp.attacker.example' }),
      'the payload of one token under the signature of another': `${header}.${json({ ...operator, iss: issuer.url, aud: WEB_UI_CLIENT, sub: 'x', exp: now + 600, groups: ['onboarding-operators', 'admins'] })}.${(await issuer.token({ groups: [] })).split('.')[2]}`,
    };
    const answers: Record<string, string> = {};
    for (const [attack, credential] of Object.entries(attacks)) {
      const answer = await decode(credential);
      answers[attack] = `${answer.status}${answer.text.includes('Maria') ? ' DECODED' : ''}`;
    }
    expect(answers).toEqual(Object.fromEntries(Object.keys(attacks).map((a) => [a, '401'])));
  });

  it('of a user in no decode group is refused with 403, and the audit line names who asked', async () => {
    const answer = await decode(await issuer.token({ preferred_username: 'rui', groups: ['marketing'] }));
    expect(answer.status).toBe(403);
    expect(answer.text).not.toContain('Maria');
    expect(logs.at(-1)).toMatch(/^codec user:rui POST \/decode 403 /);
  });

  it('never encodes: 403, even an operator', async () => {
    const answer = await call(codec, '/encode', await issuer.token(operator));
    expect(answer.status).toBe(403);
  });

  it('signed with a key the issuer rotated in is taken: the keys are fetched again', async () => {
    // The codec server fetches them again at most every 30 s; this one at once.
    const users = oidcUsers({
      issuer: issuer.url,
      audiences: [WEB_UI_CLIENT],
      decodeGroups: ['onboarding-operators'],
      groupsClaim: 'groups',
      refetchAfterMs: 0,
    });
    expect((await users(await issuer.token(operator)))?.may).toEqual(new Set(['decode']));
    const before = issuer.keyFetches();
    await issuer.rotate();
    expect((await users(await issuer.token(operator)))?.may).toEqual(new Set(['decode']));
    expect(issuer.keyFetches()).toBe(before + 1);
  });

  it('leaves the CLI its token (CODEC_SERVER_TOKENS)', async () => {
    expect((await decode(CLI_TOKEN)).status).toBe(200);
    expect(logs.at(-1)).toMatch(/^codec cli POST \/decode 200 /);
  });

  it('is refused while the issuer cannot be reached, which the log says, and taken once it can', async () => {
    const later = await startTestIssuer();
    const url = later.url;
    const token = await later.token(operator);
    await later.close();
    const lines: string[] = [];
    const alone = await startCodecServer(usersConfig(url), { port: 0, log: (line) => lines.push(line) });
    try {
      expect((await call(alone, '/decode', token)).status).toBe(401);
      expect(lines.join('\n')).toMatch(/issuer's keys could not be fetched/);
      // No token of the CLI's kind exists here: only the Web UI's users may call it.
      expect((await call(alone, '/decode', CLI_TOKEN)).status).toBe(401);
    } finally {
      await alone.close();
    }
    expect(lines.join('\n')).not.toContain(token);
  });
});

describe('the configuration', () => {
  it('names what the issuer needs with it, never a value', async () => {
    const config = loadConfig({ TEMPORAL_ENCRYPTION_KEYS: TEST_KEYS, CODEC_SERVER_OIDC_ISSUER: issuer.url });
    const refusal = await startCodecServer(config, { port: 0 }).then(
      async (started) => started.close(),
      (err: unknown) => err,
    );
    expect(refusal).toBeInstanceOf(ConfigError);
    expect((refusal as Error).message).toContain(
      'CODEC_SERVER_OIDC_AUDIENCES, CODEC_SERVER_OIDC_DECODE_GROUPS: required with CODEC_SERVER_OIDC_ISSUER',
    );
  });
});

describe('logs', () => {
  it('hold no token', () => {
    const all = logs.join('\n');
    for (const credential of sent) if (credential.length > 8) expect(all).not.toContain(credential);
  });
});
