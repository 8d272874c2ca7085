// Proves the README's "search attributes make every request findable in the Temporal UI": the values the
// flows upsert, read back the way an engineer searches (a visibility query on TicketId, OktaRequestId,
// RequesterEmail, ResourceName and Outcome), find exactly the request's workflow, in both directions.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { catalogAccessWorkflowId } from '../../../src/workflows/catalog-access/contract';
import {
  type OktaAccessRequestState,
  oktaRequestWorkflowId,
} from '../../../src/workflows/okta-access-request/contract';
import { stateQuery } from '../../../src/workflows/shared/contract';
import { catalogDriver } from '../../helpers/catalog-driver';
import { deliverOktaEvent, raiseOigRequest } from '../../helpers/okta-events';
import { peopleMaker, uniqueEmail } from '../../helpers/people';
import { startTestStack, type TestStack } from '../../helpers/stack';
import { waitFor } from '../../helpers/wait';

describe('search attributes: finding a request in the Temporal UI', () => {
  let stack: TestStack;
  const d = catalogDriver(() => stack);
  const people = peopleMaker(() => stack);
  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    await stack.stop();
  });

  /** The workflow IDs a visibility query finds, once visibility (eventually consistent) shows `want`. */
  async function findIds(query: string, want: number): Promise<string[]> {
    let ids: string[] = [];
    await waitFor(async () => {
      ids = [];
      for await (const w of stack.client.workflow.list({ query })) ids.push(w.workflowId);
      return ids.length >= want;
    }, `visibility to answer ${query}`);
    return ids;
  }

  it('given a catalog request, when searched by ticket, person, resource and outcome, then its access flow is the one found', async () => {
    const email = uniqueEmail('findable');
    await people.requester(email);
    await people.oktaAccount({ login: email, email });
    const ticketId = await d.raise({ resource_type: 'group', resource_name: 'Finance Approvers' }, email);
    await d.nudge(ticketId);
    const s = await d.waitForRequestedLevel(ticketId, 1);

    const flow = catalogAccessWorkflowId(ticketId);
    assert.deepEqual(
      await findIds(
        `TicketId = '${ticketId}' AND RequesterEmail = '${email}' AND ResourceName = 'Finance Approvers'`,
        1,
      ),
      [flow],
    );

    await d.decide(ticketId, s.levels[0]!.approvalIds[0]!, 'reject', 'not this quarter');
    assert.equal((await d.result(ticketId)).outcome, 'denied');
    assert.deepEqual(await findIds(`TicketId = '${ticketId}' AND Outcome = 'denied'`, 1), [flow]);
  });

  it('given an OIG request, when searched by its request id, its ticket, person and resource, then its workflow is the one found', async () => {
    const requester = 'alan.turing@acme.example';
    const requestId = await raiseOigRequest(stack, {
      requesterLogin: requester,
      entryName: 'Salesforce',
      justification: 'findable in the Temporal UI',
    });
    await deliverOktaEvent(stack, requestId, 'access.request.create');
    const handle = stack.client.workflow.getHandle(oktaRequestWorkflowId(requestId));
    let ticketId: number | null = null;
    await waitFor(async () => {
      ticketId = ((await handle.query(stateQuery)) as OktaAccessRequestState).ticketId;
      return ticketId !== null;
    }, `a ticket for ${requestId}`);

    assert.deepEqual(
      await findIds(
        `OktaRequestId = '${requestId}' AND TicketId = '${ticketId}' AND RequesterEmail = '${requester}' AND ResourceName = 'Salesforce'`,
        1,
      ),
      [oktaRequestWorkflowId(requestId)],
    );
  });
});
