// The API's handle on Temporal: a client whose connection is made lazily, so the API starts and answers
// (503) even while Temporal is down, and a bounded health probe for /readyz and webhook intake.
import { Client, Connection } from '@temporalio/client';
import type { TemporalConnectOptions } from '../temporal/connection';

export type TemporalGateway = {
  readonly client: Client;
  /** Resolves when the frontend answers within `timeoutMs`; rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

export function createTemporalGateway(opts: TemporalConnectOptions & { namespace: string }): TemporalGateway {
  const { namespace, ...connectOptions } = opts;
  const connection = Connection.lazy({ ...connectOptions, connectTimeout: 3000 });
  const client = new Client({ connection, namespace });
  return {
    client,
    async ping(timeoutMs = 1500) {
      await connection.withDeadline(Date.now() + timeoutMs, () =>
        connection.workflowService.getSystemInfo({}),
      );
    },
    async close() {
      await connection.close();
    },
  };
}
