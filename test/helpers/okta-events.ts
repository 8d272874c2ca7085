// What POST /webhooks/okta does for one access.request.* event, for tests that drive an OIG request's
// workflow directly: signal-with-start `okta-request:<id>` with the event (a fresh uuid unless given).
import { randomUUID } from 'node:crypto';
import {
  OKTA_ACCESS_REQUEST_WORKFLOW_TYPE,
  type OktaAccessRequestWorkflow,
  type OktaRequestEvent,
  oktaRequestWorkflowId,
} from '../../src/workflows/okta-access-request/contract';
import { oktaRequestEventSignal } from '../../src/workflows/shared/contract';
import { sandboxPost, type TestStack } from './stack';

/** Delivers one access request event as the event hook would; answers the event's uuid. */
export async function deliverOktaEvent(
  stack: TestStack,
  requestId: string,
  eventType = 'access.request.update',
  uuid: string = randomUUID(),
): Promise<string> {
  await stack.client.workflow.signalWithStart<OktaAccessRequestWorkflow, [OktaRequestEvent]>(
    OKTA_ACCESS_REQUEST_WORKFLOW_TYPE,
    {
      workflowId: oktaRequestWorkflowId(requestId),
      taskQueue: stack.taskQueues.workflows,
      args: [{ requestId }],
      signal: oktaRequestEventSignal,
      signalArgs: [{ uuid, eventType, published: new Date().toISOString(), requestId, source: 'event-hook' }],
    },
  );
  return uuid;
}

/**
 * Raises an OIG request in the Okta sandbox as a requester would, on the catalog entry named `entryName`
 * (the sandbox's actor route); answers the request id. Delivering its event is the caller's next step.
 */
export async function raiseOigRequest(
  stack: TestStack,
  opts: { requesterLogin: string; entryName: string; justification: string },
): Promise<string> {
  let entryId = '';
  for await (const e of stack.vendors.okta.client.listCatalogEntries(`name eq "${opts.entryName}"`))
    entryId = e.id;
  const { id } = await sandboxPost<{ id: string }>(stack.okta.url, '/__sandbox/actor/requests', {
    requesterLogin: opts.requesterLogin,
    entryId,
    justification: opts.justification,
  });
  return id;
}
