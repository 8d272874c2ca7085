// Proves a new run records only its own capability's settings: the router, the catalog flow and the OIG
// request flow each schedule their own settings activity (never `loadSettings`, which returns the whole
// policy), and the catalog flow's recorded settings carry no `oktaRequests` section beyond its poll interval.
// Runs that started before keep `loadSettings` (test/workflows/shared/replay-histories.test.ts replays them).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { catalogAccessWorkflowId } from '../../../src/workflows/catalog-access/contract';
import {
  type OktaAccessRequestState,
  oktaRequestWorkflowId,
} from '../../../src/workflows/okta-access-request/contract';
import { stateQuery } from '../../../src/workflows/shared/contract';
import { ticketWorkflowId } from '../../../src/workflows/ticket-router/contract';
import { catalogDriver } from '../../helpers/catalog-driver';
import { deliverOktaEvent, raiseOigRequest } from '../../helpers/okta-events';
import { peopleMaker, uniqueEmail } from '../../helpers/people';
import { startTestStack, type TestStack } from '../../helpers/stack';
import { waitFor } from '../../helpers/wait';

/** The activity types a run scheduled, in order, and the results of its settings activity. */
async function settingsOf(handle: WorkflowHandle): Promise<{ types: string[]; settings: unknown[] }> {
  const history = await handle.fetchHistory();
  const types: string[] = [];
  const settings: unknown[] = [];
  const scheduled = new Map<string, string>();
  for (const e of history.events ?? []) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s?.activityType?.name) {
      types.push(s.activityType.name);
      scheduled.set(String(e.eventId), s.activityType.name);
    }
    const c = e.activityTaskCompletedEventAttributes;
    const name = c ? scheduled.get(String(c.scheduledEventId)) : undefined;
    if (c && name && /Settings$/.test(name)) {
      settings.push(defaultPayloadConverter.fromPayload(c.result!.payloads![0]!));
    }
  }
  return { types, settings };
}

describe('settings per capability: a new run records only its own part of the policy', () => {
  let stack: TestStack;
  const d = catalogDriver(() => stack);
  const people = peopleMaker(() => stack);
  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    await stack.stop();
  });

  it('given a catalog request, when the router and the access flow start, then each loads its own settings', async () => {
    const email = uniqueEmail('own-settings');
    await people.requester(email);
    await people.oktaAccount({ login: email, email });
    const ticketId = await d.raise({ resource_type: 'group', resource_name: 'Finance Approvers' }, email);
    await d.nudge(ticketId);
    await d.waitForRequestedLevel(ticketId, 1);

    const router = await settingsOf(stack.client.workflow.getHandle(ticketWorkflowId(ticketId)));
    assert.equal(router.types[0], 'loadTicketRouterSettings');
    assert.equal(router.types.includes('loadSettings'), false);
    assert.equal(router.settings.length, 1);
    assert.equal(
      Object.hasOwn(router.settings[0] as object, 'policy'),
      false,
      'the router records no policy',
    );

    const flow = await settingsOf(stack.client.workflow.getHandle(catalogAccessWorkflowId(ticketId)));
    assert.equal(flow.types[0], 'loadCatalogAccessSettings');
    assert.equal(flow.types.includes('loadSettings'), false);
    const policy = (flow.settings[0] as { policy: Record<string, unknown> }).policy;
    assert.deepEqual(Object.keys(policy).sort(), ['defaults', 'oktaRequests', 'resources', 'sod']);
    assert.deepEqual(Object.keys(policy.oktaRequests as object), ['pollInterval']);
  });

  it('given an OIG request, when its flow starts, then it loads its oktaRequests section only', async () => {
    const requestId = await raiseOigRequest(stack, {
      requesterLogin: 'alan.turing@acme.example',
      entryName: 'Salesforce',
      justification: 'own settings',
    });
    await deliverOktaEvent(stack, requestId, 'access.request.create');
    const handle = stack.client.workflow.getHandle(oktaRequestWorkflowId(requestId));
    await waitFor(
      async () => ((await handle.query(stateQuery)) as OktaAccessRequestState).ticketId !== null,
      `a ticket for ${requestId}`,
    );

    const run = await settingsOf(handle);
    assert.equal(run.types[0], 'loadOktaRequestSettings');
    assert.equal(run.types.includes('loadSettings'), false);
    const policy = (run.settings[0] as { policy: Record<string, unknown> }).policy;
    assert.deepEqual(Object.keys(policy), ['oktaRequests']);
  });
});
