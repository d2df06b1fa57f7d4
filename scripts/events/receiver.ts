/**
 * A lender's backend receiving events, in a few lines any backend can follow (docs/events.md):
 * read the raw body, verify its Standard Webhooks signature with the tenant's secret, answer 2xx,
 * and treat a `webhook-id` seen before as a redelivery. The demo prints what it receives; the
 * tests use `failFirst` to have it refuse the first deliveries.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OnboardingEvent } from '../../src/domain/events';
import { verifyEvent } from '../../src/events/signing';

export interface ReceivedEvent {
  event: OnboardingEvent;
  /** How many times this id had arrived before (a redelivery). */
  seenBefore: number;
}

export interface EventReceiver {
  url: string;
  /** Every verified event, in the order received (redeliveries included). */
  received: ReceivedEvent[];
  /** Why each refused request failed verification. */
  refused: string[];
  /** The ids of the verified deliveries answered 500 (`failFirst`). */
  refusedIds: string[];
  close(): Promise<void>;
}

export async function startEventReceiver(options: {
  secrets: string[];
  port?: number;
  /** Answer this many verified deliveries with 500 first, as a backend that is down would. */
  failFirst?: number;
  onEvent?: (received: ReceivedEvent) => void;
}): Promise<EventReceiver> {
  const received: ReceivedEvent[] = [];
  const refused: string[] = [];
  const refusedIds: string[] = [];
  const seen = new Map<string, number>();
  let failuresLeft = options.failFirst ?? 0;
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const verified = verifyEvent(body, req.headers, options.secrets);
      if (!verified.valid) {
        refused.push(verified.why);
        res.writeHead(401).end();
        return;
      }
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        refusedIds.push((verified.event as OnboardingEvent).id);
        res.writeHead(500).end();
        return;
      }
      const event = verified.event as OnboardingEvent;
      const entry = { event, seenBefore: seen.get(event.id) ?? 0 };
      seen.set(event.id, entry.seenBefore + 1);
      received.push(entry);
      options.onEvent?.(entry);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/events`,
    received,
    refused,
    refusedIds,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
