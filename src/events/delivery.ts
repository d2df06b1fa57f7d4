/**
 * The activity that delivers one event to its tenant's endpoints: a signed POST to each, a 2xx
 * taken as received. Temporal retries it with backoff for as long as the delivery workflow says
 * (src/workflows/events/workflow.ts); the endpoints that already took the event are heartbeated,
 * so a retry posts only to the others. The endpoints and secrets are read at each attempt, so a
 * rotated secret or a moved URL applies to what is still pending.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { request } from 'undici';
import type { EndpointDelivery, OnboardingEvent } from '../domain/events';
import type { EventRoutes } from './endpoints';
import { signEvent } from './signing';

/** How long one POST may take before the attempt counts as failed. */
const POST_TIMEOUT_MS = 10_000;

export type Delivered = { endpoints: EndpointDelivery[] } | { noEndpoint: true };

export interface EventActivities {
  deliverEvent(event: OnboardingEvent): Promise<Delivered>;
}

export function createEventActivities(routes: EventRoutes): EventActivities {
  return {
    async deliverEvent(event) {
      const endpoints = routes.endpointsOf(event.tenant);
      if (endpoints.length === 0) return { noEndpoint: true };
      const context = Context.current();
      const { attempt } = context.info;
      const done = new Map(
        ((context.info.heartbeatDetails as EndpointDelivery[] | undefined) ?? []).map((d) => [d.endpoint, d]),
      );
      const failures: string[] = [];
      for (const endpoint of endpoints) {
        if (done.has(endpoint.name)) continue;
        const body = JSON.stringify(event);
        const headers = signEvent(event.id, new Date(), body, routes.secretsOf(event.tenant));
        try {
          const res = await request(endpoint.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'user-agent': 'credit-onboarding-events',
              ...headers,
            },
            body,
            headersTimeout: POST_TIMEOUT_MS,
            bodyTimeout: POST_TIMEOUT_MS,
          });
          await res.body.dump();
          if (res.statusCode >= 200 && res.statusCode < 300) {
            done.set(endpoint.name, {
              endpoint: endpoint.name,
              deliveredAt: new Date().toISOString(),
              status: res.statusCode,
              attempt,
            });
            context.heartbeat([...done.values()]);
          } else failures.push(`${endpoint.name} answered HTTP ${res.statusCode}`);
        } catch (err) {
          // The cause's code only: a message could carry the URL, and a URL may carry a token.
          const code = (err as { code?: unknown }).code;
          failures.push(
            `${endpoint.name} could not be reached${typeof code === 'string' ? ` (${code})` : ''}`,
          );
        }
      }
      if (failures.length > 0)
        throw ApplicationFailure.retryable(
          `event ${event.id} not delivered: ${failures.join('; ')}`,
          'EventNotDelivered',
        );
      return { endpoints: endpoints.map((e) => done.get(e.name)!) };
    },
  };
}
