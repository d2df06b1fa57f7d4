/**
 * How the simulators call the product's webhooks when something changes (so that a signature wakes
 * a waiting onboarding at once instead of at its next poll).
 *
 * `postWebhook` is the one delivery every simulator uses: a POST with a short deadline, no retry,
 * no redirect followed, never throwing (it answers what happened). `WebhookNotifier` adds what the
 * signing simulators share: the target URL (from `SIMULATOR_WEBHOOK_BASE_URL`, or set at run time),
 * the provider's proof of origin (`webhookProof` with the provider's `<P>_WEBHOOK_SECRET`, as the
 * product's receiver checks it), the `webhookDeliveries`/`webhookFailures` counts, waiting for
 * deliveries in flight on close, and the control routes:
 *   POST   /_simulator/webhook {url}   deliver to `url` from now on (the secret stays the configured one)
 *   DELETE /_simulator/webhook         stop delivering
 * Deliveries never delay or fail the simulated provider's own answer. Neither the secret nor the
 * bodies are logged (nothing here logs at all).
 */
import type { SigningProviderName } from '../src/providers/registry';
import { signingProviderModule } from '../src/providers/registry';
import { webhookProof, type WebhookAuth } from '../src/providers/webhook-auth';
import type { SimulatorConfig } from './shared-env';
import { reply, type SimulatorServer } from './kit';

/** How long a delivery may take before it counts as failed. */
export const WEBHOOK_TIMEOUT_MS = 2_000;

export interface WebhookOutcome {
  /** A 2xx answer. */
  ok: boolean;
  status?: number;
  /** The error's name (`TimeoutError`, `TypeError`...) when no answer came; never its details. */
  error?: string;
}

/** One delivery: resolves with what happened (never rejects). */
export async function postWebhook(request: {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  timeoutMs?: number;
}): Promise<WebhookOutcome> {
  try {
    const res = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs ?? WEBHOOK_TIMEOUT_MS),
    });
    await res.body?.cancel().catch(() => undefined);
    return { ok: res.status >= 200 && res.status < 300, status: res.status };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.name : 'Error' };
  }
}

/** `SIMULATOR_WEBHOOK_BASE_URL` + `/<provider>`, or undefined when webhooks are off. */
export const webhookUrlFor = (config: SimulatorConfig, path: string): string | undefined =>
  config.SIMULATOR_WEBHOOK_BASE_URL === undefined
    ? undefined
    : `${config.SIMULATOR_WEBHOOK_BASE_URL}/${path}`;

/** The shared secret the product checks a signing provider's deliveries with (its `webhook.secretVariable`). */
export function webhookSecretFor(config: SimulatorConfig, provider: SigningProviderName): string {
  const variable = signingProviderModule(provider).webhook.secretVariable;
  const value = (config as Record<string, unknown>)[variable];
  if (typeof value !== 'string' || value === '')
    throw new Error(`${variable} is not in the simulators' configuration`);
  return value;
}

/** What a signing simulator's options carry for its webhook. */
export interface SigningWebhookOptions {
  /** Where to deliver (`<SIMULATOR_WEBHOOK_BASE_URL>/<provider>`); undefined = no deliveries until set at run time. */
  webhookUrl?: string | undefined;
  /** The shared secret the deliveries are proved with (default `simulator`, as the product's). */
  webhookSecret?: string | undefined;
}

/** The webhook options of a signing simulator from the configuration. */
export const signingWebhookOptions = (
  config: SimulatorConfig,
  provider: SigningProviderName,
): SigningWebhookOptions => ({
  webhookUrl: webhookUrlFor(config, provider),
  webhookSecret: webhookSecretFor(config, provider),
});

export interface WebhookCounts {
  /** Deliveries attempted. */
  webhookDeliveries: number;
  /** Of those, the ones that got no 2xx answer (network error, timeout or another status). */
  webhookFailures: number;
}

/** A signing simulator's deliveries to the product: target, proof, counts, in-flight tracking. */
export class WebhookNotifier {
  private readonly auth: WebhookAuth;
  private readonly secret: string;
  private readonly configuredUrl: string | undefined;
  private url: string | undefined;
  private readonly pending = new Set<Promise<void>>();
  private counts: WebhookCounts = { webhookDeliveries: 0, webhookFailures: 0 };
  /** Bumped by `reset`: deliveries started before it no longer count. */
  private generation = 0;

  constructor(
    provider: SigningProviderName,
    options: SigningWebhookOptions,
    private readonly timeoutMs = WEBHOOK_TIMEOUT_MS,
  ) {
    this.auth = signingProviderModule(provider).webhook.auth;
    this.secret = options.webhookSecret ?? 'simulator';
    this.configuredUrl = options.webhookUrl;
    this.url = options.webhookUrl;
  }

  /** Delivers `body` as JSON in the background, if a target is set. */
  notify(body: unknown): void {
    const url = this.url;
    if (url === undefined) return;
    const raw = Buffer.from(JSON.stringify(body), 'utf8');
    const generation = this.generation;
    this.counts.webhookDeliveries += 1;
    const sending = postWebhook({
      url,
      headers: { 'content-type': 'application/json', ...webhookProof(this.auth, this.secret, raw) },
      body: raw,
      timeoutMs: this.timeoutMs,
    }).then((outcome) => {
      if (!outcome.ok && generation === this.generation) this.counts.webhookFailures += 1;
    });
    this.pending.add(sending);
    void sending.finally(() => this.pending.delete(sending));
  }

  /** Waits for the deliveries in flight. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  /** The counts, for `/_simulator/state` (merged into the simulator's own `counts`). */
  stateCounts(): WebhookCounts {
    return { ...this.counts };
  }

  /** The target, for `/_simulator/state` (never the secret). */
  target(): { url: string } | null {
    return this.url === undefined ? null : { url: this.url };
  }

  /** Back to the configured target, counts at zero (`POST /_simulator/reset`). */
  reset(): void {
    this.generation += 1;
    this.url = this.configuredUrl;
    this.counts = { webhookDeliveries: 0, webhookFailures: 0 };
  }

  /** Declares `POST|DELETE /_simulator/webhook` on the simulator. */
  mount(server: SimulatorServer): void {
    server.controlRoute('POST', '/_simulator/webhook', (req) => {
      const body = req.json();
      const url =
        body !== null && typeof body === 'object' && !Array.isArray(body)
          ? (body as Record<string, unknown>)['url']
          : undefined;
      if (typeof url !== 'string' || !isHttpUrl(url))
        return reply(400, { message: 'expected { "url": "http://..." }' });
      this.url = url;
      return reply(200, { url });
    });
    server.controlRoute('DELETE', '/_simulator/webhook', () => {
      this.url = undefined;
      return reply(204);
    });
  }
}

export const isHttpUrl = (value: string): boolean => {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
};
