/**
 * The simulators call the product's webhooks when something changes, as the product's receiver
 * reads them: each signing simulator posts to `<base>/<provider>` with the provider's proof
 * (`verifyWebhook` with its `<P>_WEBHOOK_SECRET`) and a body its `referenceOf` maps to the
 * envelope; Data Trust posts its documented notification with `Bearer <DATATRUST_WEBHOOK_TOKEN>`.
 * The envelopes are made by the product's own signing adapters, the signatures at the simulators;
 * what each delivery should say is the simulator's own declaration (its `webhookEvents`), so every
 * registered signing provider is tested here without a line of its own.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { buildProviders, type Providers } from '../../src/providers';
import { verifyWebhookAuthorization, webhookNotificationSchema } from '../../src/providers/datatrust';
import {
  signingProviderModule,
  signingProviderModules,
  signingProviderNames,
  type SigningProviderName,
} from '../../src/providers/registry';
import { verifyWebhook } from '../../src/providers/webhook-auth';
import type { SigningParty, SigningRequest } from '../../src/signing/contract';
import { startSimulators, type Simulators, type SimulatorsOptions } from '../../simulators';
import { loadSimulatorConfig } from '../../simulators/config';
import { signingSimulators } from '../../simulators/registry';
import { signAtProvider, simulatorState } from '../helpers/simulators';
import { sampleParty } from './signing-parties';

const DATATRUST_WEBHOOK_TOKEN = 'datatrust-webhook-token';
/** A secret of its own per provider: a delivery proved with another's fails. */
const secretOf = (name: SigningProviderName): string => `${name}-webhook-secret`;
const SECRETS: Record<string, string> = {
  DATATRUST_WEBHOOK_TOKEN,
  ...Object.fromEntries(signingProviderModules.map((m) => [m.webhook.secretVariable, secretOf(m.name)])),
};

// ---------------------------------------------------------------------------------------------
// A receiver that records every delivery (path, headers, raw body); paths under /failing answer 500.
// ---------------------------------------------------------------------------------------------

interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

interface Receiver {
  url: string;
  deliveries: Delivery[];
  to(path: string): Delivery[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      deliveries.push({ path, headers: req.headers, raw: Buffer.concat(chunks) });
      res.writeHead(path.startsWith('/failing') ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    to: (path) => deliveries.filter((d) => d.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------------
// Simulators, the product's providers against them, and the envelopes.
// ---------------------------------------------------------------------------------------------

interface Stack {
  simulators: Simulators;
  providers: Providers;
  close(): Promise<void>;
}

async function startStack(env: Record<string, string>, options: SimulatorsOptions): Promise<Stack> {
  const simulators = await startSimulators(loadSimulatorConfig({ ...SECRETS, ...env }), {
    randomPorts: true,
    ...options,
  });
  const providers = buildProviders(loadConfig(simulators.baseUrls));
  return {
    simulators,
    providers,
    close: async () => {
      await providers.close();
      await simulators.close();
    },
  };
}

const TWO_SIGNERS = [sampleParty(0), sampleParty(1)];
const ONE_REFUSING = [sampleParty(0, { name: 'Maria Recusa Souza' })];

let sequence = 0;

/** A Securities proposal (its document is the CCB), then the envelope the product's adapter sends. */
async function sendEnvelope(
  stack: Stack,
  provider: SigningProviderName,
  signers: SigningParty[],
  /** A later envelope of the same onboarding: the workflow id with a `~<hash>` suffix. */
  later = false,
): Promise<{ envelopeId: string; key: string }> {
  sequence += 1;
  const number = `WH-${provider}-${sequence}`;
  const proposal = await stack.providers.securities.createProposal({
    number,
    issuer_full_name: 'Maria Souza',
    issuer_document: '529.982.247-25',
    installments: 12,
    template_key: '8b1f6b1e-6c1a-4c59-9a53-3f0f4f1b2c3d',
    document_data: { number, financed_amount: '5000.00', first_installment_due_date: '10/01/2027' },
  });
  const workflowId = `onboarding-webhook-${sequence}`;
  const key = later ? `${workflowId}~0a1b2c3d` : workflowId;
  const request: SigningRequest = {
    key,
    onboardingId: workflowId,
    proposal: { proposalId: proposal.id, number, documentKey: proposal.documents[0]!.key },
    signers,
  };
  const envelope = await stack.providers.signing[provider].send(request);
  return { envelopeId: envelope.envelopeId, key };
}

const bodyOf = (d: Delivery) => JSON.parse(d.raw.toString('utf8')) as Record<string, unknown>;
/** What the simulator's deliveries say when the two signers sign, and when the one refuses. */
const expectedEvents = (name: SigningProviderName) => {
  const { whenAllSign, whenRefused } = signingSimulators[name].webhookEvents;
  return { signed: whenAllSign(TWO_SIGNERS.length), refused: whenRefused };
};
const eventOf = (name: SigningProviderName, d: Delivery) =>
  signingSimulators[name].webhookEvents.of(bodyOf(d));

/** The deliveries at `path` about one envelope (the simulators are shared by the tests). */
const about = (receiver: Receiver, path: string, name: SigningProviderName, envelopeId: string) =>
  receiver
    .to(path)
    .filter((d) => signingProviderModule(name).webhook.referenceOf(bodyOf(d))?.envelopeId === envelopeId);

interface Counts {
  counts: { webhookDeliveries: number; webhookFailures: number };
  webhook: { url: string } | null;
}

// ---------------------------------------------------------------------------------------------

describe('with a webhook base URL', () => {
  let receiver: Receiver;
  let stack: Stack;

  beforeAll(async () => {
    receiver = await startReceiver();
    stack = await startStack({}, { autoSignMs: null, webhookBaseUrl: `${receiver.url}/webhooks/` });
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  describe.each(signingProviderNames)('%s', (name) => {
    const path = `/webhooks/${name}`;
    const baseUrl = () => stack.simulators.servers[name].baseUrl;

    it('delivers each signature and the completion, proved with the secret and naming the envelope', async () => {
      const before = await simulatorState<Counts>(baseUrl());
      expect(before.webhook).toEqual({ url: `${receiver.url}${path}` });
      const { envelopeId, key } = await sendEnvelope(stack, name, TWO_SIGNERS, true);
      expect(key).toContain('~');
      expect(about(receiver, path, name, envelopeId)).toEqual([]);

      await signAtProvider(stack.simulators.baseUrls, name, envelopeId);
      const { signed } = expectedEvents(name);
      await expect
        .poll(() => about(receiver, path, name, envelopeId).length, { timeout: 5_000 })
        .toBe(signed.length);
      const deliveries = about(receiver, path, name, envelopeId);
      expect(deliveries.map((d) => eventOf(name, d))).toEqual(signed);
      expect(bodyOf(deliveries[0]!)).toMatchObject(signingSimulators[name].webhookBody(envelopeId));

      const { webhook } = signingProviderModule(name);
      for (const d of deliveries) {
        expect(d.headers['content-type']).toBe('application/json');
        expect(verifyWebhook(webhook.auth, secretOf(name), d.headers, d.raw)).toBe(true);
        expect(verifyWebhook(webhook.auth, `${secretOf(name)}-wrong`, d.headers, d.raw)).toBe(false);
        expect(verifyWebhook(webhook.auth, 'simulator', d.headers, d.raw)).toBe(false);
        // A delivery that names the workflow too names it without the `~<hash>` of a later envelope.
        const reference = webhook.referenceOf(bodyOf(d));
        expect(reference).toEqual({
          envelopeId,
          ...(reference?.workflowId === undefined ? {} : { workflowId: key.split('~')[0] }),
        });
      }

      await expect
        .poll(async () => (await simulatorState<Counts>(baseUrl())).counts, { timeout: 5_000 })
        .toMatchObject({
          webhookDeliveries: before.counts.webhookDeliveries + signed.length,
          webhookFailures: before.counts.webhookFailures,
        });
    });

    it('delivers a refusal', async () => {
      const { envelopeId } = await sendEnvelope(stack, name, ONE_REFUSING);
      await signAtProvider(stack.simulators.baseUrls, name, envelopeId);
      const { refused } = expectedEvents(name);
      await expect
        .poll(() => about(receiver, path, name, envelopeId).length, { timeout: 5_000 })
        .toBe(refused.length);
      const [delivery] = about(receiver, path, name, envelopeId);
      expect(eventOf(name, delivery!)).toEqual(refused[0]);
      expect(
        verifyWebhook(
          signingProviderModule(name).webhook.auth,
          secretOf(name),
          delivery!.headers,
          delivery!.raw,
        ),
      ).toBe(true);
    });

    it('can be pointed elsewhere at run time, counts failed deliveries, and stops on DELETE', async () => {
      const origin = new URL(baseUrl()).origin;
      const control = (method: string, body?: unknown) =>
        fetch(`${origin}/_simulator/webhook`, {
          method,
          ...(body === undefined
            ? {}
            : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
        });
      try {
        expect((await control('POST', { url: 'not a url' })).status).toBe(400);
        const failing = `/failing/${name}`;
        expect((await control('POST', { url: `${receiver.url}${failing}` })).status).toBe(200);
        const before = await simulatorState<Counts>(baseUrl());
        expect(before.webhook).toEqual({ url: `${receiver.url}${failing}` });

        const first = await sendEnvelope(stack, name, ONE_REFUSING);
        await signAtProvider(stack.simulators.baseUrls, name, first.envelopeId);
        await expect
          .poll(async () => (await simulatorState<Counts>(baseUrl())).counts, { timeout: 5_000 })
          .toMatchObject({
            webhookDeliveries: before.counts.webhookDeliveries + 1,
            webhookFailures: before.counts.webhookFailures + 1,
          });
        expect(about(receiver, failing, name, first.envelopeId)).toHaveLength(1);
        expect(about(receiver, path, name, first.envelopeId)).toHaveLength(0);

        expect((await control('DELETE')).status).toBe(204);
        expect((await simulatorState<Counts>(baseUrl())).webhook).toBeNull();
        const second = await sendEnvelope(stack, name, ONE_REFUSING);
        await signAtProvider(stack.simulators.baseUrls, name, second.envelopeId);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(about(receiver, failing, name, second.envelopeId)).toHaveLength(0);
        expect(about(receiver, path, name, second.envelopeId)).toHaveLength(0);
        expect((await simulatorState<Counts>(baseUrl())).counts.webhookDeliveries).toBe(
          before.counts.webhookDeliveries + 1,
        );
      } finally {
        await control('POST', { url: `${receiver.url}${path}` });
      }
    });
  });

  it('Data Trust posts its documented notification with the Bearer token when a token is validated', async () => {
    const { datatrust } = stack.providers;
    const created = await datatrust.sendTransaction({
      Document: '52998224725',
      DocumentType: 'CPF',
      AreaCode: '11',
      Phone: '987650001',
      SendOption: [1],
      Type: 1,
    });
    await datatrust.validateSmsToken(created.ID, await stack.simulators.datatrust.smsTokenFor(created.ID));
    const mine = () => receiver.to('/webhooks/datatrust').filter((d) => bodyOf(d)['Code'] === created.ID);
    await expect.poll(() => mine().length, { timeout: 5_000 }).toBe(1);
    const [delivery] = mine();
    expect(verifyWebhookAuthorization(delivery!.headers.authorization, DATATRUST_WEBHOOK_TOKEN)).toBe(true);
    expect(verifyWebhookAuthorization(delivery!.headers.authorization, 'simulator')).toBe(false);
    const notification = webhookNotificationSchema.parse(bodyOf(delivery!));
    expect(notification).toMatchObject({ Code: created.ID, TypeId: 1, Description: 'Token SMS: Valid' });
    expect(Object.keys(bodyOf(delivery!)).sort()).toEqual(['Code', 'Date', 'Description', 'TypeId']);
    const state = await simulatorState<Counts>(stack.simulators.datatrust.baseUrl);
    expect(state.counts.webhookDeliveries).toBeGreaterThanOrEqual(1);
    expect(state.counts.webhookFailures).toBe(0);
  });
});

describe('SIMULATOR_WEBHOOK_BASE_URL and auto-signing', () => {
  let receiver: Receiver;
  let stack: Stack;

  beforeAll(async () => {
    receiver = await startReceiver();
    // The variable, not the option; signers sign by themselves. Not at once: Securities closes a
    // document when every signer bound so far has signed, and the adapter binds one at a time.
    stack = await startStack({ SIMULATOR_WEBHOOK_BASE_URL: `${receiver.url}/auto//` }, { autoSignMs: 400 });
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it.each(signingProviderNames)('%s delivers what its timers sign', async (name) => {
    const { envelopeId } = await sendEnvelope(stack, name, TWO_SIGNERS);
    const path = `/auto/${name}`;
    const { signed } = expectedEvents(name);
    await expect
      .poll(() => about(receiver, path, name, envelopeId).length, { timeout: 5_000 })
      .toBe(signed.length);
    for (const d of about(receiver, path, name, envelopeId))
      expect(verifyWebhook(signingProviderModule(name).webhook.auth, secretOf(name), d.headers, d.raw)).toBe(
        true,
      );
  });

  it('reads the variable: trailing slashes removed, empty is off, anything but http(s) refused', () => {
    expect(
      loadSimulatorConfig({ SIMULATOR_WEBHOOK_BASE_URL: 'http://127.0.0.1:8088/webhooks//' }),
    ).toMatchObject({ SIMULATOR_WEBHOOK_BASE_URL: 'http://127.0.0.1:8088/webhooks' });
    expect(
      loadSimulatorConfig({ SIMULATOR_WEBHOOK_BASE_URL: '' }).SIMULATOR_WEBHOOK_BASE_URL,
    ).toBeUndefined();
    expect(loadSimulatorConfig({}).SIMULATOR_WEBHOOK_BASE_URL).toBeUndefined();
    expect(() => loadSimulatorConfig({ SIMULATOR_WEBHOOK_BASE_URL: 'ftp://example.com' })).toThrow(
      /SIMULATOR_WEBHOOK_BASE_URL/,
    );
  });
});

describe('without a webhook base URL', () => {
  let receiver: Receiver;
  let stack: Stack;

  beforeAll(async () => {
    receiver = await startReceiver();
    // The variable is set, and the option's null turns it off.
    stack = await startStack(
      { SIMULATOR_WEBHOOK_BASE_URL: `${receiver.url}/should-not` },
      { autoSignMs: null, webhookBaseUrl: null },
    );
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it('delivers nothing', async () => {
    for (const name of signingProviderNames) {
      const { envelopeId } = await sendEnvelope(stack, name, TWO_SIGNERS);
      await signAtProvider(stack.simulators.baseUrls, name, envelopeId);
    }
    const created = await stack.providers.datatrust.sendTransaction({
      Document: '52998224725',
      DocumentType: 'CPF',
      AreaCode: '11',
      Phone: '987650002',
      SendOption: [1],
      Type: 1,
    });
    await stack.providers.datatrust.validateSmsToken(
      created.ID,
      await stack.simulators.datatrust.smsTokenFor(created.ID),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.deliveries).toEqual([]);
    for (const url of Object.values(stack.simulators.baseUrls)) {
      const state = await simulatorState<Counts>(url);
      expect(state.counts).toMatchObject({ webhookDeliveries: 0, webhookFailures: 0 });
      expect(state.webhook).toBeNull();
    }
  });
});
