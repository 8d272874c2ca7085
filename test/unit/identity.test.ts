// Proves the identity rules every flow uses to turn a person's email into one Okta user (pickOktaUser), and
// the account statuses the access policy lets receive access (checkAccountStatus): pure functions, so the
// rehire, shared-email and suspended cases are decided here exactly as the workflows decide them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pickOktaUser, type IdentityCandidate } from '../../src/activities/okta/directory';
import { loadAccessPolicyFile } from '../../src/config/policy-file';
import type { TOktaUser } from '../../src/integrations/okta';
import { checkAccountStatus, parseAccessPolicy, resolveResource } from '../../src/policy/access';

const user = (id: string, login: string, status: TOktaUser['status']): TOktaUser => ({
  id,
  status,
  created: '2026-01-01T00:00:00.000Z',
  lastUpdated: '2026-01-01T00:00:00.000Z',
  profile: { login, email: login },
});
const at = (u: TOktaUser, matchedBy: IdentityCandidate['matchedBy']): IdentityCandidate => ({
  user: u,
  matchedBy,
});

describe('pickOktaUser', () => {
  it('given a rehire (deactivated login owner, active account by email), then the active account wins', () => {
    const old = user('00u-old', 'e@acme.example', 'DEPROVISIONED');
    const rehired = user('00u-new', 'e.rehired@acme.example', 'ACTIVE');
    const r = pickOktaUser([at(old, 'login'), at(old, 'email'), at(rehired, 'email')]);
    assert.equal(r.kind, 'found');
    assert.equal(r.kind === 'found' && r.user.id, '00u-new');
    assert.equal(r.kind === 'found' && r.matchedBy, 'email');
  });

  it('given two live accounts with the same primary email, then the answer is ambiguous with both', () => {
    const a = user('00u-a', 'a@acme.example', 'ACTIVE');
    const b = user('00u-b', 'b@acme.example', 'ACTIVE');
    const r = pickOktaUser([at(a, 'email'), at(b, 'email')]);
    assert.equal(r.kind, 'ambiguous');
    assert.deepEqual(r.kind === 'ambiguous' && r.candidates.map((c) => c.id).sort(), ['00u-a', '00u-b']);
  });

  it('given a live login match and another live account by email, then the login decides', () => {
    const owner = user('00u-1', 'e@acme.example', 'ACTIVE');
    const other = user('00u-2', 'x@acme.example', 'ACTIVE');
    const r = pickOktaUser([at(owner, 'login'), at(owner, 'email'), at(other, 'email')]);
    assert.equal(r.kind === 'found' && r.user.id, '00u-1');
  });

  it('given one live account by secondary email only, then it is found; a suspended account is still live', () => {
    const s = user('00u-s', 's@acme.example', 'SUSPENDED');
    const r = pickOktaUser([at(s, 'secondEmail')]);
    assert.equal(r.kind === 'found' && r.user.id, '00u-s');
    assert.equal(r.kind === 'found' && r.matchedBy, 'secondEmail');
  });

  it('given only deactivated accounts, then the best one answers (so the flow can name its status)', () => {
    const old = user('00u-old', 'e@acme.example', 'DEPROVISIONED');
    const r = pickOktaUser([at(old, 'login')]);
    assert.equal(r.kind === 'found' && r.user.status, 'DEPROVISIONED');
    assert.deepEqual(pickOktaUser([]), { kind: 'not-found' });
  });
});

describe('checkAccountStatus', () => {
  const policy = loadAccessPolicyFile(join(__dirname, '..', '..', 'config', 'access-policy.yaml'));
  const salesforce = resolveResource(policy, 'Salesforce');
  assert.ok(salesforce);

  it('given the default list, then ACTIVE, PASSWORD_EXPIRED, LOCKED_OUT and RECOVERY may receive access', () => {
    for (const status of ['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY'])
      assert.deepEqual(checkAccountStatus(salesforce, status), { ok: true }, status);
  });

  it('given SUSPENDED, DEPROVISIONED, STAGED or PROVISIONED, then it is refused naming the status', () => {
    for (const status of ['SUSPENDED', 'DEPROVISIONED', 'STAGED', 'PROVISIONED']) {
      const v = checkAccountStatus(salesforce, status);
      assert.equal(v.ok, false, status);
      assert.match(!v.ok ? v.reason : '', new RegExp(`is ${status};`));
    }
  });

  it('given a resource override, then its list replaces the defaults; an unknown status is a named error', () => {
    const custom = parseAccessPolicy({
      defaults: { eligibleAccountStatuses: ['ACTIVE'] },
      resources: [
        {
          name: 'Break glass',
          okta: { type: 'group', name: 'BG' },
          eligible: { accountStatuses: ['ACTIVE', 'SUSPENDED'] },
        },
        { name: 'Plain', okta: { type: 'group', name: 'P' } },
      ],
    });
    assert.equal(checkAccountStatus(resolveResource(custom, 'Break glass')!, 'SUSPENDED').ok, true);
    assert.equal(checkAccountStatus(resolveResource(custom, 'Plain')!, 'LOCKED_OUT').ok, false);
    assert.throws(
      () =>
        parseAccessPolicy({
          defaults: { eligibleAccountStatuses: ['ACTIVE', 'HAPPY'] },
          resources: custom.resources,
        }),
      /defaults\.eligibleAccountStatuses\.1/,
    );
  });
});
