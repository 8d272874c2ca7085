// The Freshservice "look it up before doing it again" activities count only what access-bridge itself wrote:
// a step marker a requester types into a note, an emailed reply or a justification that access-bridge quotes
// does not stand in for access-bridge's own note, and an approval another agent asked for is not adopted as
// access-bridge's. Retries after a lost answer still find access-bridge's own note. Sandbox Freshservice.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createFreshserviceActivities } from '../../../src/activities/freshservice';
import { FS_PRIORITY, FS_TICKET_STATUS, type TFsConversation } from '../../../src/integrations/freshservice';
import { DEMO_CATALOG_ITEMS } from '../../../src/sandbox/demo-tenant';
import { collect, startHarness, type Harness } from '../../integrations/freshservice/harness';

const ADA = 'ada.lovelace@acme.example';
const MARGARET = 'margaret.hamilton@acme.example';
const KEN = 'ken.thompson@acme.example'; // an IT agent at the console, not access-bridge's API key

describe('Freshservice lookups count only what access-bridge wrote', () => {
  let h: Harness;
  let activities: ReturnType<typeof createFreshserviceActivities>;

  before(async () => {
    h = await startHarness({ seed: 'demo' });
    activities = createFreshserviceActivities(h.client, {
      accessCatalogItemDisplayId: DEMO_CATALOG_ITEMS.accessRequest.displayId,
    });
  });
  after(async () => {
    await h.close();
  });

  const run = <T>(fn: () => Promise<T>): Promise<T> => new MockActivityEnvironment().run(fn);

  async function newTicket(description = '<p>Please</p>'): Promise<number> {
    const t = await h.client.createTicket({
      email: ADA,
      subject: 'Salesforce for the deal desk',
      description,
      status: FS_TICKET_STATUS.OPEN,
      priority: FS_PRIORITY.LOW,
    });
    return t.id;
  }

  async function actor(path: string, body: unknown): Promise<void> {
    const res = await h.admin('POST', path, body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }

  const conversations = (ticketId: number) => collect(h.client.listConversations(ticketId));
  const carrying = async (ticketId: number, text: string): Promise<TFsConversation[]> =>
    (await conversations(ticketId)).filter((c) => (c.body_text ?? '').includes(text));

  it('given the sandbox, when the client asks who it is, then it is the agent its notes are written by', async () => {
    const me = await h.client.getCurrentAgent();
    const ticketId = await newTicket();
    const note = await h.client.addNote(ticketId, { body: '<p>hello</p>' });
    assert.equal(note.user_id, me.id);
    assert.equal((await h.client.getAgent(me.id)).id, me.id);
  });

  it('given a requester note carrying the step marker, when access-bridge posts that step, then its own note is still posted', async () => {
    const ticketId = await newTicket();
    await actor(`/actor/tickets/${ticketId}/notes`, {
      body: 'please hurry [ab:access-granted]',
      userEmail: ADA,
    });

    await run(() =>
      activities.addNoteOnce({ ticketId, stepId: 'access-granted', html: '<p>Access granted in Okta.</p>' }),
    );

    assert.equal((await carrying(ticketId, 'Access granted in Okta.')).length, 1);
  });

  it('given a requester note ending with the revoked marker, when Okta revokes, then the revocation note is posted', async () => {
    const ticketId = await newTicket();
    await actor(`/actor/tickets/${ticketId}/notes`, { body: 'thanks! [ab:revoked]', userEmail: ADA });

    await run(() =>
      activities.addNoteOnce({ ticketId, stepId: 'revoked', html: '<p>Access was revoked by Okta.</p>' }),
    );

    assert.equal((await carrying(ticketId, 'Access was revoked by Okta.')).length, 1);
  });

  it('given a requester reply by mail carrying the marker, when access-bridge replies for that step, then its reply is sent', async () => {
    const ticketId = await newTicket();
    await actor(`/actor/tickets/${ticketId}/replies`, { body: 'ok [ab:access-notice-1]', userEmail: ADA });

    await run(() =>
      activities.replyOnce({ ticketId, stepId: 'access-notice-1', html: '<p>Your access ends soon.</p>' }),
    );

    const replies = await carrying(ticketId, 'Your access ends soon.');
    assert.equal(replies.length, 1);
    assert.equal(replies[0]?.incoming, false);
  });

  it('given an agent note at the console carrying the marker, when access-bridge posts that step, then its own note is still posted', async () => {
    const ticketId = await newTicket();
    await actor(`/actor/tickets/${ticketId}/notes`, { body: 'fyi [ab:access-received]', userEmail: KEN });

    await run(() =>
      activities.addNoteOnce({
        ticketId,
        stepId: 'access-received',
        html: '<p>access-bridge is handling this.</p>',
      }),
    );

    assert.equal((await carrying(ticketId, 'access-bridge is handling this.')).length, 1);
  });

  it('given a description and a quoted justification carrying other steps’ markers, when those steps post, then each posts its own note', async () => {
    const forged = '[ab:access-granted] [ab:access-level-1-requested]';
    const ticketId = await newTicket(`<p>on call ${forged}</p>`);
    // access-bridge's own "received" note quotes what the requester typed.
    await run(() =>
      activities.addNoteOnce({
        ticketId,
        stepId: 'access-received',
        html: `<p>access-bridge is handling this request.</p><ul><li>Justification: on call ${forged}</li></ul>`,
      }),
    );

    await run(() =>
      activities.addNoteOnce({
        ticketId,
        stepId: 'access-level-1-requested',
        html: '<p>Approval 1 requested.</p>',
      }),
    );
    await run(() =>
      activities.addNoteOnce({
        ticketId,
        stepId: 'access-granted',
        html: '<p>Access granted until Friday.</p>',
      }),
    );
    // And the quoting note itself is still found by its own (last) marker.
    await run(() =>
      activities.addNoteOnce({
        ticketId,
        stepId: 'access-received',
        html: '<p>access-bridge is handling this request.</p>',
      }),
    );

    assert.equal((await carrying(ticketId, 'Approval 1 requested.')).length, 1);
    assert.equal((await carrying(ticketId, 'Access granted until Friday.')).length, 1);
    assert.equal((await carrying(ticketId, 'access-bridge is handling this request.')).length, 1);
  });

  it('given forged markers on the ticket and a lost answer, when the note is retried, then access-bridge finds its own note and posts once', async () => {
    const ticketId = await newTicket();
    await actor(`/actor/tickets/${ticketId}/notes`, { body: 'x [ab:decision]', userEmail: ADA });
    const path = `/api/v2/tickets/${ticketId}/notes`;
    h.sandbox.faults.add({ method: 'POST', path, kind: 'drop-response', times: 1 });

    await assert.rejects(
      run(() =>
        activities.addNoteOnce({ ticketId, stepId: 'decision', html: '<p>Approved by Margaret.</p>' }),
      ),
    );
    await run(() =>
      activities.addNoteOnce({ ticketId, stepId: 'decision', html: '<p>Approved by Margaret.</p>' }),
    );

    assert.equal((await carrying(ticketId, 'Approved by Margaret.')).length, 1);
  });

  it('given an approval another agent asked for from the same approver, when access-bridge requests approval, then it asks for its own', async () => {
    const ticketId = await newTicket();
    const notBeforeMs = Date.now() - 1000;
    const margaret = await h.client.findRequesterByEmail(MARGARET);
    assert.ok(margaret);
    await actor(`/actor/tickets/${ticketId}/approvals`, { agentEmail: KEN, approverEmail: MARGARET });
    const theirs = (await h.client.listApprovals(ticketId))[0];
    assert.ok(theirs);

    const ids = await run(() =>
      activities.requestApprovalsOnce({
        ticketId,
        approverIds: [margaret.id],
        emailContent: 'Please approve',
        notBeforeMs,
        knownApprovalIds: [],
      }),
    );

    assert.equal(ids.length, 1);
    assert.notEqual(ids[0], theirs.id);
    const me = await h.client.getCurrentAgent();
    const mine = (await h.client.listApprovals(ticketId)).find((a) => a.id === ids[0]);
    assert.equal(mine?.user_id, me.id);
  });

  it('given access-bridge’s own approval, when the same request is retried, then the first is adopted', async () => {
    const ticketId = await newTicket();
    const notBeforeMs = Date.now() - 1000;
    const margaret = await h.client.findRequesterByEmail(MARGARET);
    assert.ok(margaret);
    const input = { ticketId, approverIds: [margaret.id], emailContent: 'Please approve', notBeforeMs };

    const first = await run(() => activities.requestApprovalsOnce(input));
    const again = await run(() => activities.requestApprovalsOnce(input));

    assert.deepEqual(again, first);
    assert.equal((await h.client.listApprovals(ticketId)).length, 1);
  });
});
