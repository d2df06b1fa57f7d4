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
import type { FindSentEnvelope, FoundEnvelope, SendForSignature } from './types';
import { saveProgress } from './heartbeat';

/**
 * The activity's heartbeat details, kept by Temporal across the activity's retries. `retry` also
 * when the workflow says an earlier send failed (a new activity, attempt 1, after an operator's retry).
 */
export function heartbeatCheckpoint<T>(initial?: T, retry = false): Checkpoint<T> {
  const { info } = Context.current();
  let current = (info.heartbeatDetails as T | undefined) ?? initial;
  return {
    retry: retry || info.attempt > 1,
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
  const envelopeOf = (name: SigningProviderName, sent: SentEnvelope): Envelope => ({
    provider: name,
    envelopeId: sent.envelopeId,
    signers: sent.signers,
    supportsReminders: signingProviderModule(name).capabilities.reminders,
  });
  return {
    /**
     * Sends the CCB once per onboarding: an envelope an earlier run of the same workflow sent (before
     * a reset) is taken up again while it is open or signed; otherwise the provider's own
     * idempotency (checkpoint, lookups, deduplication keys) covers the retries of this run.
     */
    async sendForSignature(req: SendForSignature): Promise<Envelope | { preparation: Preparation }> {
      const { provider: name, mayPrepare, preparation, retry = false, firstRun = false, ...request } = req;
      const provider = providerFor(name);
      const earlier = firstRun ? undefined : await envelopeOfEarlierRun();
      if (earlier !== undefined) {
        const found = await provider.find(earlier, request);
        if (found) return envelopeOf(name, found);
        request.key = keyAfter(request.key, earlier);
      }
      // A retried send whose earlier attempt failed: an envelope it made is taken as it is, and the
      // send continues anything less (the checkpoint's `retry` makes it look before creating).
      if (retry) {
        const found = await provider.findSent(request, preparation);
        if (found.found === 'envelope') return envelopeOf(name, found.envelope);
      }
      // First the ids the provider issues, recorded by the workflow; then, called again with them, the send.
      if (mayPrepare && preparation === undefined && provider.prepare) {
        return { preparation: await provider.prepare(request) };
      }
      return envelopeOf(name, await provider.send(request, heartbeatCheckpoint(preparation, retry)));
    },

    /**
     * What a send for this request left at its provider, found by the keys the product derives and
     * creating nothing: to name it, retry with it or close it after a send that failed.
     */
    async findSentEnvelope(req: FindSentEnvelope): Promise<FoundEnvelope> {
      const { provider: name, preparation, ...request } = req;
      const found = await providerFor(name).findSent(request, preparation);
      return found.found === 'nothing' ? found : { ...found, envelope: envelopeOf(name, found.envelope) };
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
