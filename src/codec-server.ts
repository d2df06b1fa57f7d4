/**
 * `npm run codec-server`: the codec server's routes (src/http/codec-routes.ts) with the configured
 * keyring and tokens, until SIGINT/SIGTERM. `npm run temporal` and `npm run demo` start it too.
 */
import { randomBytes } from 'node:crypto';
import { ConfigError, type Config } from './config';
import { buildCodecServer } from './http/codec-routes';
import { loadConfigFor, productionMode } from './production';
import { runService } from './service';
import { developmentSecret, isLoopbackAddress, resolveKeyring } from './temporal/keyring';

type CodecConfig = Pick<
  Config,
  | 'CODEC_SERVER_HOST'
  | 'CODEC_SERVER_PORT'
  | 'CODEC_SERVER_TOKENS'
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

/**
 * The configured tokens; on loopback without any, outside production mode, a development token
 * kept in the cache folder.
 */
export function codecServerTokens(config: CodecConfig): { tokens: string[]; development: boolean } {
  if (config.CODEC_SERVER_TOKENS !== undefined)
    return { tokens: list(config.CODEC_SERVER_TOKENS), development: false };
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
  return { tokens: [token], development: true };
}

export interface RunningCodecServer {
  /** Where the CLI's `--codec-endpoint` points (with `--codec-auth "Bearer <token>"`). */
  url: string;
  /** Where a Web UI that sends no header points (`--ui-codec-endpoint`): the first token in the path. */
  uiEndpoint: string;
  /** The development token, when one was made (on loopback without CODEC_SERVER_TOKENS). */
  developmentToken: string | undefined;
  close(): Promise<void>;
}

export async function startCodecServer(
  config: CodecConfig,
  options: { port?: number; log?: (line: string) => void } = {},
): Promise<RunningCodecServer> {
  const { tokens, development } = codecServerTokens(config);
  const app = await buildCodecServer({
    keyring: resolveKeyring(config),
    tokens,
    corsOrigins: list(config.CODEC_SERVER_CORS_ORIGINS),
    bodyLimitBytes: config.CODEC_SERVER_BODY_LIMIT_BYTES,
    ...(options.log ? { log: options.log } : {}),
  });
  await app.listen({ host: config.CODEC_SERVER_HOST, port: options.port ?? config.CODEC_SERVER_PORT });
  const { port } = app.server.address() as { port: number };
  const url = `http://${config.CODEC_SERVER_HOST}:${port}`;
  return {
    url,
    uiEndpoint: `${url}/ui/${tokens[0]}`,
    developmentToken: development ? tokens[0] : undefined,
    close: () => app.close(),
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
