/**
 * The principal of an API request: the API key that authenticated it (its name and tenant), set by
 * the server's authentication hook and read by the routes that send commands.
 */
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../domain/onboarding';

type WithPrincipal = FastifyRequest & { principal?: Principal };

export function setPrincipal(request: FastifyRequest, principal: Principal): void {
  (request as WithPrincipal).principal = principal;
}

/** The request's principal; a route that sends commands runs only after authentication set it. */
export function principalOf(request: FastifyRequest): Principal {
  const principal = (request as WithPrincipal).principal;
  if (principal === undefined) throw new Error('a command route ran without an authenticated principal');
  return principal;
}

/** The key's name for the access log ("-" before authentication). */
export const keyNameOf = (request: FastifyRequest): string =>
  (request as WithPrincipal).principal?.name ?? '-';
