// Okta adds enum values over time. Reading them must not refuse the whole answer (a user list, a request):
// the product classifies what it reads, so a status it does not know is a named refusal or an
// `unknown-status` end, decided where the policy lives, never a read that fails for every caller.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadAccessPolicyFile } from '../../src/config/policy-file';
import { ZAccessRequest, ZOktaUser } from '../../src/integrations/okta/schemas';
import { checkAccountStatus, resolveResource } from '../../src/policy/access';

const user = (status: string) => ({
  id: '00u1',
  status,
  created: '2026-01-01T00:00:00.000Z',
  lastUpdated: '2026-01-01T00:00:00.000Z',
  profile: { login: 'ada@acme.example', email: 'ada@acme.example' },
});

const request = (status: string) => ({
  id: 'req1',
  status,
  created: '2026-01-01T00:00:00.000Z',
  requestedFor: { type: 'OKTA_USER', externalId: '00u1' },
  requested: { entryId: 'cen1', resourceId: '00g1', resourceType: 'GROUP' },
});

describe('Okta statuses the product does not know yet', () => {
  it('given a user status Okta adds later, when read, then the user parses and policy refuses it by name', () => {
    const parsed = ZOktaUser.parse(user('PENDING_USER_ACTION'));
    assert.equal(parsed.status, 'PENDING_USER_ACTION');
    const policy = loadAccessPolicyFile(join(__dirname, '..', '..', 'config', 'access-policy.yaml'));
    const verdict = checkAccountStatus(resolveResource(policy, 'Salesforce')!, parsed.status);
    assert.equal(verdict.ok, false);
    assert.match(verdict.ok ? '' : verdict.reason, /is PENDING_USER_ACTION;/);
  });

  it('given an access request status Okta adds later, when read, then the request parses with it', () => {
    assert.equal(ZAccessRequest.parse(request('ARCHIVED')).status, 'ARCHIVED');
  });

  it('given an empty or missing status, when read, then the answer is refused', () => {
    assert.equal(ZOktaUser.safeParse(user('')).success, false);
    assert.equal(ZAccessRequest.safeParse({ ...request('X'), status: undefined }).success, false);
  });
});
