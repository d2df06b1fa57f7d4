/**
 * `npm run codec-server`: the codec server's routes (src/http/codec-routes.ts) with the configured
 * keyring, tokens and Web UI users (src/http/oidc-users.ts), until SIGINT/SIGTERM. `npm run
 * temporal` and `npm run demo` start it too.
 */
import { randomBytes } from 'node:crypto';
import { ConfigError, type Config } from './config';
import { buildCodecServer, type CodecCaller, type CodecPermission } from './http/codec-routes';
import { identify, sha256Hex, type Hashed } from './http/credentials';
import { oidcUsers } from './http/oidc-users';
import { loadConfigFor, productionMode } from './production';
import { runService } from './service';
import { developmentSecret, isLoopbackAddress, resolveKeyring } from './temporal/keyring';
import { resolveDataKeys } from './temporal/data-keys/resolve';

type CodecConfig = Pick<
  Config,
  | 'CODEC_SERVER_HOST'
  | 'CODEC_SERVER_PORT'
  | 'CODEC_SERVER_TOKENS'
  | 'CODEC_SERVER_OIDC_ISSUER'
  | 'CODEC_SERVER_OIDC_AUDIENCES'
  | 'CODEC_SERVER_OIDC_DECODE_GROUPS'
  | 'CODEC_SERVER_OIDC_COMMAND_GROUPS'
  | 'CODEC_SERVER_OIDC_GROUPS_CLAIM'
  | 'CODEC_SERVER_CORS_ORIGINS'
  | 'CODEC_SERVER_BODY_LIMIT_BYTES'
  | 'TEMPORAL_ENCRYPTION_KEYS'
  | 'TEMPORAL_ADDRESS'
  | 'TEMPORAL_CACHE_DIR'
  | 'NODE_ENV'
>;

const list = (v: string): string[] =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** A token entry: its name, its permissions (`decode`, `encode`, `command`, joined by `+`), then the token's SHA-256 in hex. */
const TOKEN_ENTRY =
  /^([A-Za-z0-9_.-]{1,64}):((?:decode|encode|command)(?:\+(?:decode|encode|command)){0,2}):([0-9a-f]{64})$/;

/**
 * CODEC_SERVER_TOKENS: `name:permissions:sha256hex` entries (permissions among `decode`, `encode`
 * and `command`, joined by `+`), the tokens kept as their SHA-256 only. An entry that is not of that
 * form is a token of the older kind, kept in clear: it may decode only.
 */
export function parseCodecTokens(text: string): Array<Hashed<CodecCaller>> {
  const entries = list(text).map((entry, i): Hashed<CodecCaller> => {
    const match = TOKEN_ENTRY.exec(entry);
    if (match === null)
      return { holder: { name: `token-${i + 1}`, may: new Set(['decode']) }, hash: digest(entry) };
    const [, name, permissions, hash] = match as unknown as [string, string, string, string];
    return {
      holder: { name, may: new Set(permissions.split('+') as CodecPermission[]) },
      hash: Buffer.from(hash, 'hex'),
    };
  });
  if (entries.length === 0) throw new ConfigError(['CODEC_SERVER_TOKENS'], 'CODEC_SERVER_TOKENS: no token');
  return entries;
}

const digest = (token: string): Buffer => Buffer.from(sha256Hex(token), 'hex');

/**
 * The configured tokens; on loopback without any, outside production mode, a development token
 * kept in the cache folder, which may decode, encode and send commands (the CLI starts onboardings
 * and repairs them with it).
 */
export function codecServerTokens(config: CodecConfig): {
  tokens: Array<Hashed<CodecCaller>>;
  developmentToken: string | undefined;
} {
  if (config.CODEC_SERVER_TOKENS !== undefined)
    return { tokens: parseCodecTokens(config.CODEC_SERVER_TOKENS), developmentToken: undefined };
  // The Web UI's users alone may call it: no token is needed, and none is made.
  if (config.CODEC_SERVER_OIDC_ISSUER !== undefined) return { tokens: [], developmentToken: undefined };
  if (productionMode(config)) {
    throw new ConfigError(['CODEC_SERVER_TOKENS'], 'CODEC_SERVER_TOKENS must be set in production mode');
  }
  if (!isLoopbackAddress(config.CODEC_SERVER_HOST)) {
    throw new ConfigError(
      ['CODEC_SERVER_TOKENS'],
      'CODEC_SERVER_TOKENS must be set when the codec server listens beyond loopback (CODEC_SERVER_HOST)',
    );
  }
  const token = developmentSecret(config, 'dev-codec-token', () => randomBytes(24).toString('base64url'));
  return {
    tokens: parseCodecTokens(`development:decode+encode+command:${sha256Hex(token)}`),
    developmentToken: token,
  };
}

/** The Web UI's signed-in users, when CODEC_SERVER_OIDC_ISSUER names their issuer. */
function webUiUsers(
  config: CodecConfig,
  log: (line: string) => void,
): ((credential: string) => Promise<CodecCaller | undefined>) | undefined {
  const issuer = config.CODEC_SERVER_OIDC_ISSUER;
  if (issuer === undefined) return undefined;
  const missing = (['CODEC_SERVER_OIDC_AUDIENCES', 'CODEC_SERVER_OIDC_DECODE_GROUPS'] as const).filter(
    (v) => list(config[v] ?? '').length === 0,
  );
  if (!URL.canParse(issuer) || !['http:', 'https:'].includes(new URL(issuer).protocol))
    throw new ConfigError(['CODEC_SERVER_OIDC_ISSUER'], 'CODEC_SERVER_OIDC_ISSUER: must be an http(s) URL');
  if (missing.length > 0)
    throw new ConfigError(missing, `${missing.join(', ')}: required with CODEC_SERVER_OIDC_ISSUER`);
  return oidcUsers({
    issuer,
    audiences: list(config.CODEC_SERVER_OIDC_AUDIENCES ?? ''),
    decodeGroups: list(config.CODEC_SERVER_OIDC_DECODE_GROUPS ?? ''),
    commandGroups: list(config.CODEC_SERVER_OIDC_COMMAND_GROUPS ?? ''),
    groupsClaim: config.CODEC_SERVER_OIDC_GROUPS_CLAIM,
    log,
  });
}

export interface RunningCodecServer {
  /** Where the CLI's `--codec-endpoint` points (with `--codec-auth "Bearer <token>"`). */
  url: string;
  /**
   * Where a Web UI that sends no header points (`--ui-codec-endpoint`): the development token in the
   * path, on loopback outside production mode only; undefined elsewhere.
   */
  uiEndpoint: string | undefined;
  /** The development token, when one was made (on loopback without CODEC_SERVER_TOKENS). */
  developmentToken: string | undefined;
  close(): Promise<void>;
}

export async function startCodecServer(
  config: CodecConfig,
  options: { port?: number; log?: (line: string) => void } = {},
): Promise<RunningCodecServer> {
  const { tokens, developmentToken } = codecServerTokens(config);
  const log = options.log ?? ((line: string) => console.log(line));
  const users = webUiUsers(config, log);
  const pathTokens = developmentToken !== undefined && isLoopbackAddress(config.CODEC_SERVER_HOST);
  const keyring = resolveKeyring(config);
  const dataKeys = resolveDataKeys(config, keyring);
  const app = await buildCodecServer({
    keyring,
    dataKeys,
    authenticate: async (credential) => identify(tokens, credential) ?? (await users?.(credential)),
    pathTokens,
    corsOrigins: list(config.CODEC_SERVER_CORS_ORIGINS),
    bodyLimitBytes: config.CODEC_SERVER_BODY_LIMIT_BYTES,
    log,
  });
  await app.listen({ host: config.CODEC_SERVER_HOST, port: options.port ?? config.CODEC_SERVER_PORT });
  const { port } = app.server.address() as { port: number };
  const url = `http://${config.CODEC_SERVER_HOST}:${port}`;
  return {
    url,
    uiEndpoint: pathTokens ? `${url}/ui/${developmentToken}` : undefined,
    developmentToken,
    close: async () => {
      await app.close();
      await dataKeys.store.close();
    },
  };
}

if (require.main === module) {
  runService(async () => {
    const server = await startCodecServer(loadConfigFor('codec-server'));
    console.log(`codec server on ${server.url}`);
    if (server.developmentToken !== undefined) {
      console.log(`  Web UI codec endpoint (development token): ${server.uiEndpoint}`);
      console.log(`  CLI: --codec-endpoint ${server.url} --codec-auth "Bearer <.temporal/dev-codec-token>"`);
    }
    return server;
  });
}
