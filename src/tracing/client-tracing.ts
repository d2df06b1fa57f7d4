/**
 * A traced client's interceptors (docs/tracing.md): its starts, signals, updates and queries make
 * spans in the caller's trace and carry it in the workflow's headers, where the worker picks it up.
 */
import type { ClientInterceptors } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';

export const clientTracingInterceptors = (): ClientInterceptors => ({
  workflow: [new OpenTelemetryWorkflowClientInterceptor()],
});
