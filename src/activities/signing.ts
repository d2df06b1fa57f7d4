/** Signing, whichever provider the lender chose: thin wrappers over the registered SignatureProviders. */
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { SigningProviderName } from '../domain/input';
import { signingProviderModule } from '../providers/registry';
import type { Checkpoint } from '../signing/checkpoint';
import type {
  CancelResult,
  Envelope,
  Preparation,
  SentEnvelope,
  SignatureProvider,
  SignatureStatus,
} from '../signing/contract';
import { envelopeOfEarlierRun } from './earlier-runs';
import type { SendForSignature } from './types';
import { saveProgress } from './heartbeat';

/** The activity's heartbeat details, kept by Temporal across the activity's retries. */
export function heartbeatCheckpoint<T>(initial?: T): Checkpoint<T> {
  const { info } = Context.current();
  let current = (info.heartbeatDetails as T | undefined) ?? initial;
  return {
    retry: info.attempt > 1,
    load: () => current,
    save: (value) => {
      current = value;
      saveProgress(value);
    },
  };
}

/** The key for a new envelope after an earlier one closed unsigned: never the closed envelope's key. */
const keyAfter = (key: string, closedEnvelopeId: string): string =>
  `${key}~${createHash('sha256').update(closedEnvelopeId).digest('hex').slice(0, 8)}`;

export function signingActivities(signing: Record<SigningProviderName, SignatureProvider>) {
  const providerFor = (name: string): SignatureProvider => {
    const provider = signing[name as SigningProviderName];
    if (provider === undefined) throw new Error(`no signing provider is registered as ${name}`);
    return provider;
  };
  return {
    /**
     * Sends the CCB once per onboarding: an envelope an earlier run of the same workflow sent (before
     * a reset) is taken up again while it is open or signed; otherwise the provider's own
     * idempotency (checkpoint, lookups, deduplication keys) covers the retries of this run.
     */
    async sendForSignature(req: SendForSignature): Promise<Envelope | { preparation: Preparation }> {
      const { provider: name, mayPrepare, preparation, ...request } = req;
      const provider = providerFor(name);
      const envelopeOf = (sent: SentEnvelope): Envelope => ({
        provider: name,
        envelopeId: sent.envelopeId,
        signers: sent.signers,
        supportsReminders: signingProviderModule(name).capabilities.reminders,
      });
      const earlier = await envelopeOfEarlierRun();
      if (earlier !== undefined) {
        const found = await provider.find(earlier, request);
        if (found) return envelopeOf(found);
        request.key = keyAfter(request.key, earlier);
      }
      // First the ids the provider issues, recorded by the workflow; then, called again with them, the send.
      if (mayPrepare && preparation === undefined && provider.prepare) {
        return { preparation: await provider.prepare(request) };
      }
      return envelopeOf(await provider.send(request, heartbeatCheckpoint(preparation)));
    },

    async checkSignatures(envelope: Envelope): Promise<SignatureStatus> {
      return providerFor(envelope.provider).status(envelope);
    },

    async remindSigners(envelope: Envelope): Promise<{ reminded: number }> {
      const { capabilities } = signingProviderModule(envelope.provider as SigningProviderName);
      return { reminded: capabilities.reminders ? await providerFor(envelope.provider).remind(envelope) : 0 };
    },

    async cancelEnvelope({
      envelope,
      reason,
    }: {
      envelope: Envelope;
      reason: string;
    }): Promise<{ result: CancelResult }> {
      return { result: await providerFor(envelope.provider).cancel(envelope, reason) };
    },
  };
}
