// What lets access-bridge recognise a request it raised and one request under both of its ids, in the
// sandbox OIG: `GET /users/me` names the API token's admin (a service app has no user), `createdBy` records
// who raised the request, and the v1 and v2 views of one request share its `permalinkId`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningOktaSandbox } from '../../../src/sandbox/okta';
import { admin, oauthClient, rejectsWith, startSandbox, sswsClient } from '../../integrations/okta/harness';

describe('sandbox Okta request identity', () => {
  let sb: RunningOktaSandbox;
  before(async () => {
    sb = await startSandbox({ seed: 'demo' });
  });
  after(async () => {
    await sb.close();
  });

  it('given an API token, when it reads /users/me, then it gets the admin user the token acts as', async () => {
    const me = await sswsClient(sb.url).getUser('me');
    assert.equal(me.id, '00usandboxadmin00001');
    assert.equal(me.status, 'ACTIVE');
  });

  it('given a service app token, when it reads /users/me, then Okta finds no user (404 E0000007)', async () => {
    const { client } = await oauthClient(sb.url, ['okta.users.read']);
    await rejectsWith(client.getUser('me'), 'NOT_FOUND', 'E0000007');
  });

  it('given a request raised through the API and one raised by an end user, when read as v2 and v1, then createdBy tells them apart and both views share the permalinkId', async () => {
    const c = sswsClient(sb.url);
    const { client: oauth } = await oauthClient(sb.url, [
      'okta.governance.accessRequests.read',
      'okta.governance.accessRequests.manage',
    ]);
    const hedy = await c.getUser('hedy.lamarr@acme.example');
    let entryId = '';
    for await (const e of c.listCatalogEntries('name eq "Salesforce"')) entryId = e.id;
    const byApi = await c.createAccessRequest({ entryId, requestedForUserId: hedy.id });
    const byUser = await admin<{ id: string }>(sb.url, 'POST', '/__sandbox/actor/requests', {
      requesterLogin: 'hedy.lamarr@acme.example',
      entryId,
      justification: 'on-call',
    });

    for (const [id, creator] of [
      [byApi.id, '00usandboxadmin00001'],
      [byUser.id, hedy.id],
    ] as const) {
      const v2 = await c.getAccessRequest(id);
      const v1Id = sb.store.requests.get(id)!.v1Id;
      const v1 = (await oauth.getAccessRequestV1(v1Id)) as unknown as Record<string, unknown>;
      assert.equal(v2.createdBy, creator);
      assert.equal(v1.createdBy, creator);
      const permalink = (v2.requestApproval as { permalinkId?: unknown } | null | undefined)?.permalinkId;
      assert.equal(typeof permalink, 'number');
      assert.equal(v1.permalinkId, permalink);
    }
  });
});
