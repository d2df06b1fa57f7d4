/**
 * A traced worker: Temporal's OpenTelemetry interceptors continue the trace the client started
 * (the API request that started the onboarding) into the workflow, each activity and, through the
 * provider layer's spans (src/providers/http.ts), each provider call. The workflow's spans are made
 * in its sandbox and leave it through the `exporter` sink, to this process's span processor.
 */
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import type { Tracing } from './exporter';

/** The workflow-side interceptors: bundled with the workflow code when tracing (workflow-source.ts). */
export const workflowTracingModules = [
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
];

export function workerTracingOptions(tracing: Tracing): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  return {
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
      workflowModules: workflowTracingModules,
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
