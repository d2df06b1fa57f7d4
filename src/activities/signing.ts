/** Signing, whichever provider the lender chose: thin wrappers over the registered SignatureProviders. */
import { Context } from '@temporalio/activity';
import type { SigningProviderName } from '../domain/input';
import { signingProviderModule } from '../providers/registry';
import type { Checkpoint } from '../signing/checkpoint';
import type { Envelope, SignatureProvider, SignatureStatus, SigningRequest } from '../signing/contract';

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
  const providerFor = (name: string): SignatureProvider => {
    const provider = signing[name as SigningProviderName];
    if (provider === undefined) throw new Error(`no signing provider is registered as ${name}`);
    return provider;
  };
  return {
    async sendForSignature(req: SigningRequest & { provider: SigningProviderName }): Promise<Envelope> {
      const { provider, ...request } = req;
      const sent = await providerFor(provider).send(request, heartbeatCheckpoint());
      return {
        provider,
        envelopeId: sent.envelopeId,
        signers: sent.signers,
        supportsReminders: signingProviderModule(provider).capabilities.reminders,
      };
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
    }): Promise<{ cancelled: boolean }> {
      return { cancelled: await providerFor(envelope.provider).cancel(envelope, reason) };
    },
  };
}
