/**
 * A span per request that reaches a route, when the process traces (docs/tracing.md): named by its
 * method and route pattern (`POST /v1/onboardings`), with its status, and the parent the caller
 * sent in `traceparent`, so a lender's own trace continues into the onboarding. The handler runs
 * inside the span: the Temporal client's spans (and through them the workflow's) are its children.
 * Nothing of the request itself goes in: no path, query, header or body.
 *
 * Written here rather than taken from @fastify/otel: that instrumentation records the request's
 * path (onboarding ids, webhook references) and a span per hook, and needs OpenTelemetry 2.x beside
 * the 1.x Temporal's interceptors are built on.
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Span,
} from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const spans = new WeakMap<FastifyRequest, Span>();

export function traceRequests(app: FastifyInstance): void {
  const tracer = trace.getTracer('credit-onboarding-api');
  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url;
    if (route === undefined) return;
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    spans.set(
      request,
      tracer.startSpan(
        `${request.method} ${route}`,
        { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'http.route': route } },
        parent,
      ),
    );
  });
  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function (this: FastifyInstance, request, reply) {
      const span = spans.get(request);
      if (span === undefined) return handler.call(this, request, reply);
      return context.with(trace.setSpan(context.active(), span), () => handler.call(this, request, reply));
    };
  });
  app.addHook('onResponse', async (request, reply) => {
    const span = spans.get(request);
    if (span === undefined) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
}
