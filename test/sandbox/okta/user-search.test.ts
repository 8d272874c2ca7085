// Users that share an email, as a real org allows (only `login` is unique): `search` on profile.email or
// profile.secondEmail returns every match, DEPROVISIONED ones included, while plain lists and `filter`
// leave DEPROVISIONED users out (API-CONTRACTS.md §5). Every user is made through the Okta API.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TOktaUser } from '../../../src/integrations/okta';
import type { RunningOktaSandbox } from '../../../src/sandbox/okta';
import { collect, raw, rejectsWith, startSandbox, sswsClient } from '../../integrations/okta/harness';

const SHARED = 'shared.inbox@example.test';
const PASSWORD = { password: 'Sandbox!Pass1' };

const profile = (login: string, extra: Record<string, string> = {}) => ({
  login,
  email: SHARED,
  firstName: 'Shared',
  lastName: login.split('@')[0]!,
  ...extra,
});

describe('sandbox Okta users sharing an email', () => {
  let sb: RunningOktaSandbox;
  let active: TOktaUser;
  let leaver: TOktaUser;
  let alias: TOktaUser;
  before(async () => {
    sb = await startSandbox();
    const c = sswsClient(sb.url);
    active = await c.createUser(profile('first.owner@example.test'), PASSWORD);
    leaver = await c.createUser(profile('second.owner@example.test'), PASSWORD);
    // A DEPROVISIONED user is created, then deactivated, exactly as in a real org.
    await c.deactivateUser(leaver.id);
    alias = await c.createUser(
      { ...profile('alias.owner@example.test'), email: 'alias.owner@example.test', secondEmail: SHARED },
      PASSWORD,
    );
  });
  after(async () => {
    await sb.close();
  });

  const ids = (users: { id: string }[]) => users.map((u) => u.id).sort();

  it('given two users created with the same email, when both exist, then each has its own login and the email', async () => {
    const c = sswsClient(sb.url);
    assert.notEqual(active.id, leaver.id);
    assert.equal((await c.getUser(active.id)).profile.email, SHARED);
    assert.equal((await c.getUser(leaver.id)).profile.email, SHARED);
    assert.equal((await c.getUser(leaver.id)).status, 'DEPROVISIONED');
  });

  it('given users sharing an email, when searched by profile.email, then every match comes back, DEPROVISIONED included', async () => {
    const c = sswsClient(sb.url);
    const found = await collect(c.searchUsers(`profile.email eq "${SHARED}"`));
    assert.deepEqual(ids(found), ids([active, leaver]));
    assert.ok(found.some((u) => u.status === 'DEPROVISIONED'));
    // Operators and values are case-insensitive, property names are not.
    const upper = await collect(c.searchUsers(`profile.email EQ "${SHARED.toUpperCase()}"`));
    assert.deepEqual(ids(upper), ids([active, leaver]));
    const paged = await collect(c.searchUsers(`profile.email eq "${SHARED}"`, { limit: 1 }));
    assert.deepEqual(ids(paged), ids([active, leaver]), 'one per page, all pages followed');
  });

  it('given a user whose secondEmail is the shared address, when searched by profile.secondEmail, then that user comes back', async () => {
    const c = sswsClient(sb.url);
    const found = await collect(c.searchUsers(`profile.secondEmail eq "${SHARED}"`));
    assert.deepEqual(ids(found), [alias.id]);
    const either = await collect(
      c.searchUsers(`profile.email eq "${SHARED}" or profile.secondEmail eq "${SHARED}"`),
    );
    assert.deepEqual(ids(either), ids([active, leaver, alias]));
  });

  it('given a DEPROVISIONED user with the shared email, when listed without search or with filter, then it is left out', async () => {
    const filter = encodeURIComponent(`profile.email eq "${SHARED}"`);
    const filtered = (await (
      await raw(sb.url, 'GET', `/api/v1/users?filter=${filter}`)
    ).json()) as TOktaUser[];
    assert.deepEqual(ids(filtered), [active.id]);
    const listed = (await (await raw(sb.url, 'GET', '/api/v1/users')).json()) as TOktaUser[];
    assert.ok(!listed.some((u) => u.id === leaver.id));
    assert.ok(listed.some((u) => u.id === active.id));
  });

  it('given a taken login, when another user is created with it, then Okta still refuses the duplicate', async () => {
    const c = sswsClient(sb.url);
    const err = await rejectsWith(
      c.createUser({ ...profile('second.owner@example.test'), email: 'other@example.test' }, PASSWORD),
      'CONFLICT',
      'E0000001',
    );
    assert.match(err.causes[0]?.message ?? '', /already exists/);
  });
});
