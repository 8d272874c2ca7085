// Where both reconcile activities (okta/reconcile.ts, freshservice/reconcile.ts) send what they find: the
// worker passes the Temporal client lazily, so building activities never opens a connection.
import type { Client } from '@temporalio/client';

/** Where intake signals go: the Temporal client and the workflows task queue of this deployment. */
export type IntakeTarget = { client: () => Client; taskQueue: string };
