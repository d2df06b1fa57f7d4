/**
 * Which webhooks the service receives: the simulators' public secret only on loopback outside
 * production mode; otherwise a receiver is on only when its secret is set, and the others answer
 * 404 (nobody can wake an onboarding with the simulators' secret, which the docs print).
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { webhookReceivers } from '../../src/http/webhooks/receivers';
import { signingProviderNames } from '../../src/providers/registry';

const receivers = (env: Record<string, string>) =>
  Object.fromEntries(webhookReceivers(loadConfig(env)).map((r) => [r.name, r.secret]));
const off = Object.fromEntries(['datatrust', ...signingProviderNames].map((name) => [name, undefined]));

describe('webhook receivers', () => {
  it('accept the simulators’ secret on loopback, so the local stack works with no setup', () => {
    expect(receivers({})).toEqual(
      Object.fromEntries(['datatrust', ...signingProviderNames].map((name) => [name, 'simulator'])),
    );
  });

  it('beyond loopback, are on only with a secret of their own (unset, empty or the default is off)', () => {
    expect(
      receivers({
        API_HOST: '0.0.0.0',
        SECURITIES_WEBHOOK_SECRET: 'a-real-secret',
        ASSINEBEM_WEBHOOK_SECRET: '',
        SIGNIO_WEBHOOK_SECRET: 'simulator',
      }),
    ).toEqual({ datatrust: undefined, securities: 'a-real-secret', assinebem: undefined, signio: undefined });
  });

  it('in production mode, never take the development secret, on loopback too', () => {
    expect(receivers({ NODE_ENV: 'production' })).toEqual(off);
    expect(receivers({ NODE_ENV: 'production', API_HOST: '127.0.0.1' })).toEqual(off);
    // Set to it explicitly, the start-up check refuses it (test/unit/production-mode.test.ts); here it is off.
    expect(receivers({ NODE_ENV: 'production', SECURITIES_WEBHOOK_SECRET: 'simulator' })).toEqual(off);
    expect(receivers({ NODE_ENV: 'production', SECURITIES_WEBHOOK_SECRET: 'own' })).toEqual({
      ...off,
      securities: 'own',
    });
  });

  it('a host that only begins like loopback is not loopback', () => {
    expect(receivers({ API_HOST: '127.evil.example' })).toEqual(off);
    expect(receivers({ API_HOST: 'localhost.evil.example' })).toEqual(off);
  });

  it('map a delivery to what it points at: a workflow id it carries, or a reference to look up', () => {
    const byName = Object.fromEntries(webhookReceivers(loadConfig({})).map((r) => [r.name, r]));
    expect(byName['datatrust']!.targetOf({ Code: 'tx-1', TypeId: 1 })).toEqual({
      attribute: 'DataTrustTransactionIds',
      reference: 'tx-1',
    });
    expect(byName['datatrust']!.signalFor({ code: 'tx-1', typeId: '1' })).toEqual({
      kind: 'dataTrustEvent',
      typeId: 1,
    });
    expect(byName['securities']!.targetOf({ event: { name: 'sign' }, document: { key: 'k-1' } })).toEqual({
      attribute: 'SigningEnvelopeId',
      reference: 'k-1',
    });
    expect(byName['assinebem']!.targetOf({ documento: { id_externo: 42 } })).toEqual({
      attribute: 'SigningEnvelopeId',
      reference: '42',
    });
    expect(byName['signio']!.targetOf({ id_transaccion: 7, external_id: 'onboarding-abc~1f2e' })).toEqual({
      workflowId: 'onboarding-abc',
    });
    // An external_id that is not one of our workflow ids falls back to the envelope.
    expect(byName['signio']!.targetOf({ id_transaccion: 7, external_id: 'someone-else' })).toEqual({
      attribute: 'SigningEnvelopeId',
      reference: '7',
    });
    expect(byName['signio']!.targetOf({ estado: 2 })).toBeUndefined();
  });
});
