// The Freshservice reply and note activities against the sandbox Freshservice when Freshservice commits the
// conversation and its answer never reaches the worker (the `drop-response` fault): run as Temporal runs
// them (again, with the same input, while the failure is retryable), the ticket carries it exactly once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFreshserviceActivities } from '../../../src/activities/freshservice';
import { FS_PRIORITY, FS_TICKET_STATUS } from '../../../src/integrations/freshservice';
import { DEMO_CATALOG_ITEMS } from '../../../src/sandbox/demo-tenant';
import { collect, startHarness, type Harness } from '../../integrations/freshservice/harness';
import { asTemporal } from '../../helpers/as-temporal';

const ADA = 'ada.lovelace@acme.example';

/** Attempts Temporal would make before giving up in these tests. */
describe('Freshservice conversations when the response is lost after Freshservice committed', () => {
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

  async function newTicket(): Promise<number> {
    const t = await h.client.createTicket({
      email: ADA,
      subject: 'Salesforce for the deal desk',
      description: '<p>Please</p>',
      status: FS_TICKET_STATUS.OPEN,
      priority: FS_PRIORITY.LOW,
    });
    return t.id;
  }

  /** Makes the next matching call commit and then lose its response; returns how often that happened. */
  function dropNext(path: string): () => number {
    const before = h.sandbox.faults.applied.length;
    h.sandbox.faults.add({ method: 'POST', path, kind: 'drop-response', times: 1 });
    return () =>
      h.sandbox.faults.applied.slice(before).filter((a) => a.kind === 'drop-response' && a.path === path)
        .length;
  }

  const carrying = async (ticketId: number, text: string) =>
    (await collect(h.client.listConversations(ticketId))).filter((c) => (c.body ?? '').includes(text));

  it('given the answer to a reply is lost, when the activity runs as Temporal runs it, then the requester gets the reply once', async () => {
    const ticketId = await newTicket();
    const dropped = dropNext(`/api/v2/tickets/${ticketId}/reply`);

    const { attempts } = await asTemporal(() =>
      activities.replyOnce({ ticketId, stepId: 'granted', html: '<p>Salesforce is yours.</p>' }),
    );

    assert.equal(dropped(), 1, 'the first reply lost its answer');
    assert.ok(attempts > 1, 'the lost answer was retried');
    const replies = await carrying(ticketId, 'Salesforce is yours.');
    assert.equal(replies.length, 1, 'one reply on the ticket');
    assert.equal(replies[0]?.incoming, false);
  });

  it('given the answer to a note is lost, when the activity runs as Temporal runs it, then the ticket carries the note once', async () => {
    const ticketId = await newTicket();
    const dropped = dropNext(`/api/v2/tickets/${ticketId}/notes`);

    const { attempts } = await asTemporal(() =>
      activities.addNoteOnce({ ticketId, stepId: 'decision', html: '<p>Approved by Margaret.</p>' }),
    );

    assert.equal(dropped(), 1, 'the first note lost its answer');
    assert.ok(attempts > 1, 'the lost answer was retried');
    assert.equal((await carrying(ticketId, 'Approved by Margaret.')).length, 1, 'one note on the ticket');
  });
});
