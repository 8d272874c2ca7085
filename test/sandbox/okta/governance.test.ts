// OIG in the sandbox: a request raised by an end user (actor endpoint) or through the v2 API, decided by
// an approver, granted as group membership or app assignment, revoked when its accessDuration ends, with
// access.request.* events in the System Log and messages readable back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TOktaLogEvent } from '../../../src/integrations/okta';
import type { RunningOktaSandbox } from '../../../src/sandbox/okta';
import {
  admin,
  collect,
  oauthClient,
  rejectsWith,
  startSandbox,
  sswsClient,
} from '../../integrations/okta/harness';
import { waitFor } from '../../helpers/wait';

type RequestBody = { id: string; status: string };

describe('sandbox Okta Identity Governance', () => {
  let sb: RunningOktaSandbox;
  before(async () => {
    sb = await startSandbox({ seed: 'demo' });
  });
  after(async () => {
    await sb.close();
  });

  const entryFor = async (label: string) => {
    const c = sswsClient(sb.url);
    const entries = await collect(c.listCatalogEntries('not(parent pr)'));
    const e = entries.find((x) => x.label === label);
    assert.ok(e, `catalog entry ${label}`);
    return e;
  };

  const eventsFor = async (requestId: string): Promise<TOktaLogEvent[]> => {
    const c = sswsClient(sb.url);
    const page = await c.listLogs({ filter: `target.id eq "${requestId}"`, limit: 100 });
    return page.events;
  };

  it('given a time-bound request, when approved, then the group is granted, events are written, and access is revoked at the end', async () => {
    const c = sswsClient(sb.url);
    const entry = await entryFor('AWS Production');
    const alan = await c.getUser('alan.turing@acme.example');
    const group = await c.findGroupByName('AWS Production');
    assert.ok(group);
    const created = await admin<RequestBody>(sb.url, 'POST', '/__sandbox/actor/requests', {
      requesterLogin: 'alan.turing@acme.example',
      entryId: entry.id,
      justification: 'incident 42',
      accessDuration: 'PT1S',
    });
    assert.equal(created.status, 'SUBMITTED');
    const pending = await c.getAccessRequest(created.id);
    assert.equal(pending.status, 'PENDING');
    assert.equal(pending.requestedFor.externalId, alan.id);
    assert.equal(pending.requested.resourceId, group.id);

    await admin(sb.url, 'POST', `/__sandbox/actor/requests/${created.id}/approve`, {
      approverLogin: 'margaret.hamilton@acme.example',
    });
    const approved = await c.getAccessRequest(created.id);
    assert.equal(approved.status, 'APPROVED');
    assert.equal(approved.grantStatus, 'GRANTED');
    assert.equal(approved.accessDuration, 'PT1S');
    assert.ok(approved.revocationScheduled);
    assert.equal(approved.requestApproval?.decisions?.[0]?.decision, 'APPROVED');
    assert.ok((await c.listUserGroups(alan.id)).some((g) => g.id === group.id));

    await waitFor(
      async () => (await c.getAccessRequest(created.id)).revocationStatus === 'REVOKED',
      'revocation',
      {
        timeoutMs: 10_000,
      },
    );
    assert.ok(!(await c.listUserGroups(alan.id)).some((g) => g.id === group.id));

    const types = (await eventsFor(created.id)).map((e) => e.eventType);
    assert.deepEqual(types, [
      'access.request.create',
      'access.request.resolve',
      'access.request.update',
      'access.request.update',
    ]);
    const createEvent = (await eventsFor(created.id))[0]!;
    assert.equal(createEvent.target[0]?.type, 'AccessRequest');
    assert.equal(createEvent.debugContext?.debugData?.requestId, created.id);
    assert.equal(createEvent.actor.alternateId, 'alan.turing@acme.example');
    const memberships = await c.listLogs({
      filter: `eventType sw "group.user_membership" and target.id eq "${alan.id}"`,
    });
    assert.deepEqual(
      memberships.events.map((e) => e.eventType),
      ['group.user_membership.add', 'group.user_membership.remove'],
    );
  });

  it('given a pending app request, when denied, then no assignment is made and a reject event is written; deciding again conflicts', async () => {
    const c = sswsClient(sb.url);
    const entry = await entryFor('Salesforce');
    const sf = await c.findAppByLabelOrName('Salesforce');
    const ada = await c.getUser('ada.lovelace@acme.example');
    const created = await admin<RequestBody>(sb.url, 'POST', '/__sandbox/actor/requests', {
      requesterLogin: ada.profile.login,
      entryId: entry.id,
    });
    await admin(sb.url, 'POST', `/__sandbox/actor/requests/${created.id}/deny`, {
      approverLogin: 'margaret.hamilton@acme.example',
    });
    const denied = await c.getAccessRequest(created.id);
    assert.equal(denied.status, 'DENIED');
    assert.equal(denied.grantStatus ?? null, null);
    assert.equal(await c.getAppUser(sf!.id, ada.id), undefined);
    assert.ok((await eventsFor(created.id)).some((e) => e.eventType === 'access.request.reject'));
    const again = await fetch(`${sb.url}/__sandbox/actor/requests/${created.id}/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ approverLogin: 'margaret.hamilton@acme.example' }),
    });
    assert.equal(again.status, 409);
  });

  it('given the v2 API, when a request is created, messaged, read through v1 and listed with OAuth, then each view agrees', async () => {
    const c = sswsClient(sb.url);
    const entry = await entryFor('GitHub Enterprise');
    const hedy = await c.getUser('hedy.lamarr@acme.example');
    const created = await c.createAccessRequest({ entryId: entry.id, requestedForUserId: hedy.id });
    assert.equal(created.status, 'SUBMITTED');
    await c.postRequestMessage(created.id, 'Ticket SR-1001 opened for this request');
    const messages = await admin<{ message: string }[]>(
      sb.url,
      'GET',
      `/__sandbox/requests/${created.id}/messages`,
    );
    assert.deepEqual(
      messages.map((m) => m.message),
      ['Ticket SR-1001 opened for this request'],
    );

    // The list endpoint is OAuth-only, as in the spec.
    await rejectsWith(collect(c.listAccessRequests(`requestedFor eq "${hedy.id}"`)), 'FORBIDDEN');
    const { client: oauth } = await oauthClient(sb.url, [
      'okta.accessRequests.request.read',
      'okta.governance.accessRequests.read',
      'okta.governance.accessRequests.manage',
    ]);
    const listed = await collect(
      oauth.listAccessRequests(`requestedFor eq "${hedy.id}" AND status eq "PENDING"`, { limit: 1 }),
    );
    assert.deepEqual(
      listed.map((r) => r.id),
      [created.id],
    );

    const logs = await c.listLogs({
      filter: `eventType eq "access.request.create" and target.id eq "${created.id}"`,
    });
    const v1Id = logs.events[0]?.debugContext?.debugData?.v1RequestId;
    assert.equal(typeof v1Id, 'string');
    const v1 = await oauth.getAccessRequestV1(String(v1Id));
    assert.equal(v1.requestStatus, 'PENDING');
    assert.deepEqual(v1.requesterUserIds, [hedy.id]);
    await oauth.postRequestMessageV1(String(v1Id), 'v1 note');
    assert.equal(
      (await admin<unknown[]>(sb.url, 'GET', `/__sandbox/requests/${created.id}/messages`)).length,
      2,
    );
    await rejectsWith(c.postRequestMessage(created.id, ''), 'VALIDATION', 'E0000001');
  });

  it('given an unknown catalog entry, when a request is created, then OIG answers with a governance error cause', async () => {
    const c = sswsClient(sb.url);
    const hedy = await c.getUser('hedy.lamarr@acme.example');
    const err = await rejectsWith(
      c.createAccessRequest({ entryId: 'cen-does-not-exist', requestedForUserId: hedy.id }),
      'VALIDATION',
      'E0000001',
    );
    assert.match(err.causes[0]?.message ?? '', /not found/);
    await rejectsWith(c.getAccessRequest('reqnope'), 'NOT_FOUND', 'E0000007');
    await rejectsWith(collect(c.listCatalogEntries('')), 'VALIDATION', 'E0000028');
  });
});
