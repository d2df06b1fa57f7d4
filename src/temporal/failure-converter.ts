/**
 * Failures with their message and stack trace moved into an encoded payload, so the encryption
 * codec encrypts them too: a provider's error text could carry personal data. Loaded by path by
 * the client, the worker and the workflow bundle (see data-converter.ts).
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
