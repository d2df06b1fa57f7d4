/**
 * The providers' webhooks the service receives: Data Trust's and one per registered signing
 * provider, each with how a delivery proves it is the provider's, the secret it is checked
 * against, and what in its body points at an onboarding.
 */
import type { Config } from '../../config';
import { productionMode } from '../../production';
import { dataTrustWebhookAuth, webhookNotificationSchema } from '../../providers/datatrust';
import { SIMULATOR_SECRET } from '../../providers/env';
import { signingProviderModules } from '../../providers/registry';
import type { WebhookAuth } from '../../providers/webhook-auth';
import { dataTrustTransactionIdsKey, signingEnvelopeIdKey } from '../../search-attributes';
import { isLoopbackAddress } from '../../temporal/keyring';

/** What a delivery points at: a workflow id it carries, or a reference to look up in a search attribute. */
export type WakeSignal = { kind: 'dataTrustEvent'; typeId?: number } | { kind: 'signatureEvent' };

export type Target = { workflowId: string } | { attribute: string; reference: string };

export interface WebhookReceiver {
  /** The path segment: `POST /webhooks/<name>`. */
  name: string;
  auth: WebhookAuth;
  /** The variable holding the secret, for messages. */
  secretVariable: string;
  /**
   * Undefined when the receiver is off: its secret unset, or left at the public development value
   * where that is not accepted (beyond loopback, or in production mode).
   */
  secret: string | undefined;
  /** What the delivery is about; undefined when its body is not the provider's. */
  targetOf(body: unknown): Target | undefined;
  /** Which signal wakes the onboarding, with what the delivery said. */
  signalFor(body: unknown): WakeSignal;
}

const ONBOARDING_WORKFLOW_ID = /^onboarding-[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function webhookReceivers(config: Config): WebhookReceiver[] {
  // The simulators' public secret would let anyone wake onboardings: accepted only by a development
  // service on loopback. In production mode, one set to it explicitly is refused at start
  // (src/production.ts); one left unset parses to it too, and its receiver is off.
  const developmentSecretAccepted = !productionMode(config) && isLoopbackAddress(config.API_HOST);
  const secretOf = (variable: string): string | undefined => {
    const value = (config as Record<string, unknown>)[variable];
    if (typeof value !== 'string' || value === '') return undefined;
    return value === SIMULATOR_SECRET && !developmentSecretAccepted ? undefined : value;
  };
  const dataTrust: WebhookReceiver = {
    name: 'datatrust',
    auth: dataTrustWebhookAuth,
    secretVariable: 'DATATRUST_WEBHOOK_TOKEN',
    secret: secretOf('DATATRUST_WEBHOOK_TOKEN'),
    targetOf(body) {
      const parsed = webhookNotificationSchema.safeParse(body);
      return parsed.success
        ? { attribute: dataTrustTransactionIdsKey.name, reference: parsed.data.Code }
        : undefined;
    },
    signalFor(body) {
      const parsed = webhookNotificationSchema.safeParse(body);
      const typeId = parsed.success ? parsed.data.TypeId : undefined;
      return { kind: 'dataTrustEvent', ...(typeId === undefined ? {} : { typeId }) };
    },
  };
  const signing = signingProviderModules.map((module): WebhookReceiver => ({
    name: module.name,
    auth: module.webhook.auth,
    secretVariable: module.webhook.secretVariable,
    secret: secretOf(module.webhook.secretVariable),
    targetOf(body) {
      const reference = module.webhook.referenceOf(body);
      if (reference?.workflowId !== undefined && ONBOARDING_WORKFLOW_ID.test(reference.workflowId)) {
        return { workflowId: reference.workflowId };
      }
      return reference?.envelopeId === undefined
        ? undefined
        : { attribute: signingEnvelopeIdKey.name, reference: reference.envelopeId };
    },
    signalFor: () => ({ kind: 'signatureEvent' }),
  }));
  return [dataTrust, ...signing];
}
