/** Shared fixtures of the Assine Bem tests: a loopback file server, parties, small helpers. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { simplePdf } from '../../simulators/pdf';
import type { ParteEnvio } from '../../src/providers/assinebem';

export const TOKEN = 'test-token';
export const CCB_PDF = simplePdf(['Cedula de Credito Bancario', 'Proposta 0001']);

export const applicant = (overrides: Partial<ParteEnvio> = {}): ParteEnvio => ({
  nome: 'Maria Souza',
  cpf: '52998224725',
  email: 'maria.souza@example.com',
  ddd: 11,
  telefone: 987654321,
  id_tipo_telefone: 2,
  identificacao_parte: 'Emitente',
  id_referencia: 'onb-1',
  ...overrides,
});

export const guarantor = (overrides: Partial<ParteEnvio> = {}): ParteEnvio =>
  applicant({
    nome: 'Carlos Lima',
    cpf: '11144477735',
    email: 'carlos.lima@example.com',
    telefone: 912345678,
    identificacao_parte: 'Avalista',
    id_referencia: 'onb-2',
    ...overrides,
  });

/** A file server on loopback, as another simulator would serve a document for `url_arquivo`. */
export async function startFileServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/ccb.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      res.end(CCB_PDF);
    } else if (req.url === '/foto.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.from('not a pdf at all'));
    } else if (req.url === '/broken') {
      res.writeHead(503);
      res.end();
    } else if (req.url === '/busy') {
      res.writeHead(429, { 'retry-after': '1' });
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function collect(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

/** Calls the simulator's `POST /_simulator/sign`. */
export async function simulateSign(
  baseUrl: string,
  body: { id_externo_documento: string; id_externo_parte?: string },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${new URL(baseUrl).origin}/_simulator/sign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function eventually<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 3_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await sleep(20);
  }
}

export interface AssineBemState {
  documents: Array<Record<string, unknown> & { id_externo: string; id_documento_status: number }>;
  parties: Array<Record<string, unknown> & { id_externo: string; reminders: number; status: number }>;
  identifiers: Array<{ identifier: string; used: boolean; id_externo_documento?: string }>;
  attachments: Array<Record<string, unknown> & { status: number; resendRequests: number }>;
  counts: Record<string, number>;
}
