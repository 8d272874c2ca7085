// Replacing and deleting groups as Okta's Groups API documents them: PUT /groups/{id} changes an OKTA_GROUP's
// name and description (never a BUILT_IN group's), DELETE /groups/{id} removes any group but BUILT_IN, and
// members lose the apps only that group granted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningOktaSandbox } from '../../../src/sandbox/okta';
import { admin, person, raw, startSandbox, sswsClient } from '../../integrations/okta/harness';

type Group = { id: string; type: string; profile: { name: string; description: string | null } };

async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  return (text ? JSON.parse(text) : undefined) as T;
}

describe('sandbox Okta group replace and delete', () => {
  let sb: RunningOktaSandbox;
  let everyone: Group;
  before(async () => {
    sb = await startSandbox({ seed: 'demo' });
    const all = await json<Group[]>(await raw(sb.url, 'GET', '/api/v1/groups'), 200);
    everyone = all.find((g) => g.type === 'BUILT_IN')!;
    assert.ok(everyone, 'the org has its BUILT_IN Everyone group');
  });
  after(async () => {
    await sb.close();
  });

  const newGroup = async (name: string) =>
    json<Group>(await raw(sb.url, 'POST', '/api/v1/groups', { profile: { name } }), 200);

  it('given an OKTA_GROUP, when its read body is PUT back with a new name and description, then both change; a taken name or BUILT_IN group is refused', async () => {
    const g = await newGroup('Update me');
    const body = await json<Group>(await raw(sb.url, 'GET', `/api/v1/groups/${g.id}`), 200);
    const updated = await json<Group>(
      await raw(sb.url, 'PUT', `/api/v1/groups/${g.id}`, {
        ...body,
        profile: { name: 'Updated', description: 'Description updated' },
      }),
      200,
    );
    assert.deepEqual(updated.profile, { name: 'Updated', description: 'Description updated' });
    const read = await json<Group>(await raw(sb.url, 'GET', `/api/v1/groups/${g.id}`), 200);
    assert.deepEqual(read.profile, { name: 'Updated', description: 'Description updated' });

    await newGroup('Taken');
    const clash = await raw(sb.url, 'PUT', `/api/v1/groups/${g.id}`, { profile: { name: 'Taken' } });
    assert.equal((await json<{ errorCode: string }>(clash, 400)).errorCode, 'E0000001');
    const builtIn = await raw(sb.url, 'PUT', `/api/v1/groups/${everyone.id}`, {
      profile: { name: 'Renamed' },
    });
    assert.equal((await json<{ errorCode: string }>(builtIn, 403)).errorCode, 'E0000006');
  });

  it('given a group that grants an app, when the group is deleted, then it is gone, members keep their accounts but lose the app, and BUILT_IN cannot be deleted', async () => {
    const { apps } = await admin<{ apps: Record<string, string> }>(sb.url, 'POST', '/__sandbox/seed', {
      apps: [{ name: 'wiki', label: 'Wiki' }],
    });
    const app = apps.wiki!;
    const g = await newGroup('Wiki users');
    const c = sswsClient(sb.url);
    const u = await c.createUser(person('wiki'), { password: 'Sandbox!Pass1' });
    await c.addUserToGroup(g.id, u.id);
    await json(await raw(sb.url, 'PUT', `/api/v1/apps/${app}/groups/${g.id}`, {}), 200);
    await json(await raw(sb.url, 'GET', `/api/v1/apps/${app}/users/${u.id}`), 200);

    await json(await raw(sb.url, 'DELETE', `/api/v1/groups/${g.id}`), 204);
    assert.equal(
      (await json<{ errorCode: string }>(await raw(sb.url, 'GET', `/api/v1/groups/${g.id}`), 404)).errorCode,
      'E0000007',
    );
    await json(await raw(sb.url, 'GET', `/api/v1/apps/${app}/users/${u.id}`), 404);
    assert.deepEqual(await json(await raw(sb.url, 'GET', `/api/v1/apps/${app}/groups`), 200), []);
    const groupsOfUser = await json<Group[]>(await raw(sb.url, 'GET', `/api/v1/users/${u.id}/groups`), 200);
    assert.deepEqual(
      groupsOfUser.map((x) => x.id),
      [everyone.id],
    );

    const refused = await raw(sb.url, 'DELETE', `/api/v1/groups/${everyone.id}`);
    assert.equal((await json<{ errorCode: string }>(refused, 403)).errorCode, 'E0000006');
  });
});
