/**
 * The stack's identity provider: Dex, built from its Go module (scripts/stack/binaries.ts), on
 * ops/dex/config.yaml, the file docker-compose.yml gives Dex's image. The image renders it with
 * gomplate as it starts; here the same file is rendered by `renderDexConfig`, which knows only the
 * one form the file uses (`{{ getenv "NAME" }}`) and refuses anything else, and an unset variable.
 * Dex serves HTTPS with the stack authority's `dex` certificate (scripts/stack/certificates.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Child } from '../child-process';
import { projectRoot } from '../temporal/config';
import type { TlsFiles } from './certificates';
import { dexSecretsEnv, type Logins } from './logins';

export const DEX_CONFIG = join(projectRoot, 'ops', 'dex', 'config.yaml');

/** ops/dex/config.yaml with its variables from `env`, as gomplate renders it for the image. */
export function renderDexConfig(template: string, env: Record<string, string | undefined>): string {
  const missing = new Set<string>();
  const rendered = template.replace(/\{\{ getenv "([A-Z0-9_]+)" \}\}/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined || value === '') missing.add(name);
    return value ?? '';
  });
  const other = /\{\{.*?\}\}/.exec(rendered);
  if (other)
    throw new Error(`ops/dex/config.yaml: only {{ getenv "NAME" }} is rendered here, not ${other[0]}`);
  if (missing.size > 0) throw new Error(`ops/dex/config.yaml needs ${[...missing].join(', ')}`);
  return rendered;
}

export interface RunningDex {
  /** The issuer: what tokens name in `iss`, and where its discovery document is. */
  issuer: string;
  /** Its published keys (JWKS). */
  keysUrl: string;
  stop(): Promise<void>;
}

export async function startDex(options: {
  binary: string;
  port: number;
  /** Its HTTPS certificate. */
  tls: TlsFiles;
  /** Where its database (signing keys, logins in progress) and its rendered configuration go. */
  dataDir: string;
  /** The Web UIs' addresses: their OIDC callbacks are under them. */
  uiUrls: { operators: string; viewers: string };
  logins: Logins;
  logFile: string;
  log: (line: string) => void;
}): Promise<RunningDex> {
  const issuer = `https://127.0.0.1:${options.port}/dex`;
  mkdirSync(options.dataDir, { recursive: true });
  const configFile = join(options.dataDir, 'config.yaml');
  writeFileSync(
    configFile,
    renderDexConfig(readFileSync(DEX_CONFIG, 'utf8'), {
      DEX_ISSUER: issuer,
      DEX_STORAGE_FILE: join(options.dataDir, 'dex.db'),
      DEX_WEB_HTTPS: `127.0.0.1:${options.port}`,
      DEX_WEB_TLS_CERT: options.tls.cert,
      DEX_WEB_TLS_KEY: options.tls.key,
      DEX_TELEMETRY_HTTP: `127.0.0.1:${options.port + 1}`,
      DEX_WEB_UI_OPERATORS_URL: options.uiUrls.operators,
      DEX_WEB_UI_VIEWERS_URL: options.uiUrls.viewers,
    }),
  );
  const dex = new Child('Dex', options.binary, ['serve', configFile], {
    env: { ...process.env, ...dexSecretsEnv(options.logins) },
    output: options.logFile,
  });
  const keysUrl = `${issuer}/keys`;
  try {
    await untilKeysPublished(keysUrl, dex, 60_000);
  } catch (err) {
    await dex.stop();
    throw err;
  }
  options.log(`Dex ${issuer}`);
  return { issuer, keysUrl, stop: () => dex.stop() };
}

/**
 * Dex makes its first signing key as it starts: until it publishes one, a server that fetched its
 * keys would refuse every token until its next fetch. So the stack waits for a key.
 */
async function untilKeysPublished(url: string, dex: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!dex.alive) throw new Error(`Dex exited as it started; its last lines:\n${dex.tail()}`);
    const keys = await fetch(url, { signal: AbortSignal.timeout(2_000) })
      .then(async (res) => (res.ok ? ((await res.json()) as { keys?: unknown[] }).keys?.length : 0))
      .catch(() => 0);
    if (keys) return;
    if (Date.now() > deadline) throw new Error(`Dex published no key at ${url} in ${timeoutMs} ms`);
    await sleep(200);
  }
}
