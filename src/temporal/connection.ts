// Builds Temporal connection options from config: plain for the local dev server, mTLS or API key for a
// self-hosted cluster or Temporal Cloud. One place, so the API, worker and CLI connect the same way.
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { TemporalConnectionConfig } from '../config';

/** Options accepted by both `Connection.connect` (client) and `NativeConnection.connect` (worker). */
export type TemporalConnectOptions = {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
};

export function temporalConnectOptions(
  cfg: TemporalConnectionConfig,
  fallbackAddress: string,
): TemporalConnectOptions {
  const opts: TemporalConnectOptions = { address: cfg.address ?? fallbackAddress };
  if (cfg.tls) {
    opts.tls = {
      serverNameOverride: cfg.tls.serverName,
      serverRootCACertificate: cfg.tls.caPath ? readFileSync(cfg.tls.caPath) : undefined,
      clientCertPair: { crt: readFileSync(cfg.tls.certPath), key: readFileSync(cfg.tls.keyPath) },
    };
  } else if (cfg.apiKey) {
    opts.tls = true;
  }
  if (cfg.apiKey) {
    opts.apiKey = cfg.apiKey;
    // Temporal Cloud routes API-key calls by this header.
    opts.metadata = { 'temporal-namespace': cfg.namespace };
  }
  return opts;
}
