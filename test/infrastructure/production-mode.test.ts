/**
 * Production mode (`NODE_ENV=production`) has no development default. The worker, the API and the
 * codec server, started as a deployment starts them (the real entry points, a minimal environment),
 * exit at once when they lack something, before connecting anywhere, with one message naming every
 * missing or wrong variable and no value; none of them makes a development key or token. Outside
 * production mode, a Temporal address that only begins like a loopback one gets no development key.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Child } from '../../scripts/child-process';
import { freePorts } from '../../scripts/free-ports';
import { projectRoot } from '../../scripts/temporal/config';
import { credentialRules } from '../../src/providers/env-schema';
import { signingProviderModules } from '../../src/providers/registry';
import { TEST_KEYS } from '../fixtures/keyring';

type Role = 'worker' | 'api' | 'codec-server';
const ENTRY: Record<Role, string> = {
  worker: 'src/worker.ts',
  api: 'src/api.ts',
  'codec-server': 'src/codec-server.ts',
};
/** Long enough for tsx to load the worker on a busy machine; a process still running by then failed. */
const EXIT_WITHIN_MS = 30_000;

const running: Child[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) await child.stop({ graceMs: 5_000 });
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/**
 * The environment of a process with nothing configured: its cache folder is a fresh one, to see
 * whether it writes a development secret there, and Temporal's address and the listening ports
 * are free loopback ones, so a process that got as far as connecting or listening reaches nobody.
 */
async function minimalEnv(production: boolean): Promise<{ env: NodeJS.ProcessEnv; cacheDir: string }> {
  const folder = mkdtempSync(join(tmpdir(), 'production-mode-'));
  folders.push(folder);
  const cacheDir = join(folder, 'cache');
  const [temporalPort, apiPort, codecPort] = await freePorts(3);
  return {
    cacheDir,
    env: {
      PATH: process.env['PATH'] ?? '',
      ...(process.env['HOME'] !== undefined ? { HOME: process.env['HOME'] } : {}),
      ...(production ? { NODE_ENV: 'production' } : {}),
      TEMPORAL_CACHE_DIR: cacheDir,
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      API_PORT: String(apiPort),
      CODEC_SERVER_PORT: String(codecPort),
    },
  };
}

/** Runs an entry point until it exits (or kills it after EXIT_WITHIN_MS); everything it wrote. */
async function run(role: Role, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  let output = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString('utf8');
      done();
    },
  });
  const child = new Child(role, process.execPath, ['--import', 'tsx', ENTRY[role]], {
    env,
    cwd: projectRoot,
    output: sink,
  });
  running.push(child);
  // `close` comes after the last of its output has been read, `exit` may come before.
  const closed = new Promise((resolve) => child.process.once('close', resolve));
  const timer = setTimeout(() => child.signal('SIGKILL'), EXIT_WITHIN_MS);
  const code = await child.exited;
  await closed;
  clearTimeout(timer);
  return { code, output };
}

/** It exited by itself, non-zero, with one line naming every variable, before connecting or listening. */
function expectRefusal(result: { code: number | null; output: string }, variables: string[]): void {
  expect(result.code, `still running after ${EXIT_WITHIN_MS} ms:\n${result.output}`).not.toBeNull();
  expect(result.code).not.toBe(0);
  const line = result.output.split('\n').find((l) => variables.every((v) => l.includes(v)));
  expect(line, `no line names all of ${variables.join(', ')}:\n${result.output}`).toBeDefined();
  expect(result.output).not.toMatch(/waiting for Temporal|worker on |API on |codec server on /);
}

const providerVariables = credentialRules.flatMap((rule) => [rule.baseUrl, ...rule.secrets]);
const webhookSecretVariables = [
  'DATATRUST_WEBHOOK_TOKEN',
  ...signingProviderModules.map((m) => m.webhook.secretVariable),
];

describe('production mode with nothing configured', () => {
  const required: Record<Role, string[]> = {
    worker: ['TEMPORAL_ENCRYPTION_KEYS', 'EVIDENCE_SIGNING_KEY', ...providerVariables],
    api: ['TEMPORAL_ENCRYPTION_KEYS', 'API_KEYS'],
    'codec-server': ['TEMPORAL_ENCRYPTION_KEYS', 'CODEC_SERVER_TOKENS'],
  };

  it.each(Object.keys(ENTRY) as Role[])(
    'the %s exits at once naming every variable it lacks, and makes no development secret',
    { timeout: EXIT_WITHIN_MS + 30_000 },
    async (role) => {
      const { env, cacheDir } = await minimalEnv(true);
      expectRefusal(await run(role, env), required[role]);
      expect(existsSync(cacheDir) ? readdirSync(cacheDir) : []).toEqual([]);
    },
  );
});

describe('production mode refuses development values, naming the variable and never a value', () => {
  const sentinel = 'sentinel-7f3a9c';

  it(
    'the API refuses webhook secrets left at the development value',
    { timeout: EXIT_WITHIN_MS + 30_000 },
    async () => {
      const { env } = await minimalEnv(true);
      const result = await run('api', {
        ...env,
        TEMPORAL_ENCRYPTION_KEYS: TEST_KEYS,
        API_KEYS: `backend:${createHash('sha256').update(sentinel).digest('hex')}`,
        ...Object.fromEntries(webhookSecretVariables.map((v) => [v, 'simulator'])),
      });
      expectRefusal(result, webhookSecretVariables);
      expect(result.output).not.toContain('simulator');
      expect(result.output).not.toContain(TEST_KEYS.split(':')[1]);
    },
  );

  it(
    'the worker refuses plain-text Temporal beyond loopback, http providers and development credentials',
    { timeout: EXIT_WITHIN_MS + 30_000 },
    async () => {
      const { env } = await minimalEnv(true);
      const [datatrust, ...others] = credentialRules;
      const result = await run('worker', {
        ...env,
        TEMPORAL_ADDRESS: 'temporal.invalid:7233',
        TEMPORAL_ENCRYPTION_KEYS: TEST_KEYS,
        // A base URL with a password in it, over http: named, never printed.
        [datatrust!.baseUrl]: `http://user:${sentinel}@provider.invalid`,
        ...Object.fromEntries(datatrust!.secrets.map((v) => [v, 'simulator'])),
        ...Object.fromEntries(
          others.flatMap((rule) => [
            [rule.baseUrl, 'https://provider.invalid'],
            ...rule.secrets.map((v) => [v, `${sentinel}-${v}`]),
          ]),
        ),
      });
      expectRefusal(result, ['TEMPORAL_TLS', datatrust!.baseUrl, ...datatrust!.secrets]);
      for (const rule of others) {
        for (const v of [rule.baseUrl, ...rule.secrets]) expect(result.output).not.toContain(`${v}:`);
      }
      expect(result.output).not.toContain(sentinel);
      expect(result.output).not.toContain('simulator');
      expect(result.output).not.toContain(TEST_KEYS.split(':')[1]);
    },
  );
});

it(
  'outside production mode, a worker on 127.evil.example makes no development key: it refuses, naming TEMPORAL_ENCRYPTION_KEYS',
  { timeout: EXIT_WITHIN_MS + 30_000 },
  async () => {
    const { env, cacheDir } = await minimalEnv(false);
    const result = await run('worker', { ...env, TEMPORAL_ADDRESS: '127.evil.example:7233' });
    expectRefusal(result, ['TEMPORAL_ENCRYPTION_KEYS']);
    expect(existsSync(join(cacheDir, 'dev-encryption-keys'))).toBe(false);
  },
);
