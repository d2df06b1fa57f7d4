/**
 * The development tooling's own environment: where the Temporal binaries come from and the ports
 * of the embedded dev server. The product's configuration is src/config.ts.
 */
import { z } from 'zod';
import { parseEnv, temporalEnv } from '../../src/config';
import { optionalString } from '../../src/providers/env';

const port = z.coerce.number().int().min(0).max(65535);

export const toolingEnv = z.object({
  TEMPORAL_CACHE_DIR: temporalEnv.shape.TEMPORAL_CACHE_DIR,
  TEMPORAL_CLI_PATH: optionalString,
  TEMPORAL_TEST_SERVER_PATH: optionalString,
  /** Searched for the Temporal binaries when neither variable above nor the cache has them. */
  PATH: z.string().default(''),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
});
export type ToolingConfig = z.infer<typeof toolingEnv>;

export const loadToolingConfig = (env: Record<string, string | undefined> = process.env): ToolingConfig =>
  parseEnv(toolingEnv, env);

export { projectRoot } from '../../src/temporal/project-root';
