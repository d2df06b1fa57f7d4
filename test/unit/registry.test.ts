/**
 * The signing-provider registry is the one list: the input schema, the configuration, the
 * simulators and the compose file's worker environment all follow it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema, loadConfig } from '../../src/config';
import { signingProviderSchema } from '../../src/domain/input';
import { buildProviders } from '../../src/providers';
import { signingProviderModules, signingProviderNames } from '../../src/providers/registry';
import { simulatorEnv } from '../../simulators/config';

const root = join(__dirname, '..', '..');

describe('the registry of signing providers', () => {
  it('is what the input schema accepts, and nothing else', () => {
    expect(signingProviderSchema.options).toEqual(signingProviderNames);
    expect(signingProviderSchema.safeParse('docusign').success).toBe(false);
  });

  it("puts every provider's variables into the configuration and the simulators'", () => {
    for (const module of signingProviderModules) {
      for (const variable of Object.keys(module.env.shape)) {
        expect(Object.keys(envSchema.shape)).toContain(variable);
        expect(Object.keys(simulatorEnv.shape)).toContain(variable);
      }
    }
  });

  it('builds one SignatureProvider per registered provider', async () => {
    const providers = buildProviders(loadConfig({}));
    try {
      expect(Object.keys(providers.signing).sort()).toEqual([...signingProviderNames].sort());
    } finally {
      await providers.close();
    }
  });

  it("refuses a real provider URL without that provider's own credentials", () => {
    for (const module of signingProviderModules) {
      const real = { [module.credentials.baseUrl]: 'https://provider.example.com/api' };
      expect(() => loadConfig(real)).toThrow(module.credentials.secrets[0]!);
    }
  });

  it("gives docker-compose.yml's worker every provider's base URL and credentials", () => {
    const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { environment?: Record<string, string> }>;
    };
    const environment = Object.keys(compose.services['worker']?.environment ?? {});
    for (const module of signingProviderModules) {
      expect(environment).toContain(module.credentials.baseUrl);
      for (const secret of module.credentials.secrets) expect(environment).toContain(secret);
    }
  });

  it("gives docker-compose.yml's API and simulators every webhook secret", () => {
    const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { environment?: Record<string, string> }>;
    };
    for (const service of ['api', 'simulators']) {
      const environment = Object.keys(compose.services[service]?.environment ?? {});
      expect(environment).toContain('DATATRUST_WEBHOOK_TOKEN');
      for (const module of signingProviderModules)
        expect(environment).toContain(module.webhook.secretVariable);
    }
  });
});

describe('PROVIDER_RATE_LIMITS', () => {
  it('reads a rate per provider, for the providers the activities call', () => {
    expect(loadConfig({ PROVIDER_RATE_LIMITS: 'datatrust:5, signio:0.5' }).PROVIDER_RATE_LIMITS).toEqual({
      datatrust: 5,
      signio: 0.5,
    });
    expect(loadConfig({}).PROVIDER_RATE_LIMITS).toEqual({});
  });

  it('refuses an unknown provider or a rate that is not positive, naming the variable only', () => {
    for (const bad of ['docusign:5', 'datatrust:0', 'datatrust:', 'securities:-1', 'assinebem:fast']) {
      expect(() => loadConfig({ PROVIDER_RATE_LIMITS: bad })).toThrow(/PROVIDER_RATE_LIMITS/);
      try {
        loadConfig({ PROVIDER_RATE_LIMITS: bad });
      } catch (err) {
        expect((err as Error).message).not.toContain(bad);
      }
    }
  });
});
