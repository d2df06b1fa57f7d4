/**
 * Connection settings shared by the worker and the client: a local dev server by default, a remote
 * cluster with mTLS, or Temporal Cloud with an API key.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from '@temporalio/client';
import type { Config } from '../config';

export interface TemporalConnectionSettings {
  address: string;
  namespace: string;
  tls?: ConnectionOptions['tls'];
  apiKey?: string;
}

export function temporalConnectionSettings(config: Config): TemporalConnectionSettings {
  const mtls = config.TEMPORAL_TLS_CERT_PATH !== undefined && config.TEMPORAL_TLS_KEY_PATH !== undefined;
  const useTls = config.TEMPORAL_TLS || mtls || config.TEMPORAL_API_KEY !== undefined;
  let tls: ConnectionOptions['tls'];
  if (useTls) {
    tls = {
      ...(config.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME } : {}),
      ...(config.TEMPORAL_TLS_SERVER_ROOT_CA_PATH
        ? { serverRootCACertificate: readFileSync(config.TEMPORAL_TLS_SERVER_ROOT_CA_PATH) }
        : {}),
      ...(mtls
        ? {
            clientCertPair: {
              crt: readFileSync(config.TEMPORAL_TLS_CERT_PATH!),
              key: readFileSync(config.TEMPORAL_TLS_KEY_PATH!),
            },
          }
        : {}),
    };
  }
  return {
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    ...(tls ? { tls } : {}),
    ...(config.TEMPORAL_API_KEY ? { apiKey: config.TEMPORAL_API_KEY } : {}),
  };
}
