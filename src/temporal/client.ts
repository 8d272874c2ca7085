// A Temporal client for code outside the API (the worker's reconcile activities, the CLI): its connection
// is made on first use and re-made after an outage, so a worker starts before Temporal answers.
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';
import { temporalConnectOptions } from './connection';

export type LazyTemporalClient = { client: Client; close(): Promise<void> };

export function createLazyTemporalClient(config: Config, fallbackAddress: string): LazyTemporalClient {
  const connection = Connection.lazy(temporalConnectOptions(config.temporal, fallbackAddress));
  return {
    client: new Client({ connection, namespace: config.temporal.namespace }),
    close: () => connection.close(),
  };
}
