/**
 * `npm run temporal:binaries`: finds or provisions the Temporal CLI and the time-skipping test
 * server (see scripts/temporal/binaries.ts) and says where each came from.
 */
import { resolveBinary, type TemporalBinary } from './temporal/binaries';
import { loadToolingConfig } from './temporal/config';

async function main(): Promise<void> {
  const config = loadToolingConfig();
  for (const binary of ['cli', 'test-server'] as TemporalBinary[]) {
    const resolved = await resolveBinary(binary, config, { log: (line) => console.log(`  ${line}`) });
    console.log(
      `temporal ${binary}: ${resolved.path ?? '(SDK download at first use)'} [source: ${resolved.source}]`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
