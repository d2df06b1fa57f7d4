/** Shared helpers for the Signio provider tests: a simulator on port 0 and a client against it. */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { ContractError, ProviderError } from '../../src/providers/errors';
import type { SimulatorServer } from '../../simulators/kit';
import { SignioClient, type SignioClientOptions } from '../../src/providers/signio/client';
import { templatePdf } from '../../simulators/signio/store';
import {
  DEFAULT_TEMPLATES,
  createSignioSimulator,
  type SignioSimulatorOptions,
} from '../../simulators/signio/simulator';

export const EMAIL = 'simulator@signio.local';
export const PASSWORD = 'simulator';

export interface Harness {
  sim: SimulatorServer;
  baseUrl: string;
  client: SignioClient;
  close(): Promise<void>;
}

export async function startSignio(
  simOptions: SignioSimulatorOptions = {},
  clientOptions: Partial<SignioClientOptions> = {},
): Promise<Harness> {
  const sim = createSignioSimulator({ port: 0, ...simOptions });
  const baseUrl = await sim.listen();
  const client = new SignioClient({ baseUrl, email: EMAIL, password: PASSWORD, ...clientOptions });
  return {
    sim,
    baseUrl,
    client,
    close: async () => {
      await client.close();
      await sim.close();
    },
  };
}

/** A small valid PDF, as the CCB would be. */
export const samplePdf = (): Buffer => templatePdf(DEFAULT_TEMPLATES[0]!, { name: 'Contrato de prueba' });

export interface BuiltEnvelope {
  id: string;
  documentId: string;
  signerIds: string[];
}

/** Creates a transaction with one PDF and one signer per name, each linked to the PDF. */
export async function buildEnvelope(
  client: SignioClient,
  names: string[],
  extra: { key?: string; onPremise?: boolean } = {},
): Promise<BuiltEnvelope> {
  const id = await client.createTransaction({
    nombre: 'CCB de prueba',
    external_id: 'onboarding-test',
    ...(extra.key !== undefined ? { envelopeDeduplicationKey: extra.key } : {}),
    ...(extra.onPremise ? { on_premise_signature: 1 } : {}),
  });
  const documentId = await client.uploadDocument({ id_transaccion: id, fileName: 'ccb.pdf' }, samplePdf());
  const signerIds: string[] = [];
  for (const [i, nombre] of names.entries()) {
    const signer = await client.registerSigner({
      id_transaccion: id,
      nombre,
      tipo_identificacion: 'OT',
      identificacion: `1000000000${i}`,
      email: `firmante${i}@example.com`,
      orden: i + 1,
    });
    await client.linkSigner({
      id_transaccion: id,
      id_firmante: signer,
      id_documento: documentId,
      posicion: { pagina: 1, alto: 50, ancho: 150, x: 50 + i * 200, y: 80 },
    });
    signerIds.push(signer);
  }
  return { id, documentId, signerIds };
}

export async function waitFor<T>(
  read: () => Promise<T>,
  done: (v: T) => boolean,
  timeoutMs = 3_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(15);
  }
}

/** The error a promise rejects with, asserted to be a ProviderError. */
export async function providerError(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

export async function contractError(p: Promise<unknown>): Promise<ContractError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ContractError);
  return err as ContractError;
}

export async function readAll(body: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

export async function signOnDemand(baseUrl: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${baseUrl}/_simulator/sign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
