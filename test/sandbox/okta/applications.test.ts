// The Applications API as Okta documents it and its Node SDK's integration suites use it: create (OIN
// template and custom apps), replace, activate/deactivate, delete only when INACTIVE (403 E0000056), and the
// app's users listed with `q` (prefix on userName, firstName, lastName, email) whose `next` link keeps `q`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningOktaSandbox } from '../../../src/sandbox/okta';
import { nextLink } from '../../../src/integrations/okta';
import { API_TOKEN, raw, startSandbox, sswsClient } from '../../integrations/okta/harness';

type App = {
  id: string;
  name: string;
  label: string;
  status: string;
  signOnMode: string;
  settings: Record<string, Record<string, unknown> | undefined>;
  credentials: { oauthClient?: Record<string, unknown> };
};
type AppUser = { id: string; profile: Record<string, unknown>; credentials: { userName: string } };

async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  return (text ? JSON.parse(text) : undefined) as T;
}

const bookmark = (label: string) => ({
  name: 'bookmark',
  label,
  signOnMode: 'BOOKMARK',
  settings: { app: { requestIntegration: false, url: 'https://example.com/bookmark.htm' } },
});

describe('sandbox Okta Applications API', () => {
  let sb: RunningOktaSandbox;
  before(async () => {
    sb = await startSandbox();
  });
  after(async () => {
    await sb.close();
  });

  const create = async (body: unknown, query = '') =>
    json<App>(await raw(sb.url, 'POST', `/api/v1/apps${query}`, body), 200);
  const get = (id: string) => raw(sb.url, 'GET', `/api/v1/apps/${id}`);

  it('given a bookmark app body, when created, then it is ACTIVE and reads back with its settings; activate=false makes it INACTIVE', async () => {
    const app = await create(bookmark('Intranet'));
    assert.equal(app.status, 'ACTIVE');
    assert.equal(app.name, 'bookmark');
    assert.equal(app.signOnMode, 'BOOKMARK');
    const read = await json<App>(await get(app.id), 200);
    assert.equal(read.label, 'Intranet');
    assert.deepEqual(read.settings.app, {
      requestIntegration: false,
      url: 'https://example.com/bookmark.htm',
    });

    const staged = await create(bookmark('Staged'), '?activate=false');
    assert.equal(staged.status, 'INACTIVE');
  });

  it('given custom SAML and OIDC app bodies, when created, then Okta names the custom app from its label, nulls an empty relay state and issues OAuth client credentials', async () => {
    const saml = await create({
      label: 'Example Custom SAML 2.0 App',
      signOnMode: 'SAML_2_0',
      settings: { signOn: { audience: 'asdqwe123', defaultRelayState: '', ssoAcsUrl: 'http://sp.test/acs' } },
    });
    assert.equal(saml.name, 'examplecustomsaml20app_1');
    assert.equal(saml.settings.signOn?.defaultRelayState, null);
    assert.equal(saml.settings.signOn?.audience, 'asdqwe123');
    const second = await create({ label: 'Example Custom SAML 2.0 App', signOnMode: 'SAML_2_0' });
    assert.equal(second.name, 'examplecustomsaml20app_2');

    const oidc = await create({
      name: 'oidc_client',
      label: 'Sample Client',
      signOnMode: 'OPENID_CONNECT',
      credentials: { oauthClient: { token_endpoint_auth_method: 'client_secret_post' } },
      settings: { oauthClient: { application_type: 'native', grant_types: ['authorization_code'] } },
    });
    assert.equal(oidc.credentials.oauthClient?.client_id, oidc.id);
    assert.equal(typeof oidc.credentials.oauthClient?.client_secret, 'string');
    assert.equal(oidc.credentials.oauthClient?.token_endpoint_auth_method, 'client_secret_post');
    assert.deepEqual(oidc.settings.oauthClient?.grant_types, ['authorization_code']);

    const nameless = await raw(sb.url, 'POST', '/api/v1/apps', { label: 'No name', signOnMode: 'BOOKMARK' });
    assert.equal((await json<{ errorCode: string }>(nameless, 400)).errorCode, 'E0000001');
  });

  it('given an app, when its read body is PUT back with a new label, then the label changes and id, name and status in the body are ignored', async () => {
    const app = await create(bookmark('Before'));
    const body = await json<App>(await get(app.id), 200);
    const replaced = await json<App>(
      await raw(sb.url, 'PUT', `/api/v1/apps/${app.id}`, {
        ...body,
        id: 'ignored',
        name: 'ignored',
        status: 'INACTIVE',
        label: 'After',
      }),
      200,
    );
    assert.equal(replaced.id, app.id);
    assert.equal(replaced.name, 'bookmark');
    assert.equal(replaced.status, 'ACTIVE');
    assert.equal((await json<App>(await get(app.id), 200)).label, 'After');
  });

  it('given an ACTIVE app, when deleted, then Okta refuses with 403 E0000056 until it is deactivated; then it is gone', async () => {
    const app = await create(bookmark('Doomed'));
    const refused = await json<{ errorCode: string; errorSummary: string }>(
      await raw(sb.url, 'DELETE', `/api/v1/apps/${app.id}`),
      403,
    );
    assert.equal(refused.errorCode, 'E0000056');
    assert.equal(refused.errorSummary, 'Delete application forbidden.');

    assert.deepEqual(
      await json(await raw(sb.url, 'POST', `/api/v1/apps/${app.id}/lifecycle/deactivate`), 200),
      {},
    );
    assert.equal((await json<App>(await get(app.id), 200)).status, 'INACTIVE');
    await json(await raw(sb.url, 'POST', `/api/v1/apps/${app.id}/lifecycle/activate`), 200);
    assert.equal((await json<App>(await get(app.id), 200)).status, 'ACTIVE');
    await json(await raw(sb.url, 'POST', `/api/v1/apps/${app.id}/lifecycle/deactivate`), 200);

    await json(await raw(sb.url, 'DELETE', `/api/v1/apps/${app.id}`), 204);
    assert.equal((await json<{ errorCode: string }>(await get(app.id), 404)).errorCode, 'E0000007');
    const listed = await json<App[]>(await raw(sb.url, 'GET', '/api/v1/apps?q=Doomed'), 200);
    assert.deepEqual(listed, []);
  });

  it('given users assigned to an app, when listed with q and a limit, then only prefix matches come back, the next link keeps q, and profiles carry the mapped attributes', async () => {
    const c = sswsClient(sb.url);
    const app = await create(bookmark('People'));
    const mk = (first: string, i: number) =>
      c.createUser(
        { login: `q${i}@example.test`, email: `q${i}@example.test`, firstName: first, lastName: 'Filter' },
        { password: 'Sandbox!Pass1' },
      );
    const users = [await mk('unmatched', 1), await mk('filtered-a', 2), await mk('filtered-b', 3)];
    for (const u of users)
      await json(await raw(sb.url, 'POST', `/api/v1/apps/${app.id}/users`, { id: u.id }), 200);

    const first = await raw(sb.url, 'GET', `/api/v1/apps/${app.id}/users?q=filtered&limit=1`);
    const page1 = await json<AppUser[]>(first, 200);
    assert.deepEqual(
      page1.map((x) => x.id),
      [users[1]!.id],
    );
    assert.deepEqual(page1[0]!.profile, {
      email: 'q2@example.test',
      firstName: 'filtered-a',
      lastName: 'Filter',
    });
    const next = nextLink(first.headers.get('link') ?? undefined);
    assert.ok(next, 'a next link');
    assert.equal(new URL(next).searchParams.get('q'), 'filtered');
    const second = await fetch(next, { headers: { authorization: `SSWS ${API_TOKEN}` } });
    const page2 = await json<AppUser[]>(second, 200);
    assert.deepEqual(
      page2.map((x) => x.id),
      [users[2]!.id],
    );
    assert.equal(nextLink(second.headers.get('link') ?? undefined), undefined);

    const byEmail = await json<AppUser[]>(
      await raw(sb.url, 'GET', `/api/v1/apps/${app.id}/users?q=q1%40`),
      200,
    );
    assert.deepEqual(
      byEmail.map((x) => x.id),
      [users[0]!.id],
    );
  });

  it('given groups assigned to an app, when its group assignments are listed with q, then only groups whose name starts with q come back', async () => {
    const app = await create(bookmark('Grouped'));
    const names = ['app-groups', 'app-groups-filtered-1', 'app-groups-filtered-2', 'other'];
    const ids: string[] = [];
    for (const name of names) {
      const g = await json<{ id: string }>(
        await raw(sb.url, 'POST', '/api/v1/groups', { profile: { name } }),
        200,
      );
      ids.push(g.id);
      await json(await raw(sb.url, 'PUT', `/api/v1/apps/${app.id}/groups/${g.id}`, {}), 200);
    }
    const hits = await json<{ id: string }[]>(
      await raw(sb.url, 'GET', `/api/v1/apps/${app.id}/groups?q=APP-GROUPS-filtered`),
      200,
    );
    assert.deepEqual(
      hits.map((x) => x.id),
      [ids[1], ids[2]],
    );
  });
});
