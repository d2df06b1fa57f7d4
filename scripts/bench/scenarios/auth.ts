/**
 * Provider auth: the token requests each worker made (hits on the simulators' token routes) against
 * what the tokens' lifetimes allow over the worker's life: one per lifetime, at least one.
 */
import type { Bench } from '../context';
import { driveOnboarding, onboardingInput } from '../driver';
import type { Hits } from '../simulator-client';

/**
 * The token routes and the lifetimes of what they issue: Data Trust answers `expiresInSeconds`
 * 3600 (simulators/datatrust/simulator.ts); Signio's tokens live the 120 minutes the client asks
 * for (src/providers/signio/client.ts). The client refreshes 30 s before expiry
 * (src/providers/token-cache.ts).
 */
export const TOKEN_ROUTES = {
  datatrust: { simulator: 'datatrust', route: /^POST \S*\/authentication$/, lifetimeMs: 3600_000 },
  signio: { simulator: 'signio', route: /^POST \/(token\/crear|auth)$/, lifetimeMs: 120 * 60_000 },
} as const;
export type TokenProvider = keyof typeof TOKEN_ROUTES;

export function tokenRequests(hits: Hits): Record<TokenProvider, number> {
  const count = (p: TokenProvider) => {
    const { simulator, route } = TOKEN_ROUTES[p];
    return Object.entries(hits[simulator] ?? {})
      .filter(([name]) => route.test(name))
      .reduce((sum, [, n]) => sum + n, 0);
  };
  return { datatrust: count('datatrust'), signio: count('signio') };
}

export interface WorkerTokens {
  worker: string;
  /** How long the worker ran, ms. */
  lifeMs: number;
  requests: Record<TokenProvider, number>;
  /** One per token lifetime over the worker's life, at least one. */
  allowed: Record<TokenProvider, number>;
  /** Whether the worker called the provider at all (no calls: nothing to judge). */
  used: Record<TokenProvider, boolean>;
}

export function workerTokens(
  worker: string,
  lifeMs: number,
  requests: Record<TokenProvider, number>,
  used: Record<TokenProvider, boolean>,
): WorkerTokens {
  const allowed = (p: TokenProvider) => Math.max(1, Math.ceil(lifeMs / TOKEN_ROUTES[p].lifetimeMs));
  return {
    worker,
    lifeMs,
    requests,
    allowed: { datatrust: allowed('datatrust'), signio: allowed('signio') },
    used,
  };
}

/** A few Signio onboardings through the main worker, so its Signio token cache is exercised too. */
export async function exerciseSignio(b: Bench, runs = 3): Promise<void> {
  if (b.options.provider === 'signio') return;
  b.log(`auth: ${runs} Signio onboardings, so the worker authenticates at Signio too`);
  for (let i = 0; i < runs; i++) {
    await driveOnboarding(b.stack, onboardingInput(b.tag, b.next(), 'signio'), { pollMs: b.options.pollMs });
  }
}
