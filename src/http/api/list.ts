/**
 * The onboardings list, from Temporal's visibility: a key's own tenant's only, filtered by search
 * attributes (stage, signing provider, outcome), which hold no personal data; pages follow
 * Temporal's own page token.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import type { z } from 'zod';
import { outcomeStatuses, stages } from '../../domain/onboarding';
import { WORKFLOW_TYPE, workflowIdFor } from '../../messages';
import { signingProviderNames } from '../../providers/registry';
import { DEFAULT_TENANT } from '../../domain/onboarding';
import {
  onboardingOutcomeKey,
  onboardingStageKey,
  onboardingTenantKey,
  signingProviderKey,
} from '../../search-attributes';
import { tenantFilter } from '../../temporal/visibility';
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

/**
 * Temporal's page tokens, sealed with an HMAC: a token this API did not give never reaches
 * Temporal (whose visibility store answers an unreadable token with a retried internal error, so a
 * caller would wait for the deadline). The key is derived from the payload encryption key, which
 * every replica of the service shares; a token from before a key rotation is refused (400) and the
 * listing starts again.
 */
export class PageTokens {
  private readonly key: Buffer;
  constructor(secret: Buffer) {
    this.key = Buffer.from(
      hkdfSync('sha256', secret, Buffer.alloc(0), 'credit-onboarding api page token', 32),
    );
  }
  /** Seals Temporal's token for `tenant`: another tenant's key cannot page through this listing. */
  seal(token: Uint8Array, tenant: string): string {
    return Buffer.concat([this.mac(token, tenant), token]).toString('base64url');
  }
  open(text: string, tenant: string): Buffer {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new InvalidPageToken();
    const sealed = Buffer.from(text, 'base64url');
    const token = sealed.subarray(MAC_BYTES);
    if (
      sealed.length <= MAC_BYTES ||
      !timingSafeEqual(sealed.subarray(0, MAC_BYTES), this.mac(token, tenant))
    ) {
      throw new InvalidPageToken();
    }
    return token;
  }
  private mac(token: Uint8Array, tenant: string): Buffer {
    return createHmac('sha256', this.key).update(`${tenant}\n`).update(token).digest().subarray(0, MAC_BYTES);
  }
}

const MAC_BYTES = 16;

/** The tenant's onboardings: those of the default tenant include the ones started before tenants. */
const ofTenant = (tenant: string): string => tenantFilter(onboardingTenantKey.name, tenant, DEFAULT_TENANT);

export async function listOnboardings(
  client: Client,
  pageTokens: PageTokens,
  tenant: string,
  query: ListQuery,
): Promise<ListAnswer> {
  // The filter values come from the schema's enums and the key's tenant (tenantPattern): nothing the
  // caller typed reaches the query as text.
  const filters = [
    `WorkflowType = '${WORKFLOW_TYPE}'`,
    ofTenant(tenant),
    ...(query.stage ? [`${onboardingStageKey.name} = '${query.stage}'`] : []),
    ...(query.provider ? [`${signingProviderKey.name} = '${query.provider}'`] : []),
    ...(query.outcome ? [`${onboardingOutcomeKey.name} = '${query.outcome}'`] : []),
  ];
  const token = query.nextPageToken === undefined ? undefined : pageTokens.open(query.nextPageToken, tenant);
  const response = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    query: filters.join(' AND '),
    pageSize: query.pageSize,
    ...(token ? { nextPageToken: token } : {}),
  });
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
    ...(next && next.length > 0 ? { nextPageToken: pageTokens.seal(next, tenant) } : {}),
  };
}

const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | undefined =>
  values.find((v) => v === value);
