/**
 * The simulators' configuration: the variables every simulator reads (./shared-env.ts) and those a
 * simulator declares for itself (its `env`, see ./simulator-module.ts).
 */
import type { z } from 'zod';
import { parseEnv } from '../src/config';
import { simulatorModules } from './registry';
import { sharedEnv, type SimulatorConfig } from './shared-env';

export { parseWebhookBaseUrl, simulatorPort, type SimulatorConfig } from './shared-env';

/** Every simulator's own variables; typed as none here, each simulator's module types its own. */
const ownShapes: Record<never, z.ZodType> = Object.assign({}, ...simulatorModules.map((m) => m.env?.shape));

/** The shared variables and every simulator's own. */
export const simulatorEnv = sharedEnv.extend(ownShapes);

/** The simulators' configuration: every simulator's own variables too, though typed as the shared ones. */
export const loadSimulatorConfig = (env: Record<string, string | undefined> = process.env): SimulatorConfig =>
  parseEnv(simulatorEnv, env);
