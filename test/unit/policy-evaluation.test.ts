// Proves the access policy's edges on a small policy of its own: every duration form and its rendering, each
// default a resource inherits, eligibility and account-status refusals with their reasons, SoD both ways,
// the approval plan's levels and reasons, the access window at its boundaries, and the validation messages
// an operator reads when the policy file is wrong.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkAccountStatus,
  checkEligibility,
  checkExtension,
  computeAccessWindow,
  DEFAULT_ELIGIBLE_ACCOUNT_STATUSES,
  describeApprover,
  findSodConflicts,
  formatDuration,
  parseAccessPolicy,
  parseDurationMs,
  planApprovals,
  ZAccessPolicy,
  resolveResource,
  sodRelatedResources,
  type EffectiveResource,
} from '../../src/policy/access';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const DAY = 24 * H;

const policy = parseAccessPolicy({
  defaults: {
    approvalChain: ['manager', 'managers-manager'],
    approvalChannel: 'okta',
    finalTicketStatus: 'closed',
    reminderInterval: '1d',
    escalationDelay: '3d',
    escalationTarget: { group: 'Helpdesk' },
    expiry: '7d',
    maxDuration: '90d',
    defaultDuration: '30d',
    noticeBefore: '2d',
    eligibleAccountStatuses: ['ACTIVE'],
  },
  resources: [
    { name: 'Wiki', okta: { type: 'app', label: 'Wiki' } },
    {
      name: 'Vault',
      okta: { type: 'group', name: 'Vault Users' },
      owner: { email: 'owner@acme.example' },
      approvalChain: ['owner', { group: 'Security' }],
      approvalChannel: 'freshservice',
      reminderInterval: '2h',
      escalationDelay: '6h',
      escalationTarget: 'managers-manager',
      expiry: '1d',
      maxDuration: '14d',
      defaultDuration: '1d',
      noticeBefore: '4h',
      extensionRequiresApproval: false,
      eligible: {
        departments: ['Engineering', 'IT'],
        groups: ['Vault Team'],
        accountStatuses: ['ACTIVE', 'LOCKED_OUT'],
      },
    },
    { name: 'Ledger', okta: { type: 'group', name: 'Ledger' } },
    { name: 'Payments', okta: { type: 'group', name: 'Payments' } },
    { name: 'Audit', okta: { type: 'group', name: 'Audit' } },
  ],
  sod: [
    { name: 'ledger vs payments', resources: ['Ledger', 'Payments'], action: 'block' },
    {
      name: 'payments vs audit',
      resources: ['payments', 'Audit'],
      action: 'extra-approval',
      approver: { email: 'cfo@acme.example' },
    },
    {
      name: 'audit trio',
      resources: ['Audit', 'Ledger', 'Wiki'],
      action: 'extra-approval',
      approver: 'owner',
    },
  ],
});

const must = <T>(v: T | undefined): T => {
  assert.ok(v !== undefined);
  return v;
};
const wiki = must(resolveResource(policy, 'Wiki'));
const vault = must(resolveResource(policy, 'Vault'));
const reasonOf = (v: { ok: true } | { ok: false; reason: string }) => (v.ok ? undefined : v.reason);

describe('parseDurationMs', () => {
  it('given every unit, case and spacing, then milliseconds', () => {
    assert.equal(parseDurationMs('30s'), 30 * S);
    assert.equal(parseDurationMs('15m'), 15 * M);
    assert.equal(parseDurationMs('4h'), 4 * H);
    assert.equal(parseDurationMs('3d'), 3 * DAY);
    assert.equal(parseDurationMs('2w'), 14 * DAY);
    assert.equal(parseDurationMs(' 2 H '), 2 * H);
    assert.equal(parseDurationMs('1.5h'), 90 * M);
    assert.equal(parseDurationMs('0.0004s'), 0);
  });

  it('given ISO 8601 durations, then each part counts', () => {
    assert.equal(parseDurationMs('P2W'), 14 * DAY);
    assert.equal(parseDurationMs('P1W2DT3H4M5S'), 9 * DAY + 3 * H + 4 * M + 5 * S);
    assert.equal(parseDurationMs('pt1.5s'), 1500);
    assert.equal(parseDurationMs(' PT10M '), 10 * M);
    assert.equal(parseDurationMs('PT0.0004S'), 0);
    assert.equal(parseDurationMs('P10W12D'), 82 * DAY);
    assert.equal(parseDurationMs('PT12H30M15S'), 12 * H + 30 * M + 15 * S);
  });

  it('given text that is no duration, then undefined', () => {
    for (const text of [
      '',
      'P',
      'PT',
      'P1DT',
      '5',
      'h',
      '5x',
      '5 days',
      '-5m',
      '1h30m',
      'P1H',
      'xP1D',
      'P1Dx',
      '3d soon',
      'soon 3d',
      ' P ',
      'PT ',
      'pt',
    ]) {
      assert.equal(parseDurationMs(text), undefined, JSON.stringify(text));
    }
  });
});

describe('formatDuration', () => {
  it('given milliseconds, then the largest units first, zero parts left out', () => {
    assert.equal(formatDuration(0), '0 ms');
    assert.equal(formatDuration(999), '999 ms');
    assert.equal(formatDuration(1000), '1s');
    assert.equal(formatDuration(3 * DAY + 4 * H), '3d 4h');
    assert.equal(formatDuration(DAY + H + M + S), '1d 1h 1m 1s');
    assert.equal(formatDuration(59 * S), '59s');
    assert.equal(formatDuration(90 * M), '1h 30m');
    assert.equal(formatDuration(1499), '1s');
    assert.equal(formatDuration(1500), '2s');
  });
});

describe('resolveResource', () => {
  it('given a resource with no settings, then every default applies', () => {
    assert.deepEqual(wiki, {
      name: 'Wiki',
      okta: { type: 'app', label: 'Wiki' },
      approvalChain: ['manager', 'managers-manager'],
      approvalChannel: 'okta',
      finalTicketStatus: 'closed',
      eligibleAccountStatuses: ['ACTIVE'],
      reminderInterval: DAY,
      escalationDelay: 3 * DAY,
      escalationTarget: { group: 'Helpdesk' },
      expiry: 7 * DAY,
      maxDuration: 90 * DAY,
      defaultDuration: 30 * DAY,
      noticeBefore: 2 * DAY,
      extensionRequiresApproval: true,
    });
  });

  it('given a resource with its own settings, then each wins over the default', () => {
    assert.equal(vault.approvalChannel, 'freshservice');
    assert.deepEqual(vault.approvalChain, ['owner', { group: 'Security' }]);
    assert.deepEqual(vault.eligibleAccountStatuses, ['ACTIVE', 'LOCKED_OUT']);
    assert.equal(vault.reminderInterval, 2 * H);
    assert.equal(vault.escalationDelay, 6 * H);
    assert.equal(vault.escalationTarget, 'managers-manager');
    assert.equal(vault.expiry, DAY);
    assert.equal(vault.maxDuration, 14 * DAY);
    assert.equal(vault.defaultDuration, DAY);
    assert.equal(vault.noticeBefore, 4 * H);
    assert.equal(vault.extensionRequiresApproval, false);
    assert.equal(vault.finalTicketStatus, 'closed');
  });

  it('given a name with other case and spaces, then it resolves; an unknown name does not', () => {
    assert.equal(resolveResource(policy, '  vAULT ')?.name, 'Vault');
    assert.equal(resolveResource(policy, 'Vaul'), undefined);
    assert.equal(resolveResource(policy, ''), undefined);
  });

  it('given a policy whose defaults say nothing of extensions, then extensions need approval', () => {
    const bare = parseAccessPolicy({
      defaults: {},
      resources: [{ name: 'A', okta: { type: 'group', name: 'A' } }],
    });
    assert.equal(resolveResource(bare, 'A')?.extensionRequiresApproval, true);
    const off = parseAccessPolicy({
      defaults: { extensionRequiresApproval: false },
      resources: [{ name: 'A', okta: { type: 'group', name: 'A' } }],
    });
    assert.equal(resolveResource(off, 'A')?.extensionRequiresApproval, false);
  });
});

describe('checkEligibility', () => {
  it('given no eligibility rule, then anyone may request', () => {
    assert.deepEqual(checkEligibility(wiki, { department: null, oktaGroups: [] }), { ok: true });
  });

  it('given a department rule, then the department is compared without case and an unknown one is refused', () => {
    assert.deepEqual(checkEligibility(vault, { department: 'engineering', oktaGroups: ['VAULT TEAM'] }), {
      ok: true,
    });
    assert.equal(
      reasonOf(checkEligibility(vault, { department: 'Sales', oktaGroups: ['Vault Team'] })),
      '"Vault" may be requested only by Engineering, IT (department: Sales)',
    );
    assert.equal(
      reasonOf(checkEligibility(vault, { department: null, oktaGroups: ['Vault Team'] })),
      '"Vault" may be requested only by Engineering, IT (department: unknown)',
    );
    assert.equal(
      reasonOf(checkEligibility(vault, { department: '', oktaGroups: ['Vault Team'] })),
      '"Vault" may be requested only by Engineering, IT (department: )',
    );
  });

  it('given a group rule, then membership of any listed group admits, none refuses', () => {
    assert.equal(
      reasonOf(checkEligibility(vault, { department: 'IT', oktaGroups: ['Everyone'] })),
      '"Vault" requires membership of one of: Vault Team',
    );
    assert.equal(
      reasonOf(checkEligibility(vault, { department: 'IT', oktaGroups: [] })),
      '"Vault" requires membership of one of: Vault Team',
    );
  });

  it('given several groups, then the refusal lists them all', () => {
    const twoGroups: EffectiveResource = { ...wiki, eligible: { groups: ['Vault Team', 'Security'] } };
    assert.equal(
      reasonOf(checkEligibility(twoGroups, { department: null, oktaGroups: [] })),
      '"Wiki" requires membership of one of: Vault Team, Security',
    );
    assert.deepEqual(checkEligibility(twoGroups, { department: null, oktaGroups: ['security'] }), {
      ok: true,
    });
  });

  it('given empty rule lists, then they admit anyone', () => {
    const open: EffectiveResource = { ...wiki, eligible: { departments: [], groups: [] } };
    assert.deepEqual(checkEligibility(open, { department: null, oktaGroups: [] }), { ok: true });
  });
});

describe('checkAccountStatus', () => {
  it('given an eligible status, then ok; another, then the reason names both', () => {
    assert.deepEqual(checkAccountStatus(vault, 'LOCKED_OUT'), { ok: true });
    assert.equal(
      reasonOf(checkAccountStatus(vault, 'SUSPENDED')),
      'the Okta account is SUSPENDED; "Vault" can be granted only to accounts that are ACTIVE, LOCKED_OUT',
    );
  });

  it('given a policy without account statuses, then the defaults admit signed-in and recoverable accounts', () => {
    const bare = parseAccessPolicy({
      defaults: {},
      resources: [{ name: 'A', okta: { type: 'group', name: 'A' } }],
    });
    assert.deepEqual(bare.defaults.eligibleAccountStatuses, DEFAULT_ELIGIBLE_ACCOUNT_STATUSES);
    assert.deepEqual([...DEFAULT_ELIGIBLE_ACCOUNT_STATUSES].sort(), [
      'ACTIVE',
      'LOCKED_OUT',
      'PASSWORD_EXPIRED',
      'RECOVERY',
    ]);
  });
});

describe('separation of duties', () => {
  it('given a resource in several rules, then every other resource of those rules is related, once', () => {
    assert.deepEqual(sodRelatedResources(policy, 'ledger'), ['Payments', 'Audit', 'Wiki']);
    assert.deepEqual(sodRelatedResources(policy, 'Audit'), ['payments', 'Ledger', 'Wiki']);
    assert.deepEqual(sodRelatedResources(policy, 'Vault'), []);
  });

  it('given held resources in any case, then each rule that applies is one conflict', () => {
    const conflicts = findSodConflicts(policy, 'PAYMENTS', ['ledger', 'AUDIT']);
    assert.deepEqual(
      conflicts.map((c) => [c.rule.name, c.heldResource]),
      [
        ['ledger vs payments', 'Ledger'],
        ['payments vs audit', 'Audit'],
      ],
    );
    assert.deepEqual(findSodConflicts(policy, 'Payments', ['Wiki', 'Vault']), []);
    assert.deepEqual(findSodConflicts(policy, 'Vault', ['Ledger']), []);
  });

  it('given the requested resource itself is held, then it is no conflict', () => {
    assert.deepEqual(findSodConflicts(policy, 'Ledger', ['Ledger']), []);
  });
});

describe('planApprovals', () => {
  it('given a chain, then one level per approver, numbered from 1, owner replaced by the owner', () => {
    assert.deepEqual(planApprovals(vault, []), {
      blockedBy: undefined,
      levels: [
        { index: 1, approver: { email: 'owner@acme.example' }, reason: 'approval chain level 1 of 2' },
        { index: 2, approver: { group: 'Security' }, reason: 'approval chain level 2 of 2' },
      ],
    });
  });

  it('given "owner" on a resource without an owner, then the level stays "owner"', () => {
    const ownerless: EffectiveResource = { ...wiki, approvalChain: ['owner'] };
    assert.deepEqual(
      planApprovals(ownerless, []).levels.map((l) => l.approver),
      ['owner'],
    );
  });

  it('given a blocking conflict among others, then the plan is blocked with no levels', () => {
    const conflicts = findSodConflicts(policy, 'Payments', ['Audit', 'Ledger']);
    const plan = planApprovals(must(resolveResource(policy, 'Payments')), conflicts);
    assert.equal(plan.blockedBy?.rule.name, 'ledger vs payments');
    assert.deepEqual(plan.levels, []);
  });

  it('given extra-approval conflicts, then a level per conflict follows the chain with its reason', () => {
    const conflicts = findSodConflicts(policy, 'Audit', ['Payments', 'Wiki']);
    const plan = planApprovals(must(resolveResource(policy, 'Audit')), conflicts);
    assert.deepEqual(plan.levels, [
      { index: 1, approver: 'manager', reason: 'approval chain level 1 of 4' },
      { index: 2, approver: 'managers-manager', reason: 'approval chain level 2 of 4' },
      {
        index: 3,
        approver: { email: 'cfo@acme.example' },
        reason: 'separation of duties "payments vs audit": already holds payments',
      },
      { index: 4, approver: 'owner', reason: 'separation of duties "audit trio": already holds Wiki' },
    ]);
  });

  it('given an extra-approval rule without an approver, then no level is added', () => {
    const rule = { name: 'r', resources: ['Wiki', 'Vault'], action: 'extra-approval' as const };
    const plan = planApprovals(wiki, [{ rule, heldResource: 'Vault' }]);
    assert.equal(plan.levels.length, 2);
  });
});

describe('describeApprover', () => {
  it('given each kind of approver, then how a note names it', () => {
    assert.equal(describeApprover('manager'), 'reporting manager');
    assert.equal(describeApprover('managers-manager'), "manager's manager");
    assert.equal(describeApprover('owner'), 'resource owner');
    assert.equal(describeApprover({ email: 'a@acme.example' }), 'a@acme.example');
    assert.equal(describeApprover({ group: 'Security' }), 'agent group "Security"');
  });
});

describe('computeAccessWindow', () => {
  const t0 = Date.UTC(2026, 10, 1, 12, 0, 0);

  it('given an end date-time, then access ends then; at or before the grant it is refused', () => {
    assert.deepEqual(computeAccessWindow(vault, { endDate: '2026-11-03T08:00:00Z' }, t0), {
      ok: true,
      endAtMs: Date.UTC(2026, 10, 3, 8),
      note: undefined,
    });
    assert.equal(
      reasonOf(computeAccessWindow(vault, { endDate: '2026-11-01T12:00:00Z' }, t0)),
      'end date 2026-11-01T12:00:00Z is in the past',
    );
    assert.equal(computeAccessWindow(vault, { endDate: '2026-11-01T12:00:01Z' }, t0).ok, true);
  });

  it('given a bare end date, then the end of that day UTC; the grant day itself still counts', () => {
    const sameDay = computeAccessWindow(vault, { endDate: ' 2026-11-01 ' }, t0);
    assert.deepEqual(sameDay, { ok: true, endAtMs: Date.UTC(2026, 10, 1, 23, 59, 59), note: undefined });
    assert.equal(
      reasonOf(computeAccessWindow(vault, { endDate: '2026-10-31' }, t0)),
      'end date 2026-10-31 is in the past',
    );
  });

  it('given a date-time that only ends like a bare date, then it is that instant, not the end of the day', () => {
    assert.deepEqual(computeAccessWindow(vault, { endDate: '+002026-11-03' }, t0), {
      ok: true,
      endAtMs: Date.UTC(2026, 10, 3),
      note: undefined,
    });
  });

  it('given an end date that is no date, then refused; an end date wins over a duration', () => {
    assert.equal(
      reasonOf(computeAccessWindow(vault, { endDate: 'next friday' }, t0)),
      'end date "next friday" is not a date',
    );
    const both = computeAccessWindow(vault, { endDate: '2026-11-02T12:00:00Z', durationDays: 5 }, t0);
    assert.ok(both.ok);
    assert.equal(both.endAtMs, t0 + DAY);
  });

  it('given days, then from the grant; zero or negative days are refused', () => {
    assert.deepEqual(computeAccessWindow(vault, { durationDays: 3 }, t0), {
      ok: true,
      endAtMs: t0 + 3 * DAY,
      note: undefined,
    });
    assert.equal(
      reasonOf(computeAccessWindow(vault, { durationDays: 0 }, t0)),
      'duration 0 days is not positive',
    );
    assert.equal(
      reasonOf(computeAccessWindow(vault, { durationDays: -2 }, t0)),
      'duration -2 days is not positive',
    );
    assert.equal(
      reasonOf(computeAccessWindow(vault, { durationDays: Number.NaN }, t0)),
      'duration NaN days is not positive',
    );
  });

  it('given nothing asked, then the default duration; null fields count as not asked', () => {
    assert.deepEqual(computeAccessWindow(vault, { durationDays: null, endDate: null }, t0), {
      ok: true,
      endAtMs: t0 + DAY,
      note: undefined,
    });
  });

  it('given a window past the maximum, then it is shortened to the maximum with a note; exactly the maximum is kept', () => {
    assert.deepEqual(computeAccessWindow(vault, { durationDays: 20 }, t0), {
      ok: true,
      endAtMs: t0 + 14 * DAY,
      note: 'shortened to the maximum of 14d',
    });
    assert.deepEqual(computeAccessWindow(vault, { durationDays: 14 }, t0), {
      ok: true,
      endAtMs: t0 + 14 * DAY,
      note: undefined,
    });
  });

  it('given no end at all and a maximum, then the maximum with a note; without a maximum, permanent', () => {
    const noDefault: EffectiveResource = { ...vault, defaultDuration: undefined };
    assert.deepEqual(computeAccessWindow(noDefault, {}, t0), {
      ok: true,
      endAtMs: t0 + 14 * DAY,
      note: 'permanent access is not allowed; granted for 14d',
    });
    assert.deepEqual(computeAccessWindow({ ...noDefault, maxDuration: undefined }, {}, t0), {
      ok: true,
      endAtMs: null,
      note: undefined,
    });
  });
});

describe('checkExtension', () => {
  const granted = Date.UTC(2026, 10, 1);
  const now = granted + DAY;

  it('given an end in the past or now, then refused', () => {
    assert.equal(reasonOf(checkExtension(vault, granted, now, now)), 'the new end must be in the future');
    assert.equal(reasonOf(checkExtension(vault, granted, now - 1, now)), 'the new end must be in the future');
  });

  it('given an end up to the maximum from the grant, then ok; past it, refused with the maximum', () => {
    assert.deepEqual(checkExtension(vault, granted, granted + 14 * DAY, now), { ok: true });
    assert.equal(
      reasonOf(checkExtension(vault, granted, granted + 14 * DAY + 1, now)),
      '"Vault" may be held for at most 14d from the grant',
    );
    assert.deepEqual(
      checkExtension({ ...vault, maxDuration: undefined }, granted, granted + 400 * DAY, now),
      { ok: true },
    );
  });
});

describe('parseAccessPolicy', () => {
  const one = { name: 'A', okta: { type: 'group', name: 'A' } };

  it('given only resources, then every default is filled', () => {
    const p = parseAccessPolicy({ defaults: {}, resources: [one] });
    assert.deepEqual(p.defaults, {
      approvalChain: ['manager'],
      approvalChannel: 'freshservice',
      finalTicketStatus: 'resolved',
      eligibleAccountStatuses: ['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY'],
    });
    assert.deepEqual(p.sod, []);
    assert.deepEqual(p.oktaRequests, {
      pollInterval: H,
      revocationGrace: DAY,
      finalTicketStatus: 'resolved',
      ticketPriority: 'medium',
    });
  });

  it('given Okta-request settings, then durations are parsed and missing ones defaulted', () => {
    const p = parseAccessPolicy({
      defaults: {},
      resources: [one],
      oktaRequests: { pollInterval: '15m' },
    });
    assert.deepEqual(p.oktaRequests, {
      pollInterval: 15 * M,
      revocationGrace: DAY,
      finalTicketStatus: 'resolved',
      ticketPriority: 'medium',
    });
  });

  it('given zero or unreadable durations, then the message names the field and the accepted forms', () => {
    assert.throws(
      () => parseAccessPolicy({ defaults: { expiry: '0s', noticeBefore: 'soon' }, resources: [one] }),
      {
        message:
          'Invalid access policy:\n' +
          '  - defaults.expiry: expiry must be a duration like 30s, 15m, 4h, 3d, 2w or P7D\n' +
          '  - defaults.noticeBefore: noticeBefore must be a duration like 30s, 15m, 4h, 3d, 2w or P7D',
      },
    );
  });

  it('given every duration field unreadable, then each message names its own field', () => {
    const fields = [
      'reminderInterval',
      'escalationDelay',
      'expiry',
      'maxDuration',
      'defaultDuration',
      'noticeBefore',
    ];
    const bad = Object.fromEntries(fields.map((f) => [f, 'later']));
    assert.throws(
      () =>
        parseAccessPolicy({
          defaults: bad,
          resources: [{ ...one, ...bad }],
          oktaRequests: { pollInterval: 'later', revocationGrace: 'later' },
        }),
      (err: Error) => {
        const lines = err.message.split('\n').slice(1);
        const expected = [
          ...fields.map((f) => `defaults.${f}: ${f} must`),
          ...fields.map((f) => `resources.0.${f}: ${f} must`),
          'oktaRequests.pollInterval: pollInterval must',
          'oktaRequests.revocationGrace: revocationGrace must',
        ];
        assert.deepEqual(
          lines.map((l) =>
            l.replace(/ be a duration like 30s, 15m, 4h, 3d, 2w or P7D$/, '').replace(/^ {2}- /, ''),
          ),
          expected,
        );
        return true;
      },
    );
  });

  it('given every allowed channel, status, priority and account status, then the policy parses them', () => {
    const statuses = [
      'STAGED',
      'PROVISIONED',
      'ACTIVE',
      'RECOVERY',
      'PASSWORD_EXPIRED',
      'LOCKED_OUT',
      'SUSPENDED',
      'DEPROVISIONED',
    ];
    const p = parseAccessPolicy({
      defaults: { eligibleAccountStatuses: statuses },
      resources: [
        { ...one, approvalChannel: 'okta' },
        { name: 'B', okta: { type: 'app', label: 'B' }, approvalChannel: 'freshservice' },
      ],
      oktaRequests: { finalTicketStatus: 'closed', ticketPriority: 'low' },
    });
    assert.deepEqual(p.defaults.eligibleAccountStatuses, statuses);
    assert.deepEqual(
      p.resources.map((r) => r.approvalChannel),
      ['okta', 'freshservice'],
    );
    assert.equal(p.oktaRequests.finalTicketStatus, 'closed');
    for (const ticketPriority of ['low', 'medium', 'high', 'urgent']) {
      const q = parseAccessPolicy({ defaults: {}, resources: [one], oktaRequests: { ticketPriority } });
      assert.equal(q.oktaRequests.ticketPriority, ticketPriority);
    }
    assert.throws(() =>
      parseAccessPolicy({ defaults: {}, resources: [one], oktaRequests: { ticketPriority: 'asap' } }),
    );
  });

  it('given policy rule violations, then each is a custom issue, as callers of the schema see them', () => {
    const result = ZAccessPolicy.safeParse({
      defaults: { expiry: 'later' },
      resources: [
        { ...one, approvalChain: ['owner'] },
        { name: 'a', okta: { type: 'group', name: 'A2' } },
      ],
      sod: [{ name: 's', resources: ['A', 'Nope'], action: 'extra-approval' }],
    });
    assert.deepEqual(
      result.error?.issues.map((i) => [i.path.join('.'), i.code]),
      [['defaults.expiry', 'custom']],
    );
    const rules = ZAccessPolicy.safeParse({
      defaults: {},
      resources: [
        { ...one, approvalChain: ['owner'] },
        { name: 'a', okta: { type: 'group', name: 'A2' } },
      ],
      sod: [{ name: 's', resources: ['A', 'Nope'], action: 'extra-approval' }],
    });
    assert.deepEqual(
      rules.error?.issues.map((i) => [i.path.join('.'), i.code]),
      [
        ['resources.0.owner', 'custom'],
        ['resources.1.name', 'custom'],
        ['sod.0.resources.1', 'custom'],
        ['sod.0.approver', 'custom'],
      ],
    );
  });

  it('given a problem at the root, then the message says (root) and names the source', () => {
    assert.throws(
      () => parseAccessPolicy('nope', 'policy.yaml'),
      (err: Error) => {
        assert.match(err.message, /^Invalid policy\.yaml:\n {2}- \(root\): /);
        return true;
      },
    );
  });

  it('given unknown keys, empty lists or one-resource SoD, then each is refused', () => {
    const pathsOf = (raw: unknown) => {
      try {
        parseAccessPolicy(raw);
        return [];
      } catch (err) {
        return [...(err as Error).message.matchAll(/^ {2}- ([^:]+):/gm)].map((m) => m[1]);
      }
    };
    assert.deepEqual(pathsOf({ defaults: {}, resources: [] }), ['resources']);
    assert.deepEqual(pathsOf({ defaults: { colour: 'red' }, resources: [one] }), ['defaults']);
    assert.deepEqual(pathsOf({ defaults: {}, resources: [{ ...one, approvalChain: [] }] }), [
      'resources.0.approvalChain',
    ]);
    assert.deepEqual(
      pathsOf({ defaults: {}, resources: [one], sod: [{ name: 's', resources: ['A'], action: 'block' }] }),
      ['sod.0.resources'],
    );
    assert.deepEqual(pathsOf({ defaults: { eligibleAccountStatuses: [] }, resources: [one] }), [
      'defaults.eligibleAccountStatuses',
    ]);
  });

  it('given "owner" in the default chain, then each resource without an owner is named', () => {
    assert.throws(
      () =>
        parseAccessPolicy({
          defaults: { approvalChain: ['owner'] },
          resources: [one, { name: 'B', okta: { type: 'app', label: 'B' }, owner: 'manager' }],
        }),
      {
        message:
          'Invalid access policy:\n  - resources.0.owner: "A" has "owner" in its approval chain but no owner',
      },
    );
  });

  it('given SoD rules that refer well, then they parse; names match without case', () => {
    const p = parseAccessPolicy({
      defaults: {},
      resources: [one, { name: 'B', okta: { type: 'app', label: 'B' } }],
      sod: [{ name: 's', resources: ['a', 'b'], action: 'extra-approval', approver: 'manager' }],
    });
    assert.equal(p.sod.length, 1);
  });

  it('given duplicate names and bad SoD references, then each message says what is wrong', () => {
    assert.throws(
      () =>
        parseAccessPolicy({
          defaults: {},
          resources: [one, { name: 'a', okta: { type: 'group', name: 'A2' } }],
          sod: [{ name: 's', resources: ['A', 'Nope'], action: 'extra-approval' }],
        }),
      {
        message:
          'Invalid access policy:\n' +
          '  - resources.1.name: duplicate resource "a"\n' +
          '  - sod.0.resources.1: unknown resource "Nope"\n' +
          '  - sod.0.approver: extra-approval needs an approver',
      },
    );
  });
});
