/**
 * Every provider's environment variables in one schema: the HTTP timeouts, Data Trust, Securities
 * and each registered signing provider. src/config.ts adds the Temporal connection to it.
 */
import { z } from 'zod';
import { dataTrustCredentials, dataTrustEnv } from './datatrust/config';
import { credentialRule, httpEnv, type CredentialRule } from './env';
import { signingProviderModules, type SigningProviderModules } from './registry';
import { securitiesEnv } from './securities/config';

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void
  ? I
  : never;
type SigningEnvShape = UnionToIntersection<SigningProviderModules[number]['env']['shape']>;

const signingEnvShape = Object.assign(
  {},
  ...signingProviderModules.map((m) => m.env.shape),
) as SigningEnvShape;

export const providersEnv = z.object({
  ...httpEnv.shape,
  ...dataTrustEnv.shape,
  ...securitiesEnv.shape,
  ...signingEnvShape,
});
export type ProvidersEnv = z.infer<typeof providersEnv>;

/** Which secrets each provider needs when its base URL is not loopback. */
export const credentialRules: CredentialRule[] = [
  dataTrustCredentials,
  credentialRule(securitiesEnv),
  ...signingProviderModules.map((m) => m.credentials),
].filter((rule, i, all) => all.findIndex((r) => r.baseUrl === rule.baseUrl) === i);
