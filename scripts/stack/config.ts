/**
 * The stack's own settings: its ports (chosen apart from the dev server's, so both can run on one
 * machine) and where PostgreSQL is. Everything else is the product's configuration (src/config.ts).
 */
import { z } from 'zod';
import { parseEnv } from '../../src/config';
import { optionalString } from '../../src/providers/env';

const port = z.coerce.number().int().min(1).max(65535);

export const stackEnv = z.object({
  /** A PostgreSQL server to use (`postgres://user:password@host:port`); unset: a cluster in the cache folder. */
  POSTGRES_URL: optionalString,
  STACK_POSTGRES_PORT: port.default(5433),
  STACK_TEMPORAL_PORT: port.default(7633),
  STACK_TEMPORAL_METRICS_PORT: port.default(7699),
  /** The operators' Web UI; the read-only one is on STACK_VIEWER_UI_PORT. */
  STACK_UI_PORT: port.default(8633),
  STACK_VIEWER_UI_PORT: port.default(8634),
  /** The identity provider (Dex, HTTPS); its health and metrics on the next port. */
  STACK_DEX_PORT: port.default(5656),
  STACK_CODEC_PORT: port.default(8689),
  STACK_API_PORT: port.default(8688),
  /** The workers' metrics endpoints: this port and the next. */
  STACK_WORKER_METRICS_PORT: port.default(9464),
  /** The workers' worker deployment and build id (Worker Versioning); the build id defaults to git's HEAD. */
  STACK_DEPLOYMENT_NAME: z.string().default('credit-onboarding'),
  STACK_BUILD_ID: optionalString,
});
export type StackConfig = z.infer<typeof stackEnv>;

export const loadStackConfig = (env: Record<string, string | undefined> = process.env): StackConfig =>
  parseEnv(stackEnv, env);
