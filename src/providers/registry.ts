/**
 * The signing providers this product can send a CCB to. Adding one is a folder under
 * src/providers/<name>/ that exports a `defineSigningProvider(...)` object, and one line here; the
 * input schema, the configuration, the activities and the simulators take their lists from this.
 */
import { assineBemSigningProvider } from './assinebem';
import { securitiesSigningProvider } from './securities';
import { signioSigningProvider } from './signio';
import { DATA_TRUST, SECURITIES } from '../provider-names';

export const signingProviderModules = [
  securitiesSigningProvider,
  assineBemSigningProvider,
  signioSigningProvider,
] as const;

export type SigningProviderModules = typeof signingProviderModules;
export type SigningProviderName = SigningProviderModules[number]['name'];
export const signingProviderNames = signingProviderModules.map((m) => m.name) as [
  SigningProviderName,
  ...SigningProviderName[],
];

export function signingProviderModule(name: SigningProviderName): SigningProviderModules[number] {
  const module = signingProviderModules.find((m) => m.name === name);
  if (module === undefined) throw new Error(`no signing provider is registered as ${name}`);
  return module;
}

/** Every provider the activities call: each may have a rate limit, and then a task queue of its own. */
export const calledProviders = [...new Set([DATA_TRUST, SECURITIES, ...signingProviderNames])];
