/**
 * The one data converter of the product: payloads encrypted by the keyring, failures' messages and
 * stack traces encoded (and so encrypted). The client, the worker, the workflow bundle, the codec
 * server, the tests, the history recorder and the replay test all use it.
 */
import { join } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config';
import { EncryptionCodec, type EncryptionCodecOptions } from './encryption-codec';
import type { Keyring } from './keyring';
import { isOnboardingWorkflowId } from '../messages';
import type { DataKeys } from './data-keys/data-keys';
import { resolveDataKeys } from './data-keys/resolve';
import { resolveKeyring } from './keyring';

/**
 * The module with the `failureConverter` export, as the SDK loads it with `require` (and bundles it
 * into the workflow code): no extension, so it is the .js file when built and the .ts one from sources.
 */
export const failureConverterPath = join(__dirname, 'failure-converter');

export const dataConverter = (keyring: Keyring, options: EncryptionCodecOptions = {}): DataConverter => ({
  payloadCodecs: [new EncryptionCodec(keyring, options)],
  failureConverterPath,
});

/**
 * What the codec accepts, from the configuration: payloads written before they were bound to their
 * onboarding only during the migration window; a worker's refusals as values (encryption-codec.ts).
 */
export const codecOptions = (
  config: Pick<Config, 'TEMPORAL_PAYLOAD_MIGRATION_UNTIL'>,
  role: 'worker' | 'client' = 'client',
  dataKeys?: DataKeys,
): EncryptionCodecOptions => ({
  acceptUnbound: config.TEMPORAL_PAYLOAD_MIGRATION_UNTIL !== undefined,
  // A client reads an erased onboarding's memo (in `describe`) as a value saying so, not an error.
  ...(role === 'worker' ? { refusalsAsValues: true, onRefusal: logRefusal } : { erasedAsValues: true }),
  ...(dataKeys !== undefined ? onboardingDataKeys(dataKeys) : {}),
});

/** The codec option that encrypts each onboarding's payloads under its own data key. */
export const onboardingDataKeys = (keys: DataKeys): Pick<EncryptionCodecOptions, 'dataKeys'> => ({
  dataKeys: { keys, isOnboarding: isOnboardingWorkflowId },
});

/**
 * A client's converter from the configuration, with the data keys it uses: the keyring
 * (TEMPORAL_ENCRYPTION_KEYS) and the data-key store (DATA_KEY_STORE_URL). Refuses, before anything
 * connects, where either is missing and may not be made (src/temporal/keyring.ts, data-keys/resolve.ts).
 */
export function configuredDataConverter(
  config: Pick<
    Config,
    | 'TEMPORAL_ENCRYPTION_KEYS'
    | 'TEMPORAL_ADDRESS'
    | 'TEMPORAL_CACHE_DIR'
    | 'NODE_ENV'
    | 'DATA_KEY_STORE_URL'
    | 'TEMPORAL_PAYLOAD_MIGRATION_UNTIL'
  >,
): { dataConverter: DataConverter; dataKeys: DataKeys } {
  const keyring = resolveKeyring(config);
  const dataKeys = resolveDataKeys(config, keyring);
  return { dataConverter: dataConverter(keyring, codecOptions(config, 'client', dataKeys)), dataKeys };
}

/** A worker's line for each payload refused on its way into an onboarding. */
const logRefusal = ({ workflowId, reason }: { workflowId: string; reason: string }): void =>
  console.warn(`refused a payload sent to ${workflowId}: ${reason}`);
