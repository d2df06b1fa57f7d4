/**
 * `npm run temporal`: the Temporal dev server for this project, in the foreground, until Ctrl-C.
 * Frontend on TEMPORAL_PORT (7233), Web UI on TEMPORAL_UI_PORT (8233), database in
 * .temporal/dev-server.sqlite.
 */
import { loadToolingConfig } from './temporal/config';
import { startDevServer } from './temporal/dev-server';

async function main(): Promise<void> {
  const config = loadToolingConfig();
  const server = await startDevServer(config, { log: (line) => console.log(line) });
  console.log(`Temporal dev server (${server.binary.source}: ${server.binary.path})`);
  console.log(`  frontend ${server.address}`);
  console.log(`  Web UI   ${server.uiUrl}`);
  const stop = () => {
    server.stop().then(
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
