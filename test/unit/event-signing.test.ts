/**
 * Events are signed as Standard Webhooks says, and what a receiver checks holds: a tampered body,
 * an old timestamp or another secret fails verification; during a rotation either secret verifies.
 * The endpoints' configuration names what is wrong and echoes no value.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEventRoutes } from '../../src/events/endpoints';
import { signEvent, verifyEvent } from '../../src/events/signing';

const secret = () => `whsec_${randomBytes(32).toString('base64')}`;
const body = JSON.stringify({ id: 'evt_a-1.1', type: 'onboarding.stage_changed', stage: 'identity_check' });

describe('a signed event', () => {
  const key = secret();

  it('verifies with its secret, and gives back the event', () => {
    const headers = signEvent('evt_a-1.1', new Date(), body, [key]);
    expect(verifyEvent(body, { ...headers }, [key])).toEqual({ valid: true, event: JSON.parse(body) });
  });

  it('fails with one byte of the body changed', () => {
    const headers = signEvent('evt_a-1.1', new Date(), body, [key]);
    const tampered = body.replace('identity_check', 'identity_chec!');
    expect(verifyEvent(tampered, { ...headers }, [key])).toMatchObject({ valid: false });
  });

  it('fails with another id in its header (a signature moved to another event)', () => {
    const headers = signEvent('evt_a-1.1', new Date(), body, [key]);
    expect(verifyEvent(body, { ...headers, 'webhook-id': 'evt_a-1.2' }, [key])).toMatchObject({
      valid: false,
    });
  });

  it('fails when its timestamp is more than five minutes old (a replay)', () => {
    const headers = signEvent('evt_a-1.1', new Date(Date.now() - 10 * 60_000), body, [key]);
    expect(verifyEvent(body, { ...headers }, [key])).toMatchObject({
      valid: false,
      why: expect.stringMatching(/old/i),
    });
  });

  it('fails with another secret, and without its headers', () => {
    const headers = signEvent('evt_a-1.1', new Date(), body, [key]);
    expect(verifyEvent(body, { ...headers }, [secret()])).toMatchObject({ valid: false });
    expect(verifyEvent(body, {}, [key])).toEqual({ valid: false, why: 'no webhook-id header' });
  });

  it('verifies with either secret while one rotates', () => {
    const next = secret();
    const headers = signEvent('evt_a-1.1', new Date(), body, [key, next]);
    expect(verifyEvent(body, { ...headers }, [key])).toMatchObject({ valid: true });
    expect(verifyEvent(body, { ...headers }, [next])).toMatchObject({ valid: true });
  });
});

describe('the endpoints configuration', () => {
  const production = { production: true };
  const development = { production: false };

  it('routes each tenant to its endpoints, with its secrets', () => {
    const s = secret();
    const routes = parseEventRoutes(
      'main@lender-a=https://a.example/hooks,audit@lender-a=https://b.example/e',
      `lender-a=${s}`,
      production,
    );
    expect(routes.tenants).toEqual(['lender-a']);
    expect(routes.endpointsOf('lender-a').map((e) => e.name)).toEqual(['main', 'audit']);
    expect(routes.secretsOf('lender-a')).toEqual([s]);
    expect(routes.endpointsOf('lender-b')).toEqual([]);
  });

  it('refuses http in production mode, a tenant without a secret and a bad secret, echoing no value', () => {
    const url = 'http://token-in-url.example/hooks';
    const s = secret();
    expect(() => parseEventRoutes(`main@lender-a=${url}`, `lender-a=${s}`, production)).toThrow(
      /EVENT_ENDPOINTS: entry 1 is not https/,
    );
    expect(() => parseEventRoutes(`main@lender-a=${url}`, `lender-a=${s}`, production)).not.toThrow(
      /token-in-url/,
    );
    expect(() => parseEventRoutes(`main@lender-a=${url}`, undefined, development)).toThrow(
      /tenant lender-a has an endpoint in EVENT_ENDPOINTS and no secret/,
    );
    const bad = 'whsec_short';
    expect(() => parseEventRoutes(`main@lender-a=${url}`, `lender-a=${bad}`, development)).toThrow(
      /EVENT_SIGNING_SECRETS: entry 1 has no valid secret/,
    );
    expect(() => parseEventRoutes(`main@lender-a=${url}`, `lender-a=${bad}`, development)).not.toThrow(
      /whsec_short/,
    );
  });
});
