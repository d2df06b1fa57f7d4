/**
 * OpenTelemetry traces (docs/tracing.md): off unless OTEL_EXPORTER_OTLP_ENDPOINT is set. Set, the
 * process registers a tracer provider (W3C trace context, context kept across awaits) whose spans
 * go in batches to the collector over OTLP/HTTP. Every span this product makes carries names and
 * ids only (routes, workflow and activity types, providers and their operations, statuses), never
 * a request body, a URL, a payload or an error a provider wrote.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import type { Context } from '@opentelemetry/api';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Config } from '../config';

export interface Tracing {
  /** Where the workflow's spans go too (they are made in the workflow sandbox, then handed over). */
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Sends what is still buffered, then stops. */
  shutdown(): Promise<void>;
}

/** Starts this process's tracing when configured; undefined when not. Call once per process. */
export function startTracing(
  config: Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT'>,
  role: 'api' | 'worker',
): Tracing | undefined {
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (endpoint === undefined) return undefined;
  // The service alone: no host or process attributes (a process's arguments can hold anything).
  const resource = new Resource({ 'service.name': `credit-onboarding-${role}` });
  const spanProcessor = new WithoutErrorText(
    new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` })),
  );
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return { spanProcessor, resource, shutdown: () => provider.shutdown() };
}

/**
 * Hands each ended span on with its error's kind only: the status keeps its code, an exception
 * event keeps `exception.type`; the message and the stack stay in the process. The workflow's spans
 * come through here too (the exporter sink hands them to this processor).
 */
export class WithoutErrorText implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}

  onStart(span: Span, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.next.onEnd({
      name: span.name,
      kind: span.kind,
      spanContext: () => span.spanContext(),
      ...(span.parentSpanId !== undefined ? { parentSpanId: span.parentSpanId } : {}),
      startTime: span.startTime,
      endTime: span.endTime,
      status: { code: span.status.code },
      attributes: span.attributes,
      links: span.links,
      events: span.events.map((event) =>
        event.name === 'exception'
          ? { ...event, attributes: { 'exception.type': event.attributes?.['exception.type'] ?? 'Error' } }
          : event,
      ),
      duration: span.duration,
      ended: span.ended,
      resource: span.resource,
      instrumentationLibrary: span.instrumentationLibrary,
      droppedAttributesCount: span.droppedAttributesCount,
      droppedEventsCount: span.droppedEventsCount,
      droppedLinksCount: span.droppedLinksCount,
    });
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}
