/**
 * The Web UI's signed-in users, as the codec server recognises them: the UI forwards the user's
 * token from the OpenID Connect issuer (`codec.passAccessToken`), and a token is a user's when its
 * signature verifies with one of the issuer's published keys (found through its discovery document,
 * fetched again when a token names a key not yet seen: the issuer rotates them), it was issued by
 * that issuer to one of the Web UI's clients, and it has not expired. A user may decode when the
 * token's groups claim names one of the decode groups, and send commands (./codec-routes.ts stamps
 * them with the user) when it names one of the command groups; a user never encodes anything else.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import type { CodecCaller, CodecPermission } from './codec-routes';

export interface OidcUsersOptions {
  issuer: string;
  /** The Web UI's client ids: a token issued to any other client is refused. */
  audiences: string[];
  /** Members of these may decode. */
  decodeGroups: string[];
  /** Members of these may send commands (a repair, a cancel) from the Web UI. */
  commandGroups?: string[];
  groupsClaim: string;
  /** How long a fetch from the issuer may take. */
  timeoutMs?: number;
  /**
   * How soon after fetching the keys they may be fetched again for a token naming a key not among
   * them (the issuer rotated): a flood of made-up key ids costs the issuer one request per period.
   */
  refetchAfterMs?: number;
  /** Told when the issuer's keys cannot be fetched (never a token). */
  log?: (line: string) => void;
}

/** Asymmetric signatures only: a shared-secret or unsigned token is never a user's. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const CLOCK_TOLERANCE_S = 30;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const discoverySchema = z.object({ issuer: z.string(), jwks_uri: z.string().url() });

/** Characters an audit line may carry of a user's name; anything else becomes `_`. */
const principalName = (payload: JWTPayload): string => {
  const name =
    typeof payload['preferred_username'] === 'string' ? payload['preferred_username'] : payload.sub;
  return `user:${(name ?? 'unknown').replace(/[^A-Za-z0-9_.@-]/g, '_').slice(0, 64)}`;
};

/**
 * The user a bearer credential belongs to, or undefined when it is not a valid token of the issuer
 * (the reason is never told to the caller; the codec server answers 401).
 */
export function oidcUsers(
  options: OidcUsersOptions,
): (credential: string) => Promise<CodecCaller | undefined> {
  const issuer = options.issuer.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 5_000;
  const decodeGroups = new Set(options.decodeGroups);
  const commandGroups = new Set(options.commandGroups ?? []);
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined;

  // Found on first use, so the codec server starts even while the issuer is down; retried on the
  // next call when the issuer did not answer.
  const issuerKeys = async (): Promise<ReturnType<typeof createRemoteJWKSet>> => {
    if (keys) return keys;
    const res = await fetch(`${issuer}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    if (!res.ok) throw new Error(`the issuer's discovery document answered HTTP ${res.status}`);
    const discovery = discoverySchema.parse(await res.json());
    if (discovery.issuer.replace(/\/+$/, '') !== issuer)
      throw new Error('the discovery document names another issuer');
    keys = createRemoteJWKSet(new URL(discovery.jwks_uri), {
      timeoutDuration: timeoutMs,
      cooldownDuration: options.refetchAfterMs ?? 30_000,
    });
    return keys;
  };

  return async (credential) => {
    if (!JWT_SHAPE.test(credential)) return undefined;
    let verificationKeys: ReturnType<typeof createRemoteJWKSet>;
    try {
      verificationKeys = await issuerKeys();
    } catch (err) {
      options.log?.(
        `codec: the OpenID Connect issuer's keys could not be fetched (${err instanceof Error ? err.message : String(err)})`,
      );
      return undefined;
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(credential, verificationKeys, {
        issuer: [issuer, `${issuer}/`],
        audience: options.audiences,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch {
      return undefined;
    }
    const claim = payload[options.groupsClaim];
    const groups = Array.isArray(claim) ? claim.filter((g): g is string => typeof g === 'string') : [];
    const may = new Set<CodecPermission>();
    if (groups.some((g) => decodeGroups.has(g))) may.add('decode');
    if (groups.some((g) => commandGroups.has(g))) may.add('command');
    return { name: principalName(payload), may };
  };
}
