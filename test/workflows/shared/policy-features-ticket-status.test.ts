// The policy's ticket settings, through the real workflows on the real Temporal server with both sandboxes
// (issue #12 B.7): with `finalTicketStatus: closed` a finished request's ticket is closed (status 5), not
// resolved, in both directions, and `oktaRequests.ticketPriority` is the priority of the ticket an OIG
// request opens. The stack runs the test policy with only those settings changed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { FS_PRIORITY, FS_TICKET_STATUS } from '../../../src/integrations/freshservice';
import {
  type OktaAccessRequestState,
  oktaRequestWorkflowId,
} from '../../../src/workflows/okta-access-request/contract';
import { stateQuery } from '../../../src/workflows/shared/contract';
import { catalogDriver } from '../../helpers/catalog-driver';
import { deliverOktaEvent } from '../../helpers/okta-events';
import { peopleMaker, uniqueEmail } from '../../helpers/people';
import { sandboxPost, startTestStack, TEST_POLICY_FILE, type TestStack } from '../../helpers/stack';
import { waitFor } from '../../helpers/wait';

type PolicyFile = {
  defaults: Record<string, unknown>;
  oktaRequests: Record<string, unknown>;
};

/** The test policy with closed tickets and high-priority OIG tickets, written to a scratch file. */
function closingPolicyFile(dir: string): string {
  const policy = parse(readFileSync(TEST_POLICY_FILE, 'utf8')) as PolicyFile;
  policy.defaults.finalTicketStatus = 'closed';
  policy.oktaRequests.finalTicketStatus = 'closed';
  policy.oktaRequests.ticketPriority = 'high';
  const file = join(dir, 'closing-policy.yaml');
  writeFileSync(file, stringify(policy));
  return file;
}

describe('access policy ticket settings: closed tickets and the OIG ticket priority', () => {
  let stack: TestStack;
  let scratch: string;
  const d = catalogDriver(() => stack);
  const people = peopleMaker(() => stack);
  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'policy-features-'));
    stack = await startTestStack({ ACCESS_POLICY_FILE: closingPolicyFile(scratch) });
  });
  after(async () => {
    await stack.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  async function person(prefix: string) {
    const email = uniqueEmail(prefix);
    await people.requester(email);
    const user = await people.oktaAccount({ login: email, email });
    return { email, userId: user.id };
  }

  it('given finalTicketStatus closed, when a catalog request is granted, then its ticket is closed rather than resolved', async () => {
    const p = await person('closed-grant');
    const id = await d.raise({ resource_type: 'app', resource_name: 'Salesforce' }, p.email);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'approve');
    const done = await d.result(id);
    assert.equal(done.outcome, 'granted');
    assert.equal(await d.hasApp(p.email, 'Salesforce'), true);
    assert.equal((await d.ticket(id)).status, FS_TICKET_STATUS.CLOSED);
  });

  it('given finalTicketStatus closed, when a catalog request is denied, then its ticket is closed too', async () => {
    const p = await person('closed-deny');
    const id = await d.raise({ resource_type: 'app', resource_name: 'Salesforce' }, p.email);
    await d.nudge(id);
    const s = await d.waitForRequestedLevel(id, 1);
    await d.decide(id, s.levels[0]!.approvalIds[0]!, 'reject', 'not this quarter');
    const done = await d.result(id);
    assert.equal(done.outcome, 'denied');
    assert.equal((await d.ticket(id)).status, FS_TICKET_STATUS.CLOSED);
  });

  it('given oktaRequests finalTicketStatus closed and ticketPriority high, when an OIG request is approved, then its ticket is opened high and closed with the decision', async () => {
    const p = await person('closed-oig');
    let entryId: string | undefined;
    for await (const e of stack.vendors.okta.client.listCatalogEntries('name eq "Salesforce"'))
      entryId = e.id;
    assert.ok(entryId);
    const { id } = await sandboxPost<{ id: string }>(stack.okta.url, '/__sandbox/actor/requests', {
      requesterLogin: p.email,
      entryId,
      justification: 'renewals',
    });
    await deliverOktaEvent(stack, id, 'access.request.create');
    const handle = stack.client.workflow.getHandle(oktaRequestWorkflowId(id));
    const state = async () => (await handle.query(stateQuery)) as OktaAccessRequestState;
    await waitFor(async () => (await state()).phase === 'open', `a ticket for ${id}`);
    const ticketId = (await state()).ticketId!;
    const opened = await stack.vendors.freshservice.client.getTicket(ticketId);
    assert.equal(opened.priority, FS_PRIORITY.HIGH);
    assert.equal(opened.status, FS_TICKET_STATUS.OPEN);

    await sandboxPost(stack.okta.url, `/__sandbox/actor/requests/${id}/approve`, {
      approverLogin: 'margaret.hamilton@acme.example',
    });
    await deliverOktaEvent(stack, id, 'access.request.resolve');
    const done = (await handle.result()) as OktaAccessRequestState;
    assert.equal(done.outcome, 'approved');
    const closed = await stack.vendors.freshservice.client.getTicket(ticketId);
    assert.equal(closed.status, FS_TICKET_STATUS.CLOSED);
    assert.equal(closed.priority, FS_PRIORITY.HIGH);
  });
});
