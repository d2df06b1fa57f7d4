/**
 * The development certificate authority of `npm run stack` and docker-compose.yml, and the
 * certificates it signs, in the cache folder (`.temporal/stack/certs`, git-ignored and kept out of
 * the Docker build context). Keys are made by Node's crypto (RSA 2048); the certificates are built
 * and signed by node-forge, and checked again by Node's own X509Certificate. One folder per
 * principal, holding what that principal needs and nothing else:
 *
 *   ca/ca.pem, ca/ca.key               the authority (its key is mounted nowhere)
 *   temporal/{ca,cert,key}.pem         the Temporal server: its frontend, its services among
 *                                      themselves, its system workers (server and client use)
 *   api-https/{ca,cert,key}.pem        the HTTP service's HTTPS (server use): what the lender's
 *                                      backends and the providers' webhooks reach it on
 *   dex/{ca,cert,key}.pem              the identity provider's HTTPS (server use): the operators'
 *                                      browsers, the Web UI servers, the codec server and the
 *                                      Temporal server reach it on
 *   codec-https/{ca,cert,key}.pem      the codec server's HTTPS (server use): the operators'
 *                                      browsers send it their token, over HTTPS only
 *   <client>/{ca,cert,key}.pem         one per client: each worker, the API, the Web UI server,
 *                                      `admin` for ops/temporal/*.sh (client use only)
 *
 * `ca.pem` is the authority's certificate, to check the other side with. Keys are mode 0600.
 * Later runs reuse every certificate still valid for more than RENEW_BEFORE_DAYS, signed by the
 * current authority, and matching its key (and, for the server, its names); anything else is
 * issued again. A new authority (its folder deleted, or expiring) reissues everything.
 *
 *   npm run certificates      # creates or renews the set docker-compose.yml mounts, and exits
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import forge from 'node-forge';
import { cacheDir } from '../temporal/binaries';
import { loadToolingConfig } from '../temporal/config';

/** The names the Temporal server answers to: loopback (the stack), and compose's service name. */
export const SERVER_DNS_NAMES = ['localhost', 'temporal'] as const;
export const SERVER_IPS = ['127.0.0.1', '::1'] as const;
/** The names the HTTP service answers to: loopback, and compose's service name. */
export const API_DNS_NAMES = ['localhost', 'api'] as const;
/** The names the identity provider (Dex) answers to: loopback, and compose's service name. */
export const DEX_DNS_NAMES = ['localhost', 'dex'] as const;
/** The names the codec server answers to over HTTPS: loopback, and compose's service name. */
export const CODEC_DNS_NAMES = ['localhost', 'codec-server'] as const;
/** The clients docker-compose.yml runs (the stack adds its workers by name: worker-1, worker-2, ...). */
export const COMPOSE_CLIENTS = ['admin', 'api', 'ui', 'worker'] as const;

const CA_DAYS = 5 * 365;
const LEAF_DAYS = 365;
/** A certificate this close to its end is issued again, so no run meets its expiry. */
export const RENEW_BEFORE_DAYS = 30;
const DAY_MS = 86_400_000;
const ORGANIZATION = 'credit-onboarding (development)';

/** What one principal connects or serves with: the authority's certificate, its own, its key. */
export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

export interface Certificates {
  dir: string;
  /** The authority's certificate (its key stays in `ca/`). */
  caFile: string;
  /** The Temporal server's: frontend, internode and system-worker identity. */
  server: TlsFiles;
  /** The HTTP service's, to serve HTTPS with (API_TLS_CERT_PATH, API_TLS_KEY_PATH). */
  apiServer: TlsFiles;
  /** The identity provider's (Dex), to serve HTTPS with. */
  dexServer: TlsFiles;
  /** The codec server's, to serve HTTPS with. */
  codecServer: TlsFiles;
  /** A client's files, issued now if it has none yet (or they need renewing). */
  client(name: string): TlsFiles;
}

/**
 * A client's files as the product's variables (src/config.ts), which the workers, the API, the
 * Web UI server's configuration and the ops scripts (ops/temporal/cli.sh) all read; `serverName`
 * is the name the server's certificate is checked against, when the address is not that name.
 */
export const tlsEnv = (files: TlsFiles, serverName?: string): Record<string, string> => ({
  TEMPORAL_TLS_CERT_PATH: files.cert,
  TEMPORAL_TLS_KEY_PATH: files.key,
  TEMPORAL_TLS_SERVER_ROOT_CA_PATH: files.ca,
  ...(serverName ? { TEMPORAL_TLS_SERVER_NAME: serverName } : {}),
});

interface Authority {
  cert: X509Certificate;
  certPem: string;
  key: forge.pki.rsa.PrivateKey;
  keyId: string;
}

const CLIENT_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Where the stack's and compose's certificates are: `.temporal/stack/certs`. */
export const certificatesDir = (cache = cacheDir(loadToolingConfig())): string =>
  join(cache, 'stack', 'certs');

/** Creates what is missing or due in `dir`, and says so through `log`; reuses the rest. */
export function ensureCertificates(
  dir: string,
  options: { clients?: readonly string[]; log?: (line: string) => void; now?: Date } = {},
): Certificates {
  const log = options.log ?? (() => undefined);
  const now = options.now ?? new Date();
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const ca = ensureAuthority(join(dir, 'ca'), now, log);
  const serving = (folder: string, name: string, dnsNames: readonly string[], clientToo = false) =>
    ensureLeaf(join(dir, folder), ca, { kind: 'server', name, dnsNames, clientToo }, now, log);
  const server = serving('temporal', 'temporal', SERVER_DNS_NAMES, true);
  const apiServer = serving('api-https', 'api', API_DNS_NAMES);
  const dexServer = serving('dex', 'dex', DEX_DNS_NAMES);
  const codecServer = serving('codec-https', 'codec-server', CODEC_DNS_NAMES);
  const client = (name: string): TlsFiles => {
    if (!CLIENT_NAME.test(name) || ['ca', 'temporal', 'api-https', 'dex', 'codec-https'].includes(name))
      throw new Error(`not a client certificate name: ${JSON.stringify(name)}`);
    return ensureLeaf(join(dir, name), ca, { kind: 'client', name }, now, log);
  };
  for (const name of options.clients ?? []) client(name);
  return { dir, caFile: join(dir, 'ca', 'ca.pem'), server, apiServer, dexServer, codecServer, client };
}

function ensureAuthority(dir: string, now: Date, log: (line: string) => void): Authority {
  const certFile = join(dir, 'ca.pem');
  const keyFile = join(dir, 'ca.key');
  const existing = readPair(certFile, keyFile);
  if (existing && existing.cert.ca && validFor(existing.cert, now)) {
    protectKey(keyFile);
    return authorityOf(existing.certPem, existing.keyPem);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { keyPem, publicKey } = newKey();
  const cert = forge.pki.createCertificate();
  fill(cert, publicKey, 'credit-onboarding development CA', CA_DAYS, now);
  cert.setIssuer(cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  const key = forge.pki.privateKeyFromPem(keyPem);
  cert.sign(key, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  writeKey(keyFile, keyPem);
  writeAtomic(certFile, certPem, 0o644);
  log(`created a development certificate authority in ${dir}`);
  return authorityOf(certPem, keyPem);
}

function authorityOf(certPem: string, keyPem: string): Authority {
  return {
    cert: new X509Certificate(certPem),
    certPem,
    key: forge.pki.privateKeyFromPem(keyPem),
    keyId: forge.pki.certificateFromPem(certPem).generateSubjectKeyIdentifier().getBytes(),
  };
}

function ensureLeaf(
  dir: string,
  ca: Authority,
  leaf:
    | { kind: 'client'; name: string }
    | { kind: 'server'; name: string; dnsNames: readonly string[]; clientToo: boolean },
  now: Date,
  log: (line: string) => void,
): TlsFiles {
  const files = { ca: join(dir, 'ca.pem'), cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
  const existing = readPair(files.cert, files.key);
  const reusable =
    existing !== undefined &&
    validFor(existing.cert, now) &&
    existing.cert.checkIssued(ca.cert) &&
    existing.cert.verify(ca.cert.publicKey) &&
    (leaf.kind === 'client' || hasServerNames(existing.cert, leaf.dnsNames));
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  if (!existsSync(files.ca) || readFileSync(files.ca, 'utf8') !== ca.certPem)
    writeAtomic(files.ca, ca.certPem, 0o644);
  if (reusable) {
    protectKey(files.key);
    return files;
  }
  const { keyPem, publicKey } = newKey();
  const cert = forge.pki.createCertificate();
  fill(cert, publicKey, leaf.name, LEAF_DAYS, now);
  cert.setIssuer(forge.pki.certificateFromPem(ca.certPem).subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    // The Temporal server's certificate is also its client identity: its services and system
    // workers call its frontend and each other with it.
    leaf.kind === 'server'
      ? { name: 'extKeyUsage', serverAuth: true, clientAuth: leaf.clientToo }
      : { name: 'extKeyUsage', clientAuth: true },
    ...(leaf.kind === 'server'
      ? [
          {
            name: 'subjectAltName',
            altNames: [
              ...leaf.dnsNames.map((value) => ({ type: 2, value })),
              ...SERVER_IPS.map((ip) => ({ type: 7, ip })),
            ],
          },
        ]
      : []),
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.keyId },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());
  // The key first: a server that reloads its files meanwhile finds a pair that does not match and
  // keeps the one it has, rather than a new certificate with the old key.
  writeKey(files.key, keyPem);
  writeAtomic(files.cert, forge.pki.certificateToPem(cert), 0o644);
  log(`issued the ${leaf.kind} certificate ${leaf.name} (${dir})`);
  return files;
}

function fill(
  cert: forge.pki.Certificate,
  publicKey: forge.pki.rsa.PublicKey,
  commonName: string,
  days: number,
  now: Date,
): void {
  cert.publicKey = publicKey;
  // Positive, 16 bytes, minimally encoded: what Go's and rustls's parsers accept.
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  cert.serialNumber = serial.toString('hex');
  // An hour back: a clock a little behind still takes a certificate just issued.
  cert.validity.notBefore = new Date(now.getTime() - 3_600_000);
  cert.validity.notAfter = new Date(now.getTime() + days * DAY_MS);
  cert.setSubject([
    { name: 'commonName', value: commonName },
    { name: 'organizationName', value: ORGANIZATION },
  ]);
}

function newKey(): { keyPem: string; publicKey: forge.pki.rsa.PublicKey } {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    keyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: forge.pki.publicKeyFromPem(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  };
}

/** A certificate and its key, when both exist, parse and belong together. */
function readPair(
  certFile: string,
  keyFile: string,
): { cert: X509Certificate; certPem: string; keyPem: string } | undefined {
  if (!existsSync(certFile) || !existsSync(keyFile)) return undefined;
  try {
    const certPem = readFileSync(certFile, 'utf8');
    const keyPem = readFileSync(keyFile, 'utf8');
    const cert = new X509Certificate(certPem);
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return undefined;
    return { cert, certPem, keyPem };
  } catch {
    return undefined;
  }
}

const validFor = (cert: X509Certificate, now: Date): boolean =>
  new Date(cert.validFrom).getTime() <= now.getTime() &&
  new Date(cert.validTo).getTime() - now.getTime() > RENEW_BEFORE_DAYS * DAY_MS;

const hasServerNames = (cert: X509Certificate, dnsNames: readonly string[]): boolean =>
  dnsNames.every((name) => cert.checkHost(name, { wildcards: false }) === name) &&
  SERVER_IPS.every((ip) => cert.checkIP(ip) !== undefined);

function writeKey(path: string, pem: string): void {
  writeAtomic(path, pem, 0o600);
}

/** Written beside and renamed, so nobody reads half a file. */
function writeAtomic(path: string, text: string, mode: number): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode });
  chmodSync(temp, mode);
  renameSync(temp, path);
}

/** An existing key is kept readable by its owner only, whatever a copy or an editor did to it. */
function protectKey(path: string): void {
  chmodSync(path, 0o600);
}

if (require.main === module) {
  // Run by `npm run certificates`: the set docker-compose.yml mounts (the stack adds its workers').
  const dir = certificatesDir();
  const made = ensureCertificates(dir, { clients: COMPOSE_CLIENTS, log: (line) => console.log(line) });
  console.log(
    `Certificates in ${made.dir}: ca/ (the authority), temporal/ (the server), api-https/ (the API), ` +
      `dex/ (the identity provider), codec-https/ (the codec server),`,
  );
  console.log(
    `${COMPOSE_CLIENTS.map((c) => `${c}/`).join(', ')} (clients); each folder holds ca.pem, cert.pem, key.pem.`,
  );
}

/** This process's TLS connections (global fetch among them) trust the authority too, once. */
export function trustAuthority(caFile: string): void {
  const pem = readFileSync(caFile, 'utf8');
  const trusted = getCACertificates('default');
  if (!trusted.includes(pem)) setDefaultCACertificates([...trusted, pem]);
}
