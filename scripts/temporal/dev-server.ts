/**
 * The embedded Temporal: `temporal server start-dev` with its database in a SQLite file under the
 * cache folder (WAL journal), so workflows survive a restart, the Web UI on 8233 and the project's
 * search attributes registered.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SearchAttributeType } from '@temporalio/common';
import { searchAttributeKeys } from '../../src/search-attributes';
import { Child } from '../child-process';
import { cacheDir, resolveBinary, type ResolvedBinary } from './binaries';
import type { ToolingConfig } from './config';
import { registerSearchAttributes } from './search-attributes';

const cliTypeName: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

export interface DevServer {
  address: string;
  uiUrl: string;
  binary: ResolvedBinary;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  /** SQLite file; `<cache>/dev-server.sqlite` by default. */
  dbFile?: string;
  port?: number;
  uiPort?: number;
  /** The codec server the Web UI decodes payloads through (`--ui-codec-endpoint`). */
  codecEndpoint?: string;
  /** Where the server's own output goes; inherited by default. */
  stdio?: 'inherit' | 'ignore';
  log?: (line: string) => void;
}

/** Resolves once something accepts connections on host:port, or rejects after `timeoutMs`. */
export async function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host, port }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline)
      throw new Error(`nothing is listening on ${host}:${port} after ${timeoutMs} ms`);
    await sleep(200);
  }
}

/**
 * Resolves once the Web UI at `uiUrl` reaches the server: its port opens before its gRPC connection
 * to the frontend does, and a connection attempted while the frontend was starting sits in gRPC's
 * reconnect backoff, answering every API call (and so every page) with an error until it retries.
 */
export async function waitForUi(uiUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${uiUrl}/api/v1/cluster-info`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline)
      throw new Error(
        `the Web UI at ${uiUrl} did not reach the server after ${timeoutMs} ms (last status ${status})`,
      );
    await sleep(250);
  }
}

export async function startDevServer(
  config: ToolingConfig,
  options: DevServerOptions = {},
): Promise<DevServer> {
  const binary = await resolveBinary('cli', config, options.log ? { log: options.log } : {});
  if (binary.path === undefined) {
    throw new Error('The Temporal CLI was not found and could not be provisioned; set TEMPORAL_CLI_PATH');
  }
  const dir = cacheDir(config);
  mkdirSync(dir, { recursive: true });
  const port = options.port ?? config.TEMPORAL_PORT;
  const uiPort = options.uiPort ?? config.TEMPORAL_UI_PORT;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--db-filename',
    options.dbFile ?? join(dir, 'dev-server.sqlite'),
    '--sqlite-pragma',
    'journal_mode=wal',
    '--log-level',
    'warn',
    // The matcher that honours task-queue priority (src/workflows/onboarding/call-options.ts).
    '--dynamic-config-value',
    'matching.useNewMatcher=true',
    ...(options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : []),
    ...searchAttributeKeys.flatMap((k) => ['--search-attribute', `${k.name}=${cliTypeName[k.type]}`]),
  ];
  const child = new Child('temporal server start-dev', binary.path, args, {
    output: options.stdio === 'ignore' ? undefined : 'inherit',
  });
  const exited = child.exited.then((code) => {
    throw new Error(`temporal server start-dev exited with code ${code}; its last lines:\n${child.tail()}`);
  });
  exited.catch(() => undefined);
  await Promise.race([waitForPort('127.0.0.1', port, 60_000), exited]);
  await Promise.race([waitForPort('127.0.0.1', uiPort, 60_000), exited]);
  await Promise.race([waitForUi(`http://127.0.0.1:${uiPort}`, 60_000), exited]);
  // A database created by an older version of the project lacks the attributes added since.
  await registerSearchAttributes(`127.0.0.1:${port}`);
  return {
    address: `127.0.0.1:${port}`,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    binary,
    process: child.process,
    stop: () => child.stop({ graceMs: 10_000 }),
  };
}
