/**
 * Events signed as the Standard Webhooks specification says (https://www.standardwebhooks.com/):
 * `webhook-id`, `webhook-timestamp` (seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">`, one per secret, separated by spaces), with the specification's own
 * library, which receivers in any language have too. Its verification refuses a timestamp more
 * than five minutes from now, so an old message cannot be replayed.
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The headers that sign `body`, sent as `id` at `at`, with every one of `secrets`. */
export function signEvent(id: string, at: Date, body: string, secrets: readonly string[]): SignedHeaders {
  if (secrets.length === 0) throw new Error('an event is signed with at least one secret');
  const signatures = secrets.map((secret) => new Webhook(secret).sign(id, at, body));
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}

/**
 * Whether `body` with these headers was signed with one of `secrets` within the last five
 * minutes: the parsed body, or why not.
 */
export function verifyEvent(
  body: string,
  headers: Record<string, string | string[] | undefined>,
  secrets: readonly string[],
): { valid: true; event: unknown } | { valid: false; why: string } {
  const plain: Record<string, string> = {};
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    const value = headers[name];
    if (typeof value !== 'string') return { valid: false, why: `no ${name} header` };
    plain[name] = value;
  }
  let why = 'no secret';
  for (const secret of secrets) {
    try {
      return { valid: true, event: new Webhook(secret).verify(body, plain) };
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      why = err.message;
    }
  }
  return { valid: false, why };
}
