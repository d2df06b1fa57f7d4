/**
 * Who calls the API: the key that authenticated the request (its name, tenant and scopes), set by
 * the server's authentication hook. Routes ask for a scope before they run, and send their commands
 * as the key's principal.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../domain/onboarding';
import type { ApiKey, ApiScope } from '../api-keys';

type WithCaller = FastifyRequest & { caller?: ApiKey };

export function setCaller(request: FastifyRequest, key: ApiKey): void {
  (request as WithCaller).caller = key;
}

/** The request's key; a route runs only after authentication set it. */
export function callerOf(request: FastifyRequest): ApiKey {
  const caller = (request as WithCaller).caller;
  if (caller === undefined) throw new Error('a route ran without an authenticated key');
  return caller;
}

/** The principal the request's commands are sent as. */
export const principalOf = (request: FastifyRequest): Principal => {
  const { name, tenant } = callerOf(request);
  return { type: 'api-key', name, tenant };
};

/** The key's name for the access log ("-" before authentication). */
export const keyNameOf = (request: FastifyRequest): string => (request as WithCaller).caller?.name ?? '-';

/** A route's pre-handler: 403 unless the key has `scope` (or one of `others`). */
export const requireScope =
  (scope: ApiScope, ...others: ApiScope[]) =>
  async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const { scopes } = callerOf(request);
    if (![scope, ...others].some((s) => scopes.has(s))) {
      await reply.status(403).send({ error: `this API key may not ${scopeVerbs[scope]}` });
    }
  };

const scopeVerbs: Record<ApiScope, string> = {
  start: 'start onboardings',
  read: 'read onboardings',
  'sms-token': 'forward SMS tokens',
  review: 'decide manual reviews',
  cancel: 'cancel onboardings',
  repair: 'repair onboardings',
  events: 're-send events',
  erase: "erase applicants' personal data",
};
