// How a catalog request's `resource_type` and `resource_name` pick a resource: the type limits the match to
// groups or apps, names match ignoring case and extra spaces, a name of the other type is reported as such
// (for the refusal note), and the listing for that note keeps to the type asked for. Also the levels an
// extra-approval rule adds, which change how chain levels are counted, and the calendar check on end_date.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addsApprovalLevels,
  computeAccessWindow,
  findSodConflicts,
  normaliseResourceName,
  parseAccessPolicy,
  parseResourceKind,
  requestableNames,
  resolveRequestedResource,
  resolveResource,
} from '../../src/policy/access';

const policy = parseAccessPolicy({
  defaults: { approvalChain: ['manager'], maxDuration: '90d', defaultDuration: '30d' },
  resources: [
    { name: 'Salesforce', okta: { type: 'app', label: 'Salesforce' } },
    { name: 'GitHub Admins', okta: { type: 'group', name: 'GitHub Admins' } },
    { name: 'Payments', okta: { type: 'group', name: 'Payments' } },
    { name: 'Audit', okta: { type: 'group', name: 'Audit' } },
  ],
  sod: [
    { name: 'block pair', resources: ['Payments', 'Salesforce'], action: 'block' },
    {
      name: 'extra pair',
      resources: ['Payments', 'Audit'],
      action: 'extra-approval',
      approver: { email: 'cfo@acme.example' },
    },
  ],
});

describe('the resource a request names', () => {
  it('given the form’s resource_type in any of its spellings, then group or app; anything else, no kind', () => {
    for (const v of ['group', 'Groups', ' GROUP ']) assert.equal(parseResourceKind(v), 'group', v);
    for (const v of ['app', 'APPS', 'Application', 'applications '])
      assert.equal(parseResourceKind(v), 'app', v);
    for (const v of ['', 'role', 'grp', 7, null, undefined])
      assert.equal(parseResourceKind(v), undefined, String(v));
  });

  it('given names typed with odd case and spaces, then they normalise to one form', () => {
    assert.equal(normaliseResourceName('  GitHub   Admins '), 'github admins');
    assert.equal(normaliseResourceName('GitHub\tAdmins'), 'github admins');
  });

  it('given a group request naming an app, then no resource, and the app is reported as the other kind', () => {
    const r = resolveRequestedResource(policy, 'salesforce', 'group');
    assert.equal(r.resource, undefined);
    assert.equal(r.otherKind?.name, 'Salesforce');
    assert.equal(r.otherKind?.okta.type, 'app');
    assert.deepEqual(r.otherKind?.approvalChain, ['manager'], 'the other kind carries its effective rules');
  });

  it('given the right kind, or no kind, then the resource with its defaults and no other kind', () => {
    const app = resolveRequestedResource(policy, ' SALESFORCE ', 'app');
    assert.equal(app.resource?.name, 'Salesforce');
    assert.equal(app.resource?.maxDuration, 90 * 86_400_000);
    assert.equal(app.otherKind, undefined);
    const any = resolveRequestedResource(policy, 'github  admins', undefined);
    assert.equal(any.resource?.name, 'GitHub Admins');
    assert.equal(any.otherKind, undefined);
    assert.deepEqual(resolveRequestedResource(policy, 'Nope', 'app'), {
      resource: undefined,
      otherKind: undefined,
    });
  });

  it('given a kind, then only its names are listed as requestable; without one, every name', () => {
    assert.deepEqual(requestableNames(policy, 'group'), ['GitHub Admins', 'Payments', 'Audit']);
    assert.deepEqual(requestableNames(policy, 'app'), ['Salesforce']);
    assert.deepEqual(requestableNames(policy), ['Salesforce', 'GitHub Admins', 'Payments', 'Audit']);
  });
});

describe('levels a separation-of-duties rule adds', () => {
  it('given an extra-approval conflict, then levels are added; a block or no conflict adds none', () => {
    assert.equal(addsApprovalLevels(findSodConflicts(policy, 'Audit', ['Payments'])), true);
    assert.equal(addsApprovalLevels(findSodConflicts(policy, 'Salesforce', ['Payments'])), false);
    assert.equal(addsApprovalLevels([]), false);
  });
});

describe('end_date on the calendar', () => {
  const resource = resolveResource(policy, 'Salesforce')!;
  const now = Date.parse('2027-01-10T00:00:00Z');

  it('given a day the calendar lacks, then refused by name; runs recorded before the rule roll it over', () => {
    const refused = computeAccessWindow(resource, { durationDays: null, endDate: '2027-02-30' }, now);
    assert.deepEqual(refused, {
      ok: false,
      reason: 'end date (end_date) 2027-02-30 does not exist: February 2027 has 28 days',
    });
    const rolled = computeAccessWindow(resource, { durationDays: null, endDate: '2027-02-30' }, now, {
      calendarRollover: true,
    });
    assert.equal(rolled.ok, true, 'the recorded behaviour: March 2');
  });
});
