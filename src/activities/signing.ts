/** Signing, whichever provider the lender chose: thin wrappers over the SignatureProvider implementations. */
import { Context } from '@temporalio/activity';
import type { SigningProviderName } from '../domain/input';
import type { Checkpoint } from '../providers/ccb-document';
import type { SignatureProvider } from '../providers/signature-provider';
import type { Envelope, SignatureStatus, SigningRequest } from './types';

/** The activity's heartbeat details, kept by Temporal across the activity's retries. */
export function heartbeatCheckpoint<T>(): Checkpoint<T> {
  const { info } = Context.current();
  let current = info.heartbeatDetails as T | undefined;
  return {
    retry: info.attempt > 1,
    load: () => current,
    save: (value) => {
      current = value;
      Context.current().heartbeat(value);
    },
  };
}

export function signingActivities(signing: Record<SigningProviderName, SignatureProvider>) {
  const providerFor = (name: SigningProviderName): SignatureProvider => signing[name];
  return {
    async sendForSignature(req: SigningRequest & { provider: SigningProviderName }): Promise<Envelope> {
      const { provider, ...request } = req;
      return providerFor(provider).send(request, heartbeatCheckpoint());
    },

    async checkSignatures(envelope: Envelope): Promise<SignatureStatus> {
      return providerFor(envelope.provider).status(envelope);
    },

    async remindSigners(envelope: Envelope): Promise<{ reminded: number }> {
      const p = providerFor(envelope.provider);
      return { reminded: p.supportsReminders ? await p.remind(envelope) : 0 };
    },

    async cancelEnvelope({
      envelope,
      reason,
    }: {
      envelope: Envelope;
      reason: string;
    }): Promise<{ cancelled: boolean }> {
      return { cancelled: await providerFor(envelope.provider).cancel(envelope, reason) };
    },
  };
}
