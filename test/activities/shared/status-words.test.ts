// The read activities give the flows the vendors' statuses in the product's words (issue #13: no vendor
// status codes inside workflows): an OIG request's standing as Okta moves it, and a Freshservice ticket's
// standing as an agent moves it, read from the sandboxes through the real clients.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFreshserviceActivities } from '../../../src/activities/freshservice';
import { createOktaActivities } from '../../../src/activities/okta';
import type { OktaActivities } from '../../../src/activities/okta/contract';
import { FS_TICKET_STATUS } from '../../../src/integrations/freshservice';
import { DEMO_CATALOG_ITEMS } from '../../../src/sandbox/demo-tenant';
import type { RunningOktaSandbox } from '../../../src/sandbox/okta';
import { startHarness, type Harness } from '../../integrations/freshservice/harness';
import { admin, startSandbox, sswsClient } from '../../integrations/okta/harness';

const ADA = 'ada.lovelace@acme.example';
const APPROVER = 'margaret.hamilton@acme.example';

describe('status words on the read activities', () => {
  let sb: RunningOktaSandbox;
  let okta: OktaActivities;
  let h: Harness;
  let fs: ReturnType<typeof createFreshserviceActivities>;

  before(async () => {
    sb = await startSandbox({ seed: 'demo' });
    okta = createOktaActivities(sswsClient(sb.url), { adminUrl: sb.url });
    h = await startHarness({ seed: 'demo' });
    fs = createFreshserviceActivities(h.client, {
      accessCatalogItemDisplayId: DEMO_CATALOG_ITEMS.accessRequest.displayId,
    });
  });
  after(async () => {
    await sb.close();
    await h.close();
  });

  async function raise(): Promise<string> {
    const entry = [...sb.store.catalog.values()][0];
    assert.ok(entry, 'the demo org has a catalog entry');
    const created = await admin<{ id: string }>(sb.url, 'POST', '/__sandbox/actor/requests', {
      requesterLogin: ADA,
      entryId: entry.id,
      justification: 'status words',
    });
    return created.id;
  }

  it('given an OIG request, when it is open and then approved, then the view says so in words beside Okta’s codes', async () => {
    const id = await raise();
    const open = await okta.readAccessRequest(id);
    assert.equal(open.standing?.request.kind, 'open', `status ${open.status}`);
    assert.equal(open.standing?.decided, null);

    await admin(sb.url, 'POST', `/__sandbox/actor/requests/${id}/approve`, { approverLogin: APPROVER });
    const approved = await okta.readAccessRequest(id);
    assert.equal(approved.status, 'APPROVED');
    assert.deepEqual(approved.standing?.request, { kind: 'ended', outcome: 'approved' });
    assert.equal(approved.standing?.decided, 'approved');
    assert.equal(approved.standing?.awaitingApproval, false);
  });

  it('given OIG requests denied, cancelled and expired, when read, then each ends with its own word', async () => {
    for (const [decision, outcome] of [
      ['deny', 'denied'],
      ['cancel', 'cancelled'],
      ['expire', 'expired'],
    ] as const) {
      const id = await raise();
      await admin(sb.url, 'POST', `/__sandbox/actor/requests/${id}/${decision}`, {
        approverLogin: APPROVER,
      });
      const view = await okta.readAccessRequest(id);
      assert.equal(view.standing?.decided, outcome, `${decision}: status ${view.status}`);
    }
  });

  it('given a ticket, when an agent resolves and then closes it, then the view’s words follow the status', async () => {
    const ticket = await h.client.createTicket({
      subject: 'status words',
      description: 'status words',
      email: ADA,
      status: FS_TICKET_STATUS.OPEN,
      priority: 1,
    });
    assert.equal((await fs.readTicket(ticket.id)).standing, 'open');
    await h.client.updateTicket(ticket.id, { status: FS_TICKET_STATUS.PENDING });
    assert.equal((await fs.readTicket(ticket.id)).standing, 'pending');
    await h.client.updateTicket(ticket.id, { status: FS_TICKET_STATUS.RESOLVED });
    assert.equal((await fs.readTicket(ticket.id)).standing, 'resolved');
    await h.client.updateTicket(ticket.id, { status: FS_TICKET_STATUS.CLOSED });
    assert.equal((await fs.readTicket(ticket.id)).standing, 'closed');
  });
});
