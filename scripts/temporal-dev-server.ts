/**
 * `npm run temporal`: the Temporal dev server for this project and the codec server its Web UI
 * decodes payloads through, in the foreground, until Ctrl-C. Frontend on TEMPORAL_PORT (7233), Web UI
 * on TEMPORAL_UI_PORT (8233), codec server on CODEC_SERVER_PORT (8089), database in
 * .temporal/dev-server.sqlite.
 */
import { loadConfig } from '../src/config';
import { startCodecServer } from '../src/codec-server';
import { loadToolingConfig } from './temporal/config';
import { startDevServer } from './temporal/dev-server';

async function main(): Promise<void> {
  const codec = await startCodecServer(loadConfig());
  const server = await startDevServer(loadToolingConfig(), {
    codecEndpoint: codec.uiEndpoint,
    log: (line) => console.log(line),
  });
  console.log(`Temporal dev server (${server.binary.source}: ${server.binary.path})`);
  console.log(`  frontend ${server.address}`);
  console.log(`  Web UI   ${server.uiUrl} (decodes payloads through the codec server)`);
  console.log(`  codec    ${codec.url}`);
  const stop = () => {
    Promise.all([server.stop(), codec.close()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  server.process.once('exit', (code) => process.exit(code ?? 1));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
