// Group-to-app assignments over real HTTP, as a real org behaves (API-CONTRACTS.md §13): members hold the
// app with scope GROUP, a per-user unassignment is refused with 403 E0000046 while a group grants it,
// leaving the group (or unassigning it) removes the app, and the System Log records each step.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { nextLink, type TOktaLogEvent } from '../../../src/integrations/okta';
import type { RunningOktaSandbox } from '../../../src/sandbox/okta';
import {
  admin,
  API_TOKEN,
  collect,
  person,
  raw,
  startSandbox,
  sswsClient,
} from '../../integrations/okta/harness';

type AppGroup = {
  id: string;
  lastUpdated: string;
  priority: number;
  profile: Record<string, unknown>;
  _links: Record<string, { href: string }>;
};

const PASSWORD = { password: 'Sandbox!Pass1' };

async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  return (text ? JSON.parse(text) : undefined) as T;
}

describe('sandbox Okta group-to-app assignments', () => {
  let sb: RunningOktaSandbox;
  let apps: Record<string, string>;
  let n = 0;
  before(async () => {
    sb = await startSandbox();
    apps = (
      await admin<{ apps: Record<string, string> }>(sb.url, 'POST', '/__sandbox/seed', {
        apps: ['zoom', 'figma', 'jira', 'miro', 'notion', 'okta_paging'].map((name) => ({
          name,
          label: name.toUpperCase(),
        })),
      })
    ).apps;
  });
  after(async () => {
    await sb.close();
  });

  const c = () => sswsClient(sb.url);
  const newGroup = async (name: string) =>
    json<{ id: string }>(await raw(sb.url, 'POST', '/api/v1/groups', { profile: { name } }), 200);
  const newUser = async () => c().createUser(person(`ga${++n}`), PASSWORD);
  const appUser = (appId: string, userId: string) =>
    raw(sb.url, 'GET', `/api/v1/apps/${appId}/users/${userId}`);
  const assign = async (appId: string, groupId: string, body?: unknown) =>
    json<AppGroup>(await raw(sb.url, 'PUT', `/api/v1/apps/${appId}/groups/${groupId}`, body), 200);

  it('given a group assigned to an app, when a member is read, then the AppUser has scope GROUP and every view shows the app', async () => {
    const app = apps.zoom!;
    const g = await newGroup('Zoom users');
    const u = await newUser();
    await c().addUserToGroup(g.id, u.id);

    const ag = await assign(app, g.id);
    assert.equal(ag.id, g.id);
    assert.equal(ag.priority, 0);
    assert.deepEqual(ag.profile, {});
    assert.ok(ag.lastUpdated);
    assert.equal(ag._links.app?.href, `${sb.url}/api/v1/apps/${app}`);
    assert.equal(ag._links.group?.href, `${sb.url}/api/v1/groups/${g.id}`);

    const au = await json<{ id: string; scope: string }>(await appUser(app, u.id), 200);
    assert.equal(au.id, u.id);
    assert.equal(au.scope, 'GROUP');
    const read = await json<AppGroup>(await raw(sb.url, 'GET', `/api/v1/apps/${app}/groups/${g.id}`), 200);
    assert.equal(read.id, g.id);
    const groupApps = await json<{ id: string; label: string }[]>(
      await raw(sb.url, 'GET', `/api/v1/groups/${g.id}/apps`),
      200,
    );
    assert.deepEqual(
      groupApps.map((a) => a.label),
      ['ZOOM'],
    );
    const userApps = await json<{ id: string; _embedded?: { user: { scope: string } } }[]>(
      await raw(
        sb.url,
        'GET',
        `/api/v1/apps?filter=${encodeURIComponent(`user.id eq "${u.id}"`)}&expand=user/${u.id}`,
      ),
      200,
    );
    assert.deepEqual(
      userApps.map((a) => [a.id, a._embedded?.user.scope]),
      [[app, 'GROUP']],
    );
    const byGroup = await json<{ id: string }[]>(
      await raw(sb.url, 'GET', `/api/v1/apps?filter=${encodeURIComponent(`group.id eq "${g.id}"`)}`),
      200,
    );
    assert.deepEqual(
      byGroup.map((a) => a.id),
      [app],
    );
    assert.ok((await c().listUserAppLinks(u.id)).some((l) => l.appInstanceId === app));
  });

  it('given a group-granted app, when it is unassigned from the user directly, then Okta refuses with 403 E0000046 and the cause', async () => {
    const app = apps.figma!;
    const g = await newGroup('Designers');
    const u = await newUser();
    await c().addUserToGroup(g.id, u.id);
    await assign(app, g.id);

    const res = await raw(sb.url, 'DELETE', `/api/v1/apps/${app}/users/${u.id}`);
    const body = await json<Record<string, unknown>>(res, 403);
    assert.ok(res.headers.get('x-okta-request-id'));
    assert.match(String(body.errorId), /^oae/);
    delete body.errorId;
    assert.deepEqual(body, {
      errorCode: 'E0000046',
      errorSummary: 'Deactivate application for user forbidden.',
      errorLink: 'E0000046',
      errorCauses: [
        {
          errorSummary:
            'The application cannot be unassigned from the user while their group memberships grant them access',
        },
      ],
    });
    assert.equal((await appUser(app, u.id)).status, 200, 'the assignment is still there');
  });

  it('given a group assigned to an app, when users join it, leave it or are created into it, then the app follows membership', async () => {
    const app = apps.jira!;
    const g = await newGroup('Jira users');
    await assign(app, g.id);
    const u = await newUser();
    assert.equal((await appUser(app, u.id)).status, 404);

    await c().addUserToGroup(g.id, u.id);
    assert.equal((await json<{ scope: string }>(await appUser(app, u.id), 200)).scope, 'GROUP');
    await c().removeUserFromGroup(g.id, u.id);
    assert.equal((await appUser(app, u.id)).status, 404);
    assert.ok(!(await collect(c().listUserApps(u.id))).some((a) => a.id === app));

    // A user created straight into the group holds the app from the start.
    const joiner = await c().createUser(person(`ga${++n}`), { ...PASSWORD, groupIds: [g.id] });
    assert.equal((await json<{ scope: string }>(await appUser(app, joiner.id), 200)).scope, 'GROUP');
  });

  it('given a user in two granting groups, when they leave one, then they keep the app until they leave the last', async () => {
    const app = apps.miro!;
    const a = await newGroup('Miro A');
    const b = await newGroup('Miro B');
    await assign(app, a.id);
    await assign(app, b.id);
    const u = await newUser();
    await c().addUserToGroup(a.id, u.id);
    await c().addUserToGroup(b.id, u.id);

    await c().removeUserFromGroup(a.id, u.id);
    assert.equal((await appUser(app, u.id)).status, 200);
    assert.equal((await raw(sb.url, 'DELETE', `/api/v1/apps/${app}/users/${u.id}`)).status, 403);
    await json(await raw(sb.url, 'DELETE', `/api/v1/apps/${app}/groups/${b.id}`), 204);
    assert.equal(
      (await appUser(app, u.id)).status,
      404,
      'unassigning the last granting group removes the app',
    );
  });

  it('given a user assigned both directly and through a group, when unassigned, then 403 until the group goes, then the direct assignment remains and can go', async () => {
    const app = apps.notion!;
    const g = await newGroup('Notion users');
    const u = await newUser();
    const direct = await c().assignUserToApp(app, u.id);
    assert.equal(direct.scope, 'USER');
    await c().addUserToGroup(g.id, u.id);
    await assign(app, g.id);
    assert.equal((await json<{ scope: string }>(await appUser(app, u.id), 200)).scope, 'USER');

    const refused = await json<{ errorCode: string }>(
      await raw(sb.url, 'DELETE', `/api/v1/apps/${app}/users/${u.id}`),
      403,
    );
    assert.equal(refused.errorCode, 'E0000046');

    await json(await raw(sb.url, 'DELETE', `/api/v1/apps/${app}/groups/${g.id}`), 204);
    assert.equal((await json<{ scope: string }>(await appUser(app, u.id), 200)).scope, 'USER');
    await json(await raw(sb.url, 'DELETE', `/api/v1/apps/${app}/users/${u.id}`), 204);
    assert.equal((await appUser(app, u.id)).status, 404);
  });

  it('given many groups on an app, when listed with a limit, then pages follow Link headers and PUT updates priority and profile', async () => {
    const app = apps.okta_paging!;
    const groups = [];
    for (const name of ['Page 1', 'Page 2', 'Page 3']) groups.push(await newGroup(name));
    for (const g of groups) await assign(app, g.id);

    const first = await raw(sb.url, 'GET', `/api/v1/apps/${app}/groups?limit=2`);
    const page1 = await json<AppGroup[]>(first, 200);
    assert.deepEqual(
      page1.map((x) => [x.id, x.priority]),
      [
        [groups[0]!.id, 0],
        [groups[1]!.id, 1],
      ],
    );
    const next = nextLink(first.headers.get('link') ?? undefined);
    assert.ok(next, 'a second page');
    assert.ok(next.startsWith(`${sb.url}/api/v1/apps/${app}/groups?`), next);
    const second = await fetch(next, { headers: { authorization: `SSWS ${API_TOKEN}` } });
    const page2 = await json<AppGroup[]>(second, 200);
    assert.deepEqual(
      page2.map((x) => x.id),
      [groups[2]!.id],
    );
    assert.equal(nextLink(second.headers.get('link') ?? undefined), undefined);

    const updated = await assign(app, groups[2]!.id, { priority: 0, profile: { role: 'viewer' } });
    assert.equal(updated.priority, 0);
    assert.deepEqual(updated.profile, { role: 'viewer' });
    const bad = await json<{ errorCode: string }>(
      await raw(sb.url, 'PUT', `/api/v1/apps/${app}/groups/${groups[0]!.id}`, { priority: -1 }),
      400,
    );
    assert.equal(bad.errorCode, 'E0000001');

    await json(await raw(sb.url, 'DELETE', `/api/v1/apps/${app}/groups/${groups[1]!.id}`), 204);
    const notThere = await json<{ errorCode: string }>(
      await raw(sb.url, 'GET', `/api/v1/apps/${app}/groups/${groups[1]!.id}`),
      404,
    );
    assert.equal(notThere.errorCode, 'E0000007');
    assert.equal((await raw(sb.url, 'DELETE', `/api/v1/apps/${app}/groups/${groups[1]!.id}`)).status, 404);
    assert.equal((await raw(sb.url, 'PUT', `/api/v1/apps/${app}/groups/00gnope`)).status, 404);
    assert.deepEqual(
      (await collect(c().listAppGroups(app))).map((x) => x.id),
      [groups[0]!.id, groups[2]!.id],
    );
  });

  it('given a group assignment made and removed, when the System Log is read, then the group and membership events are there', async () => {
    const app = apps.zoom!;
    const g = await newGroup('Zoom audit');
    const u = await newUser();
    await c().addUserToGroup(g.id, u.id);
    const since = new Date(Date.now() - 1000).toISOString();
    await assign(app, g.id);
    await assign(app, g.id, { priority: 5 });
    await json(await raw(sb.url, 'DELETE', `/api/v1/apps/${app}/groups/${g.id}`), 204);

    const page = await c().listLogs({ since, until: new Date(Date.now() + 1000).toISOString() });
    const mine = page.events.filter(
      (e: TOktaLogEvent) =>
        /^(group\.application_assignment|application\.user_membership)\./.test(e.eventType) &&
        e.target.some((t) => t.id === g.id || t.id === u.id),
    );
    assert.deepEqual(
      mine.map((e) => e.eventType),
      [
        'group.application_assignment.add',
        'application.user_membership.add',
        'group.application_assignment.update',
        'group.application_assignment.remove',
        'application.user_membership.remove',
      ],
    );
    const add = mine[0]!;
    assert.deepEqual(
      add.target.map((t) => [t.type, t.id]),
      [
        ['AppInstance', app],
        ['UserGroup', g.id],
      ],
    );
    assert.equal(add.actor.alternateId, 'admin@sandbox.okta', 'the API token acts as its admin');
    assert.equal(add.outcome?.result, 'SUCCESS');
    assert.deepEqual(
      mine[1]!.target.map((t) => [t.type, t.id]),
      [
        ['User', u.id],
        ['AppInstance', app],
      ],
    );
  });

  it('given a seeded app assigned to Everyone, when a user is created, then they hold it through the BUILT_IN group', async () => {
    const seeded = await admin<{ apps: Record<string, string>; users: Record<string, string> }>(
      sb.url,
      'POST',
      '/__sandbox/seed',
      {
        groups: [{ name: 'Everyone', type: 'BUILT_IN' }],
        apps: [{ name: 'intranet', label: 'Intranet', groups: ['Everyone'] }],
        users: [{ email: 'seeded.everyone@example.test', firstName: 'Seeded', lastName: 'Everyone' }],
      },
    );
    const app = seeded.apps.intranet!;
    const seededUser = seeded.users['seeded.everyone@example.test']!;
    assert.equal((await json<{ scope: string }>(await appUser(app, seededUser), 200)).scope, 'GROUP');
    const u = await newUser();
    assert.equal((await json<{ scope: string }>(await appUser(app, u.id), 200)).scope, 'GROUP');
    const listed = await collect(c().listAppGroups(app));
    assert.equal(listed.length, 1);
  });

  it('given a member with a group-granted app, when deactivated and activated again, then the app goes without a 403 and comes back', async () => {
    const app = apps.figma!;
    const g = await newGroup('Figma returners');
    await assign(app, g.id);
    const u = await newUser();
    await c().addUserToGroup(g.id, u.id);
    await c().deactivateUser(u.id);
    assert.equal((await appUser(app, u.id)).status, 404);
    assert.ok(
      (await c().listUserGroups(u.id)).some((x) => x.id === g.id),
      'memberships stay',
    );
    await c().activateUser(u.id);
    assert.equal((await json<{ scope: string }>(await appUser(app, u.id), 200)).scope, 'GROUP');
  });
});

describe('sandbox Okta group-to-app assignments across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'okta-app-groups-'));
  const dataFile = join(dir, 'okta.json');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('given a data file, when the sandbox restarts, then group assignments and their grants survive and still refuse per-user removal', async () => {
    const first = await startSandbox({ dataFile });
    const seeded = await admin<{ apps: Record<string, string> }>(first.url, 'POST', '/__sandbox/seed', {
      apps: [{ name: 'box', label: 'Box' }],
    });
    const app = seeded.apps.box!;
    const c1 = sswsClient(first.url);
    const g = await json<{ id: string }>(
      await raw(first.url, 'POST', '/api/v1/groups', { profile: { name: 'Box users' } }),
      200,
    );
    const u = await c1.createUser(person('ga-persist'), PASSWORD);
    await c1.addUserToGroup(g.id, u.id);
    await c1.assignGroupToApp(app, g.id);
    await first.close();

    const second = await startSandbox({ dataFile });
    try {
      const c2 = sswsClient(second.url);
      assert.deepEqual(
        (await collect(c2.listAppGroups(app))).map((x) => x.id),
        [g.id],
      );
      assert.equal((await c2.getAppUser(app, u.id))?.scope, 'GROUP');
      assert.equal((await raw(second.url, 'DELETE', `/api/v1/apps/${app}/users/${u.id}`)).status, 403);
      await c2.removeUserFromGroup(g.id, u.id);
      assert.equal(await c2.getAppUser(app, u.id), undefined);
    } finally {
      await second.close();
    }
  });
});
