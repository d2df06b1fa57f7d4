/**
 * The stack's development certificates (scripts/stack/certificates.ts, `npm run certificates`):
 * what each principal gets, that later runs reuse them, and when they are issued again.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  COMPOSE_CLIENTS,
  ensureCertificates,
  RENEW_BEFORE_DAYS,
  type TlsFiles,
} from '../../scripts/stack/certificates';

const DAY = 86_400_000;
const read = (files: TlsFiles) => ({
  ca: readFileSync(files.ca, 'utf8'),
  cert: readFileSync(files.cert, 'utf8'),
  key: readFileSync(files.key, 'utf8'),
});
const x509 = (path: string) => new X509Certificate(readFileSync(path));

describe('the development certificates', () => {
  it('give the server and each client a folder of their own, signed by the authority, keys 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'certs-'));
    const lines: string[] = [];
    const certs = ensureCertificates(dir, { clients: COMPOSE_CLIENTS, log: (l) => lines.push(l) });
    // The authority, the Temporal server's, the API's, Dex's and the codec server's HTTPS, the clients'.
    expect(lines).toHaveLength(5 + COMPOSE_CLIENTS.length);

    const ca = x509(certs.caFile);
    expect(ca.ca).toBe(true);
    expect(statSync(join(dir, 'ca', 'ca.key')).mode & 0o777).toBe(0o600);

    const server = x509(certs.server.cert);
    expect(server.checkIssued(ca) && server.verify(ca.publicKey)).toBe(true);
    expect(server.ca).toBe(false);
    for (const name of ['localhost', 'temporal']) expect(server.checkHost(name)).toBe(name);
    for (const ip of ['127.0.0.1', '::1']) expect(server.checkIP(ip)).toBeDefined();
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);

    // The HTTP service's serves HTTPS only: it is no identity to Temporal.
    const api = x509(certs.apiServer.cert);
    expect(api.checkIssued(ca) && api.verify(ca.publicKey)).toBe(true);
    for (const name of ['localhost', 'api']) expect(api.checkHost(name)).toBe(name);
    expect(api.checkIP('127.0.0.1')).toBeDefined();
    expect(api.checkHost('temporal')).toBeUndefined();
    expect(api.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(statSync(certs.apiServer.key).mode & 0o777).toBe(0o600);

    for (const name of COMPOSE_CLIENTS) {
      const files = certs.client(name);
      const cert = x509(files.cert);
      expect(cert.subject).toContain(`CN=${name}`);
      expect(cert.checkIssued(ca) && cert.verify(ca.publicKey)).toBe(true);
      // A client certificate is good for client authentication only: it cannot serve as Temporal.
      expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
      expect(cert.checkHost('temporal')).toBeUndefined();
      expect(readFileSync(files.ca, 'utf8')).toBe(readFileSync(certs.caFile, 'utf8'));
      expect(statSync(files.key).mode & 0o777).toBe(0o600);
    }
    // The authority's key is in its own folder, which no principal's is.
    for (const name of ['temporal', 'api-https', 'dex', 'codec-https', ...COMPOSE_CLIENTS])
      expect(existsSync(join(dir, name, 'ca.key'))).toBe(false);
    expect(() => certs.client('../ca')).toThrow(/not a client certificate name/);
    // Dex and the codec server serve HTTPS under their compose names and loopback, for servers only.
    for (const [files, name] of [
      [certs.dexServer, 'dex'],
      [certs.codecServer, 'codec-server'],
    ] as const) {
      const cert = x509(files.cert);
      expect(cert.checkHost(name)).toBe(name);
      expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
      expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
      expect(statSync(files.key).mode & 0o777).toBe(0o600);
    }
  });

  it('are reused by later runs, and issued again when due, or when the authority changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'certs-'));
    const first = ensureCertificates(dir, { clients: ['api'] });
    const before = { server: read(first.server), api: read(first.client('api')) };

    const lines: string[] = [];
    const again = ensureCertificates(dir, { clients: ['api'], log: (l) => lines.push(l) });
    expect(lines).toEqual([]);
    expect({ server: read(again.server), api: read(again.client('api')) }).toEqual(before);

    // Within RENEW_BEFORE_DAYS of their end, the leaves are issued again; the authority lasts longer.
    const later = new Date(Date.now() + (365 - RENEW_BEFORE_DAYS + 1) * DAY);
    const renewed = ensureCertificates(dir, { clients: ['api'], now: later, log: (l) => lines.push(l) });
    expect(lines).toEqual([
      expect.stringContaining('issued the server certificate temporal'),
      expect.stringContaining('issued the server certificate api'),
      expect.stringContaining('issued the server certificate dex'),
      expect.stringContaining('issued the server certificate codec-server'),
      expect.stringContaining('issued the client certificate api'),
    ]);
    expect(read(renewed.server).ca).toBe(before.server.ca);
    expect(read(renewed.server).cert).not.toBe(before.server.cert);
    expect(read(renewed.client('api')).key).not.toBe(before.api.key);

    // A new authority (its folder removed): everything it did not sign is issued again.
    rmSync(join(dir, 'ca'), { recursive: true });
    const rotated = ensureCertificates(dir, { clients: ['api'] });
    const ca = x509(rotated.caFile);
    for (const files of [
      rotated.server,
      rotated.apiServer,
      rotated.dexServer,
      rotated.codecServer,
      rotated.client('api'),
    ]) {
      expect(read(files).ca).not.toBe(before.api.ca);
      expect(x509(files.cert).verify(ca.publicKey)).toBe(true);
    }
  });
});
