/**
 * `POST /webhooks/<provider>`: a provider says something changed. The delivery's proof is checked
 * on the raw body (401 without it), its body must be the provider's (400), and the answer is 202 at
 * once: the onboarding it points at is found and signalled afterwards, and reads the change back
 * from the provider itself, so a delivery carries no data the product trusts. Deliveries about
 * unknown or ended onboardings get the same 202: the answer says nothing about what exists.
 * Repeats and bursts are folded by the waker; nothing a delivery triggers creates anything. Proved
 * deliveries past the receiver's rate limit get 429 (src/http/api/limits.ts); unproved ones do not
 * count, so whoever lacks the secret cannot use up the provider's budget.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { dataTrustEvent, signatureEvent } from '../../messages';
import { verifyWebhook } from '../../providers/webhook-auth';
import type { WebhookLimit } from '../api/limits';
import { acceptedSchema, answer, errorSchema } from '../api/schemas';
import type { ReferenceLookup } from './references';
import type { WakeSignal, WebhookReceiver } from './receivers';
import type { Waker } from './waker';

export interface WebhookRoutesOptions {
  client: Client;
  receivers: WebhookReceiver[];
  lookup: ReferenceLookup;
  waker: Waker;
  overLimit: WebhookLimit;
  log: (line: string) => void;
}

export async function webhookRoutes(app: FastifyInstance, options: WebhookRoutesOptions): Promise<void> {
  // The proof is an HMAC of the exact bytes sent: the body stays raw until it is checked.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  for (const receiver of options.receivers) {
    if (receiver.secret === undefined) {
      options.log(`webhook ${receiver.name}: off (${receiver.secretVariable} is not set)`);
      continue;
    }
    const secret = receiver.secret;
    app.post(
      `/webhooks/${receiver.name}`,
      {
        schema: {
          tags: ['webhooks'],
          summary: `${receiver.name} notifies a change`,
          description:
            receiver.auth.kind === 'bearer'
              ? `Authenticated by \`Authorization: Bearer <${receiver.secretVariable}>\`.`
              : `Authenticated by \`${receiver.auth.header}: ${receiver.auth.prefix}<hex HMAC-SHA256 of the raw body with ${receiver.secretVariable}>\`.`,
          security: [],
          response: {
            202: answer('Acknowledged; the onboarding it is about (if any) is told.', acceptedSchema),
            400: answer("The body is not this provider's notification.", errorSchema),
            401: answer('The delivery does not carry the proof.', errorSchema),
            413: answer('The body is too large.', errorSchema),
            429: answer('Too many deliveries: try again after the `Retry-After` seconds.', errorSchema),
          },
        },
      },
      async (request, reply) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        if (!verifyWebhook(receiver.auth, secret, request.headers, raw)) {
          return reply.status(401).send({ error: 'the delivery is not authenticated' });
        }
        if (await options.overLimit(request, reply, receiver.name)) return reply;
        let body: unknown;
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          return reply.status(400).send({ error: 'the body must be JSON' });
        }
        const target = receiver.targetOf(body);
        if (target === undefined) {
          return reply.status(400).send({ error: `the body is not a ${receiver.name} notification` });
        }
        void deliver(options, receiver.name, target, receiver.signalFor(body));
        return reply.status(202).send({ accepted: true });
      },
    );
  }
}

async function deliver(
  options: WebhookRoutesOptions,
  name: string,
  target: ReturnType<WebhookReceiver['targetOf']> & object,
  signal: WakeSignal,
): Promise<void> {
  let workflowId: string | undefined;
  try {
    workflowId =
      'workflowId' in target
        ? target.workflowId
        : await options.lookup.workflowIdOf(target.attribute, target.reference);
  } catch (err) {
    options.log(`webhook ${name}: lookup failed (${(err as Error)?.name ?? 'Error'})`);
    return;
  }
  if (workflowId === undefined) return;
  const handle = options.client.workflow.getHandle(workflowId);
  options.waker.wake(`${signal.kind}:${workflowId}`, name, () =>
    signal.kind === 'dataTrustEvent'
      ? handle.signal(dataTrustEvent, signal.typeId === undefined ? {} : { typeId: signal.typeId })
      : handle.signal(signatureEvent, { source: `${name} webhook` }),
  );
}
