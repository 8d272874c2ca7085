// Proves the access policy: the shipped file validates, bad files name the failing path, and the pure
// evaluation (eligibility, separation of duties, approval plan, access window, extension) decides as an
// IT engineer would expect.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadAccessPolicyFile } from '../../src/config/policy-file';
import {
  checkEligibility,
  checkExtension,
  computeAccessWindow,
  findSodConflicts,
  parseAccessPolicy,
  parseDurationMs,
  planApprovals,
  resolveResource,
  sodRelatedResources,
  type TAccessPolicy,
} from '../../src/policy/access';

const DAY = 86_400_000;
const policy: TAccessPolicy = loadAccessPolicyFile(
  join(__dirname, '..', '..', 'config', 'access-policy.yaml'),
);
const must = <T>(v: T | undefined): T => {
  assert.ok(v !== undefined);
  return v;
};

describe('durations', () => {
  it('given short and ISO forms, when parsed, then they are milliseconds', () => {
    assert.equal(parseDurationMs('30s'), 30_000);
    assert.equal(parseDurationMs('15m'), 900_000);
    assert.equal(parseDurationMs('4h'), 4 * 3_600_000);
    assert.equal(parseDurationMs('2w'), 14 * DAY);
    assert.equal(parseDurationMs('P7D'), 7 * DAY);
    assert.equal(parseDurationMs('PT30S'), 30_000);
    assert.equal(parseDurationMs('P1DT12H'), 1.5 * DAY);
    assert.equal(parseDurationMs('soon'), undefined);
    assert.equal(parseDurationMs('PT'), undefined);
  });
});

describe('policy file', () => {
  it('given the shipped policy, when loaded, then its durations are numbers and defaults filled', () => {
    assert.equal(policy.defaults.expiry, 7 * DAY);
    assert.equal(policy.defaults.approvalChannel, 'freshservice');
    assert.ok(policy.resources.length >= 5);
  });

  it('given malformed fields, when parsed, then each failing path is named', () => {
    assert.throws(
      () =>
        parseAccessPolicy({
          defaults: { expiry: 'whenever', approvalChain: ['the boss'] },
          resources: [{ name: 'A', okta: { type: 'role', name: 'A' } }],
        }),
      (err: Error) => {
        for (const path of ['defaults.expiry', 'defaults.approvalChain.0', 'resources.0.okta']) {
          assert.ok(err.message.includes(path), `${path} in ${err.message}`);
        }
        return true;
      },
    );
  });

  it('given well-formed but inconsistent rules, when parsed, then each cross-reference is named', () => {
    assert.throws(
      () =>
        parseAccessPolicy({
          defaults: {},
          resources: [
            { name: 'A', okta: { type: 'group', name: 'A' }, approvalChain: ['owner'] },
            { name: 'a', okta: { type: 'group', name: 'A2' } },
          ],
          sod: [{ name: 'x', resources: ['A', 'Nope'], action: 'extra-approval' }],
        }),
      (err: Error) => {
        for (const path of ['resources.0.owner', 'resources.1.name', 'sod.0.resources.1', 'sod.0.approver']) {
          assert.ok(err.message.includes(path), `${path} in ${err.message}`);
        }
        return true;
      },
    );
  });
});

describe('evaluation', () => {
  it('given a resource name in any case, when resolved, then resource values win over defaults', () => {
    const r = must(resolveResource(policy, 'github admins'));
    assert.equal(r.name, 'GitHub Admins');
    assert.equal(r.maxDuration, 30 * DAY);
    assert.equal(r.expiry, 7 * DAY);
    assert.deepEqual(r.approvalChain, ['manager', 'owner']);
    assert.equal(resolveResource(policy, 'Unknown thing'), undefined);
  });

  it('given department and group rules, when checked, then outsiders are refused with a reason', () => {
    const github = must(resolveResource(policy, 'GitHub Enterprise'));
    assert.deepEqual(checkEligibility(github, { department: 'engineering', oktaGroups: [] }), { ok: true });
    const refused = checkEligibility(github, { department: 'Sales', oktaGroups: [] });
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? refused.reason : '', /Engineering, IT.*Sales/);
    const admins = must(resolveResource(policy, 'GitHub Admins'));
    assert.equal(
      checkEligibility(admins, { department: 'Sales', oktaGroups: ['Everyone at Acme'] }).ok,
      false,
    );
    assert.equal(checkEligibility(admins, { department: 'Sales', oktaGroups: ['IT Admins'] }).ok, true);
  });

  it('given a blocking SoD pair, when the person holds the other side, then the plan is blocked', () => {
    assert.deepEqual(sodRelatedResources(policy, 'Payments Submitters'), ['Finance Approvers']);
    const conflicts = findSodConflicts(policy, 'Payments Submitters', ['Finance Approvers']);
    const plan = planApprovals(must(resolveResource(policy, 'Payments Submitters')), conflicts);
    assert.equal(plan.blockedBy?.rule.name, 'Payments segregation');
    assert.deepEqual(plan.levels, []);
  });

  it('given an extra-approval SoD rule, when it applies, then a level is added after the chain', () => {
    const conflicts = findSodConflicts(policy, 'AWS Production', ['GitHub Admins']);
    const plan = planApprovals(must(resolveResource(policy, 'AWS Production')), conflicts);
    assert.equal(plan.blockedBy, undefined);
    assert.deepEqual(
      plan.levels.map((l) => l.approver),
      ['manager', { email: 'linus.torvalds@acme.example' }, { group: 'Security' }],
    );
    assert.match(plan.levels[2]?.reason ?? '', /separation of duties/);
  });

  it('given no conflicts, when planned, then "owner" resolves to the resource owner', () => {
    const plan = planApprovals(must(resolveResource(policy, 'NetSuite')), []);
    assert.deepEqual(
      plan.levels.map((l) => l.approver),
      ['manager', { email: 'katherine.johnson@acme.example' }],
    );
  });

  it('given requested durations, when the window is computed, then maximum and defaults apply', () => {
    const admins = must(resolveResource(policy, 'GitHub Admins'));
    const t0 = Date.UTC(2026, 10, 1);
    assert.deepEqual(computeAccessWindow(admins, {}, t0), {
      ok: true,
      endAtMs: t0 + 7 * DAY,
      note: undefined,
    });
    const capped = computeAccessWindow(admins, { durationDays: 90 }, t0);
    assert.ok(capped.ok && capped.endAtMs === t0 + 30 * DAY && /maximum of 30d/.test(capped.note ?? ''));
    const byDate = computeAccessWindow(admins, { endDate: '2026-11-03' }, t0);
    assert.ok(byDate.ok && byDate.endAtMs === Date.UTC(2026, 10, 3, 23, 59, 59));
    assert.equal(computeAccessWindow(admins, { endDate: '2026-10-01' }, t0).ok, false);
    const salesforce = must(resolveResource(policy, 'Salesforce'));
    const permanent = computeAccessWindow({ ...salesforce, maxDuration: undefined }, {}, t0);
    assert.deepEqual(permanent, { ok: true, endAtMs: null, note: undefined });
  });

  it('given an extension, when checked, then the maximum counts from the original grant', () => {
    const admins = must(resolveResource(policy, 'GitHub Admins'));
    const granted = Date.UTC(2026, 10, 1);
    assert.equal(checkExtension(admins, granted, granted + 20 * DAY, granted + DAY).ok, true);
    assert.equal(checkExtension(admins, granted, granted + 40 * DAY, granted + DAY).ok, false);
    assert.equal(checkExtension(admins, granted, granted, granted + DAY).ok, false);
  });
});
