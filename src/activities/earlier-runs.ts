/**
 * What an earlier run of the same onboarding sent for signature. Resetting a workflow (an
 * operator's button in the Web UI, `temporal workflow reset`) starts a new run from an earlier
 * workflow task: the activities after it run again. Securities (numbers) and Data Trust (references)
 * find what they created in any state; the signing platforms do not all offer such a lookup (Assine
 * Bem lists only pending documents), so each run records the envelope it sent in the
 * `SigningEnvelopeId` search attribute, and a later run of the same workflow id reads it from
 * Temporal's visibility.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { signingEnvelopeIdKey } from '../search-attributes';
import { grpcCodeOf, grpcStatus } from '../temporal/grpc';
import { visibilityLiteral } from '../temporal/visibility';

/** The envelope id recorded by another run of this workflow, if any. */
export async function envelopeOfEarlierRun(): Promise<string | undefined> {
  const context = Context.current();
  let client: Client;
  try {
    client = context.client;
  } catch {
    return undefined; // outside a worker (a mock activity environment without a client)
  }
  const execution = context.info.workflowExecution;
  if (execution === undefined) return undefined;
  const query = `WorkflowId = ${visibilityLiteral(execution.workflowId)}`;
  try {
    for await (const run of client.workflow.list({ query })) {
      if (run.runId === execution.runId) continue;
      const envelopeId = run.typedSearchAttributes.get(signingEnvelopeIdKey);
      if (envelopeId) return envelopeId;
    }
  } catch (err) {
    // A server without visibility (Temporal's time-skipping test server) has no earlier runs to
    // show; any other failure is retried with the activity.
    if (grpcCodeOf(err) === grpcStatus.UNIMPLEMENTED) return undefined;
    throw err;
  }
  return undefined;
}
