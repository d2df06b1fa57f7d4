/**
 * The onboardings list, from Temporal's visibility: the filters are search attributes (stage,
 * signing provider, outcome), which hold no personal data; pages follow Temporal's own page token.
 */
import type { Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import type { z } from 'zod';
import { outcomeStatuses, stages } from '../../domain/onboarding';
import { WORKFLOW_TYPE, workflowIdFor } from '../../messages';
import { signingProviderNames } from '../../providers/registry';
import { onboardingOutcomeKey, onboardingStageKey, signingProviderKey } from '../../search-attributes';
import type { listQuery, listSchema } from './schemas';

type ListQuery = z.output<typeof listQuery>;
type ListAnswer = z.output<typeof listSchema>;

export class InvalidPageToken extends Error {
  readonly statusCode = 400;
  constructor() {
    super('nextPageToken is not one this API gave');
  }
}

const PREFIX = workflowIdFor('');

export async function listOnboardings(client: Client, query: ListQuery): Promise<ListAnswer> {
  // The filter values come from the schema's enums: nothing the caller typed reaches the query as text.
  const filters = [
    `WorkflowType = '${WORKFLOW_TYPE}'`,
    ...(query.stage ? [`${onboardingStageKey.name} = '${query.stage}'`] : []),
    ...(query.provider ? [`${signingProviderKey.name} = '${query.provider}'`] : []),
    ...(query.outcome ? [`${onboardingOutcomeKey.name} = '${query.outcome}'`] : []),
  ];
  const token = query.nextPageToken === undefined ? undefined : decodePageToken(query.nextPageToken);
  let response;
  try {
    response = await client.workflowService.listWorkflowExecutions({
      namespace: client.options.namespace,
      query: filters.join(' AND '),
      pageSize: query.pageSize,
      ...(token ? { nextPageToken: token } : {}),
    });
  } catch (err) {
    if (token && isInvalidArgument(err)) throw new InvalidPageToken();
    throw err;
  }
  const onboardings = (response.executions ?? []).flatMap((execution) => {
    const workflowId = execution.execution?.workflowId ?? '';
    if (!workflowId.startsWith(PREFIX)) return [];
    const attributes = decodeTypedSearchAttributes(execution.searchAttributes?.indexedFields);
    // A value this version does not know (written by another version) is left out, not guessed.
    const stage = oneOf(stages, attributes.get(onboardingStageKey));
    const signingProvider = oneOf(signingProviderNames, attributes.get(signingProviderKey));
    const outcome = oneOf(outcomeStatuses, attributes.get(onboardingOutcomeKey));
    const startTime = optionalTsToDate(execution.startTime);
    const closeTime = optionalTsToDate(execution.closeTime);
    return [
      {
        onboardingId: workflowId.slice(PREFIX.length),
        workflowId,
        ...(stage ? { stage } : {}),
        ...(signingProvider ? { signingProvider } : {}),
        ...(outcome ? { outcome } : {}),
        startTime: (startTime ?? new Date(0)).toISOString(),
        ...(closeTime ? { closeTime: closeTime.toISOString() } : {}),
      },
    ];
  });
  const next = response.nextPageToken;
  return {
    onboardings,
    ...(next && next.length > 0 ? { nextPageToken: Buffer.from(next).toString('base64url') } : {}),
  };
}

const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | undefined =>
  values.find((v) => v === value);

function decodePageToken(text: string): Buffer {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new InvalidPageToken();
  return Buffer.from(text, 'base64url');
}

const isInvalidArgument = (err: unknown): boolean => (err as { code?: unknown })?.code === 3;
