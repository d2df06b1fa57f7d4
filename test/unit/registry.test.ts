/**
 * The signing-provider registry is the one list: the input schema, the configuration, the
 * simulators (their ports too), the compose file and the provider documents' index all follow it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema, loadConfig } from '../../src/config';
import { signingProviderSchema } from '../../src/domain/input';
import { buildProviders } from '../../src/providers';
import { signingProviderModules, signingProviderNames } from '../../src/providers/registry';
import {
  baseUrlVariableOf,
  defaultPortOf,
  portVariableOf,
  simulatorNames,
  type SimulatorName,
} from '../../simulators/addresses';
import { loadSimulatorConfig, simulatorEnv, simulatorPort } from '../../simulators/config';
import { signingSimulators } from '../../simulators/registry';

const root = join(__dirname, '..', '..');

interface Compose {
  services: Record<string, { environment?: Record<string, string>; ports?: string[] }>;
}
const compose = () => parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as Compose;

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
    const environment = Object.keys(compose().services['worker']?.environment ?? {});
    for (const module of signingProviderModules) {
      expect(environment).toContain(module.credentials.baseUrl);
      for (const secret of module.credentials.secrets) expect(environment).toContain(secret);
    }
  });

  it("gives docker-compose.yml's API and simulators every webhook secret", () => {
    for (const service of ['api', 'simulators']) {
      const environment = Object.keys(compose().services[service]?.environment ?? {});
      expect(environment).toContain('DATATRUST_WEBHOOK_TOKEN');
      for (const module of signingProviderModules)
        expect(environment).toContain(module.webhook.secretVariable);
    }
  });
});

describe('the simulators', () => {
  const productDefaults = loadConfig({});
  const defaultUrl = (name: SimulatorName) => new URL(productDefaults[baseUrlVariableOf(name)]);

  it('are one per registered signing provider, each under its name', () => {
    for (const name of signingProviderNames) expect(signingSimulators[name].name).toBe(name);
  });

  it('send webhook bodies the product reads as naming the envelope', () => {
    for (const module of signingProviderModules) {
      const body = signingSimulators[module.name].webhookBody('envelope-1');
      expect(module.webhook.referenceOf(body)?.envelopeId, module.name).toBe('envelope-1');
    }
  });

  it("listen by default where the product's clients look by default, each on a port of its own", () => {
    const config = loadSimulatorConfig({});
    for (const name of simulatorNames) {
      const url = defaultUrl(name);
      expect(url.hostname, `${name}'s default base URL`).toBe('127.0.0.1');
      expect(url.port, `${name}'s default base URL names its port`).not.toBe('');
      expect(simulatorPort(config, name)).toBe(Number(url.port));
    }
    expect(new Set(simulatorNames.map(defaultPortOf)).size).toBe(simulatorNames.length);
  });

  it('move with SIMULATOR_<NAME>_PORT', () => {
    for (const name of simulatorNames) {
      const config = loadSimulatorConfig({ [portVariableOf(name)]: '5999' });
      expect(simulatorPort(config, name)).toBe(5999);
    }
    expect(() => loadSimulatorConfig({ SIMULATOR_SIGNIO_PORT: 'x' })).toThrow(/SIMULATOR_SIGNIO_PORT/);
  });

  it("are where docker-compose.yml's worker looks by default, and publish their ports", () => {
    const { services } = compose();
    const published = (services['simulators']?.ports ?? []).flatMap((mapping) => {
      const [from, to = from] = mapping.split(':').at(-1)!.split('-').map(Number);
      return Array.from({ length: to! - from! + 1 }, (_, i) => from! + i);
    });
    for (const name of simulatorNames) {
      const variable = baseUrlVariableOf(name);
      const value = services['worker']?.environment?.[variable] ?? '';
      const fallback = /^\$\{\w+:-(.+)\}$/.exec(value)?.[1];
      expect(fallback, `the worker's ${variable}`).toBeDefined();
      const url = new URL(fallback!);
      expect([url.hostname, url.port, url.pathname]).toEqual([
        'simulators',
        defaultUrl(name).port,
        defaultUrl(name).pathname,
      ]);
      expect(published).toContain(defaultPortOf(name));
    }
  });
});

describe('the provider documents', () => {
  const index = readFileSync(join(root, 'docs', 'providers', 'README.md'), 'utf8');
  const rows = index.split('\n').filter((line) => line.startsWith('|'));

  it.each(signingProviderNames)(
    "index %s: a page of its own and a row linking it and the provider's code",
    (name) => {
      expect(existsSync(join(root, 'docs', 'providers', `${name}.md`)), `docs/providers/${name}.md`).toBe(
        true,
      );
      const row = rows.find((line) => line.includes(`](${name}.md)`));
      expect(row, `a row of docs/providers/README.md linking ${name}.md`).toBeDefined();
      expect(row).toContain(`src/providers/${name}/`);
    },
  );
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
