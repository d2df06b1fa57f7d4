/**
 * A codec server of a test file's own, on loopback, with the test keyring and the tests' data-key
 * store (read every time, as the product's codec server reads it); and the payloads of a history as
 * Temporal stores them, to send it.
 */
import { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { parseCodecTokens } from '../../src/codec-server';
import { buildCodecServer } from '../../src/http/codec-routes';
import { identify } from '../../src/http/credentials';
import { DataKeys } from '../../src/temporal/data-keys/data-keys';
import { testKeyring } from '../fixtures/keyring';
import { testDataKeys } from './temporal';

export interface TestCodecServer {
  /** Its base URL (`http://127.0.0.1:<port>`). */
  url: string;
  close(): Promise<void>;
}

/** `tokens`: CODEC_SERVER_TOKENS as the product reads it (a bare token may decode only). */
export async function startTestCodecServer(
  tokens: string,
  options: { corsOrigins?: string[]; pathTokens?: boolean } = {},
): Promise<TestCodecServer> {
  const parsed = parseCodecTokens(tokens);
  const app = await buildCodecServer({
    keyring: testKeyring,
    dataKeys: new DataKeys(testKeyring, testDataKeys.store),
    authenticate: async (token) => identify(parsed, token),
    corsOrigins: options.corsOrigins ?? [],
    ...(options.pathTokens ? { pathTokens: true } : {}),
    bodyLimitBytes: 16 * 1024 * 1024,
    log: () => undefined,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`,
    close: () => app.close(),
  };
}

export type StoredPayload = { metadata?: Record<string, string>; data?: string };

/** Every payload in a history JSON: `{ metadata, data }` objects, however deep. */
export function payloadsIn(json: unknown): StoredPayload[] {
  const found: StoredPayload[] = [];
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(walk);
    const o = v as Record<string, unknown>;
    if ('metadata' in o && typeof o['metadata'] === 'object' && ('data' in o || 'metadata' in o)) {
      found.push(o as StoredPayload);
    }
    Object.values(o).forEach(walk);
  };
  walk(json);
  return found;
}

/** The workflow's history as the server stores it (no codec), as JSON. */
export async function rawHistory(env: TestWorkflowEnvironment, workflowId: string): Promise<unknown> {
  const raw = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
  return JSON.parse(historyToJSON(await raw.workflow.getHandle(workflowId).fetchHistory()));
}
