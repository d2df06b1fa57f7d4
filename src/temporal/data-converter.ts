/**
 * The one data converter of the product: payloads encrypted by the keyring, failures' messages and
 * stack traces encoded (and so encrypted). The client, the worker, the workflow bundle, the codec
 * server, the tests, the history recorder and the replay test all use it.
 */
import { join } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './encryption-codec';
import type { Keyring } from './keyring';

/**
 * The module with the `failureConverter` export, as the SDK loads it with `require` (and bundles it
 * into the workflow code): no extension, so it is the .js file when built and the .ts one from sources.
 */
export const failureConverterPath = join(__dirname, 'failure-converter');

export const dataConverter = (keyring: Keyring): DataConverter => ({
  payloadCodecs: [new EncryptionCodec(keyring)],
  failureConverterPath,
});
