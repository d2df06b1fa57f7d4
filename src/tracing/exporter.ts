/**
 * OpenTelemetry traces (docs/tracing.md): off unless OTEL_EXPORTER_OTLP_ENDPOINT is set. Set, the
 * process registers a tracer provider (W3C trace context, context kept across awaits) whose spans
 * go in batches to the collector over OTLP/HTTP. Every span this product makes carries names and
 * ids only (routes, workflow and activity types, providers and their operations, statuses), never
 * a request body, a URL, a payload or an error a provider wrote.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
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
  const spanProcessor = new BatchSpanProcessor(
    new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }),
  );
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return { spanProcessor, resource, shutdown: () => provider.shutdown() };
}
