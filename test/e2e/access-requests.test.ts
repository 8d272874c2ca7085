// Access requests end to end through the running stack (`npm start`: dev server, sandboxes, worker, API),
// driven only the way tenants drive it: people act through the sandboxes' actor endpoints, and the
// sandboxes' own event hooks and automator webhooks reach our API. Outcomes are read back through the
// vendors' APIs: the ticket, its notes, and the grant in Okta.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { runDemo } from '../../src/cli/demo';
import { createFreshserviceClient, FS_TICKET_STATUS } from '../../src/integrations/freshservice';
import { createOktaClient } from '../../src/integrations/okta';
import { SANDBOX_FRESHSERVICE_API_KEY, SANDBOX_OKTA_API_TOKEN } from '../../src/sandbox/credentials';
import {
  oktaRequestTicketTag,
  oktaRequestWorkflowId,
} from '../../src/workflows/okta-access-request/contract';
import { groupAlive, killGroup, npmStart, type StartedStack } from '../helpers/npm-start';
import { sandboxPost } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

describe('access requests through the running stack', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'access-bridge-e2e-'));
  let stack: StartedStack;
  let okta: ReturnType<typeof createOktaClient>;
  let fs: ReturnType<typeof createFreshserviceClient>;

  before(async () => {
    stack = await npmStart({ DATA_DIR: dataDir });
    okta = createOktaClient({ orgUrl: stack.oktaUrl, auth: { kind: 'ssws', token: SANDBOX_OKTA_API_TOKEN } });
    fs = createFreshserviceClient({ baseUrl: stack.freshserviceUrl, apiKey: SANDBOX_FRESHSERVICE_API_KEY });
  });
  after(async () => {
    const pgid = stack?.child.pid;
    if (pgid && groupAlive(pgid)) {
      killGroup(pgid, 'SIGINT');
      await Promise.race([stack.exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (groupAlive(pgid)) killGroup(pgid, 'SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function ticketNotes(id: number): Promise<string> {
    const out: string[] = [];
    for await (const c of fs.listConversations(id)) out.push(c.body_text ?? '');
    return out.join('\n');
  }

  it('given a request raised in Okta, when it is approved there, then a ticket is opened and resolved with the decision', async () => {
    let entryId = '';
    for await (const e of okta.listCatalogEntries('name eq "Salesforce"')) entryId = e.id;
    const requester = 'hedy.lamarr@acme.example';
    const request = await sandboxPost<{ id: string }>(stack.oktaUrl, '/__sandbox/actor/requests', {
      requesterLogin: requester,
      entryId,
      justification: 'new territory in EMEA',
    });

    let ticketId = 0;
    await waitFor(
      async () => {
        for await (const t of fs.listTickets({
          email: requester,
          updatedSince: new Date(Date.now() - 600_000),
        })) {
          if (t.tags.includes(oktaRequestTicketTag(request.id))) ticketId = t.id;
        }
        return ticketId > 0;
      },
      'the ticket opened from the Okta event hook',
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    assert.equal((await fs.getTicket(ticketId)).status, FS_TICKET_STATUS.OPEN);

    await sandboxPost(stack.oktaUrl, `/__sandbox/actor/requests/${request.id}/approve`, {
      approverLogin: 'mary.jackson@acme.example',
    });
    await waitFor(
      async () => (await fs.getTicket(ticketId)).status === FS_TICKET_STATUS.RESOLVED,
      'the ticket resolved',
      {
        timeoutMs: 30_000,
        intervalMs: 500,
      },
    );
    assert.match(await ticketNotes(ticketId), /was approved[\s\S]*Mary Jackson/);

    // Okta redelivers the create event long after the request finished: nothing is opened again. (The
    // ticket is resolved a moment before the workflow completes, so wait for the run itself.)
    const connection = await Connection.connect({ address: `127.0.0.1:${stack.ports.TEMPORAL_DEV_PORT}` });
    try {
      await new Client({ connection }).workflow.getHandle(oktaRequestWorkflowId(request.id)).result();
    } finally {
      await connection.close();
    }
    const secret = (
      JSON.parse(readFileSync(join(dataDir, 'dev-secrets.json'), 'utf8')) as Record<string, string>
    ).OKTA_WEBHOOK_SECRET!;
    const late = await fetch(`${stack.apiUrl}/webhooks/okta`, {
      method: 'POST',
      headers: { authorization: secret, 'content-type': 'application/json' },
      body: JSON.stringify({
        eventType: 'com.okta.event_hook',
        eventTypeVersion: '1.0',
        cloudEventsVersion: '0.1',
        source: `${stack.oktaUrl}/api/v1/eventHooks/whoLate`,
        eventId: 'late-redelivery',
        eventTime: new Date().toISOString(),
        contentType: 'application/json',
        data: {
          events: [
            {
              uuid: 'late-create-event',
              published: new Date().toISOString(),
              eventType: 'access.request.create',
              version: '0',
              displayMessage: 'Access request created',
              severity: 'INFO',
              target: [
                { id: request.id, type: 'AccessRequest', alternateId: request.id, displayName: 'Salesforce' },
              ],
            },
          ],
        },
      }),
    });
    assert.equal(late.status, 200);
    assert.deepEqual(await late.json(), { received: 1, routed: 0, ignored: 1 });
    let tagged = 0;
    for await (const t of fs.listTickets({
      email: requester,
      updatedSince: new Date(Date.now() - 600_000),
    })) {
      if (t.tags.includes(oktaRequestTicketTag(request.id))) tagged += 1;
    }
    assert.equal(tagged, 1, 'still exactly one ticket');
  });

  it('given a catalog request in Freshservice, when the manager approves it, then Okta grants it and the ticket is resolved', async () => {
    const requester = 'alan.turing@acme.example';
    const raised = await sandboxPost<{ service_request: { id: number } }>(
      stack.freshserviceUrl,
      '/__sandbox/actor/catalog/1001/request',
      {
        requesterEmail: requester,
        custom_fields: {
          resource_type: 'app',
          resource_name: 'Salesforce',
          justification: 'pipeline reviews',
        },
      },
    );
    const ticketId = raised.service_request.id;

    let approvalId = 0;
    await waitFor(
      async () => {
        const approvals = await fs.listApprovals(ticketId);
        approvalId = approvals[0]?.id ?? 0;
        return approvalId > 0;
      },
      'the manager approval requested through the automator webhook',
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    await sandboxPost(stack.freshserviceUrl, `/__sandbox/actor/approvals/${approvalId}/approve`, {
      approverEmail: 'margaret.hamilton@acme.example',
    });

    await waitFor(
      async () => (await fs.getTicket(ticketId)).status === FS_TICKET_STATUS.RESOLVED,
      'the ticket resolved',
      {
        timeoutMs: 30_000,
        intervalMs: 500,
      },
    );
    const user = (await okta.findUserByLogin(requester))!;
    const app = (await okta.findAppByLabelOrName('Salesforce'))!;
    assert.ok(await okta.getAppUser(app.id, user.id), 'assigned in Okta');
    assert.match(await ticketNotes(ticketId), /Access granted in Okta and verified/);
  });

  it('given the running stack, when `npm run demo` walks both directions, then it reports each step and the Temporal UI links', async () => {
    const lines: string[] = [];
    const errors: string[] = [];
    const code = await runDemo(
      [],
      { ...stack.ports, LOG_LEVEL: 'silent' },
      {
        out: (l) => lines.push(l),
        err: (l) => errors.push(l),
      },
    );
    assert.equal(code, 0, errors.join('\n'));
    const out = lines.join('\n');
    assert.match(
      out,
      /Okta → Freshservice[\s\S]*opened Freshservice ticket #\d+[\s\S]*resolved with the decision/,
    );
    assert.match(out, /Freshservice → Okta[\s\S]*Okta now assigns Salesforce/);
    assert.equal(
      out.match(/Temporal UI: http:\/\/127\.0\.0\.1:\d+\/namespaces\/default\/workflows\//g)?.length,
      2,
    );
  });
});
