/**
 * The development tooling's own environment: where the Temporal binaries come from and the ports
 * of the embedded dev server. The product's configuration is src/config.ts.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { parseEnv } from '../../src/config';
import { optionalString } from '../../src/providers/env';

const port = z.coerce.number().int().min(0).max(65535);

export const toolingEnv = z.object({
  TEMPORAL_CLI_PATH: optionalString,
  TEMPORAL_TEST_SERVER_PATH: optionalString,
  /** The git-ignored cache of binaries and the dev server's database (`.temporal/`). */
  TEMPORAL_CACHE_DIR: optionalString,
  /** Searched for the Temporal binaries when neither variable above nor the cache has them. */
  PATH: z.string().default(''),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
});
export type ToolingConfig = z.infer<typeof toolingEnv>;

export const loadToolingConfig = (env: Record<string, string | undefined> = process.env): ToolingConfig =>
  parseEnv(toolingEnv, env);

/** The folder with the project's package.json, whether running from sources (tsx) or dist/. */
export const projectRoot = ((): string => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();
