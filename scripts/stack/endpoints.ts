/**
 * Where a running `npm run stack` serves (`.temporal/stack/endpoints.json`, written at start, removed
 * at stop), so that `npm run demo -- --address <stack's Temporal address>` drives an onboarding
 * through that stack's API and reads the SMS token from its Data Trust simulator.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const endpointsSchema = z.object({
  temporal: z.string(),
  namespace: z.string(),
  api: z.string(),
  ui: z.string(),
  simulators: z.record(z.string(), z.string()),
});
export type StackEndpoints = z.infer<typeof endpointsSchema>;

const file = (cache: string) => join(cache, 'stack', 'endpoints.json');

export function writeEndpoints(cache: string, endpoints: StackEndpoints): () => void {
  writeFileSync(file(cache), `${JSON.stringify(endpoints, null, 2)}\n`);
  return () => rmSync(file(cache), { force: true });
}

/** The running stack whose Temporal server is at `address`; a clear error when there is none. */
export function readEndpoints(cache: string, address: string): StackEndpoints {
  const path = file(cache);
  const endpoints = existsSync(path)
    ? endpointsSchema.parse(JSON.parse(readFileSync(path, 'utf8')))
    : undefined;
  if (endpoints?.temporal !== address) {
    throw new Error(
      `no running stack serves Temporal at ${address}${endpoints ? ` (the stack's is ${endpoints.temporal})` : ''}: start it with npm run stack`,
    );
  }
  return endpoints;
}

/** The SMS token the stack's Data Trust simulator "sent" for a transaction. */
export async function stackSmsToken(endpoints: StackEndpoints, transactionId: string): Promise<string> {
  const base = endpoints.simulators['DATATRUST_BASE_URL'];
  if (base === undefined) throw new Error('the stack has no Data Trust simulator');
  const res = await fetch(
    `${new URL(base).origin}/_simulator/sms?transactionId=${encodeURIComponent(transactionId)}`,
  );
  const sent = (await res.json()) as Array<{ token: string }>;
  const token = sent.at(-1)?.token;
  if (token === undefined) throw new Error(`no SMS token was sent for transaction ${transactionId}`);
  return token;
}
