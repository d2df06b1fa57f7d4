/**
 * An OpenID Connect issuer for the codec server's tests, over real HTTP on loopback: its discovery
 * document and its published keys (JWKS), and tokens signed with them. `rotate` publishes a new key
 * and signs with it from then on, as an identity provider rotates its keys. The stack's tests use a
 * real one (Dex).
 */
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

export const WEB_UI_CLIENT = 'temporal-web-ui';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: Record<string, unknown>;
}

export interface TestIssuer {
  url: string;
  /** A token of this issuer for the Web UI's client, 10 minutes long, unless `claims` say otherwise. */
  token(claims: JWTPayload & { groups?: unknown }, options?: { key?: SigningKey }): Promise<string>;
  /** A key the issuer does not publish, with the kid of the one it signs with. */
  foreignKey(): Promise<SigningKey>;
  rotate(): Promise<void>;
  /** Requests for its keys so far. */
  keyFetches(): number;
  close(): Promise<void>;
}

let kids = 0;
async function newKey(kid = `key-${++kids}`): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

export async function startTestIssuer(): Promise<TestIssuer> {
  let keys = [await newKey()];
  let fetches = 0;
  let url = '';
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') {
      res.end(JSON.stringify({ issuer: url, jwks_uri: `${url}/keys` }));
    } else if (req.url === '/keys') {
      fetches += 1;
      res.end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  const current = () => keys[keys.length - 1]!;
  return {
    url,
    async token(claims, options = {}) {
      const key = options.key ?? current();
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        iss: url,
        aud: WEB_UI_CLIENT,
        sub: 'CiQxMjM0',
        iat: now,
        exp: now + 600,
        ...claims,
      })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid })
        .sign(key.privateKey);
    },
    foreignKey: () => newKey(current().kid),
    async rotate() {
      keys = [...keys, await newKey()];
    },
    keyFetches: () => fetches,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
