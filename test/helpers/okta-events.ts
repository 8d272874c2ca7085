// What POST /webhooks/okta does for one access.request.* event, for tests that drive an OIG request's
// workflow directly: signal-with-start `okta-request:<id>` with the event (a fresh uuid unless given).
import { randomUUID } from 'node:crypto';
import { oktaRequestWorkflowId } from '../../src/workflows/ids';
import { oktaRequestEventSignal } from '../../src/workflows/messages';
import { oktaAccessRequest } from '../../src/workflows/okta-access-request';
import type { TestStack } from './stack';

/** Delivers one access request event as the event hook would; answers the event's uuid. */
export async function deliverOktaEvent(
  stack: TestStack,
  requestId: string,
  eventType = 'access.request.update',
  uuid: string = randomUUID(),
): Promise<string> {
  await stack.client.workflow.signalWithStart(oktaAccessRequest, {
    workflowId: oktaRequestWorkflowId(requestId),
    taskQueue: stack.taskQueues.workflows,
    args: [{ requestId }],
    signal: oktaRequestEventSignal,
    signalArgs: [{ uuid, eventType, published: new Date().toISOString(), requestId, source: 'event-hook' }],
  });
  return uuid;
}
