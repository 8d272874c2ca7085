// Proves the pure pieces of the catalog access flow: which landed Freshservice approval decides (a rejection
// outweighs an approval), the state a new request starts from and each level before it is asked, the
// inbox's redelivery dedupe (carried across continue-as-new), and "never" surviving JSON as null.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApprovalView } from '../../src/activities/freshservice/contract';
import { fromMs, toMs } from '../../src/workflows/catalog-access/carried-run';
import { landedDecision, SETTLED_BY_AGENT } from '../../src/workflows/catalog-access/decisions';
import { Inbox, initialState, pendingLevel } from '../../src/workflows/catalog-access/state';
import { ticketWords } from '../../src/workflows/shared/vendor-words';
import { ticketStanding } from '../../src/integrations/freshservice/codes';

const approval = (id: number, status: ApprovalView['status']): ApprovalView => ({
  id,
  approverId: 100 + id,
  approverName: `Approver ${id}`,
  status,
  remark: null,
  updatedAt: null,
});

describe('landedDecision', () => {
  it('given an approval and a later rejection, then the rejection decides', () => {
    const views = [approval(1, 'requested'), approval(2, 'approved'), approval(3, 'rejected')];
    assert.equal(landedDecision(views)?.id, 3);
  });

  it('given approvals only, then the first approval decides', () => {
    assert.equal(
      landedDecision([approval(1, 'cancelled'), approval(2, 'approved'), approval(3, 'approved')])?.id,
      2,
    );
  });

  it('given nothing decided, an empty list or no list, then no decision', () => {
    assert.equal(landedDecision([approval(1, 'requested'), approval(2, 'cancelled')]), undefined);
    assert.equal(landedDecision([]), undefined);
    assert.equal(landedDecision(undefined), undefined);
  });

  it('given ticket statuses, then only Resolved (4) and Closed (5) are settled by an agent', () => {
    const settled = [1, 2, 3, 4, 5, 6, 7].filter((status) => SETTLED_BY_AGENT.has(ticketWords({ status })));
    assert.deepEqual(settled, [4, 5]);
    // The activity's words win over the code: a view recorded before them reads the same from the code.
    assert.equal(SETTLED_BY_AGENT.has(ticketWords({ status: 2, standing: 'resolved' })), true);
  });
});

describe('ticketStanding', () => {
  it('given Freshservice status codes 2 to 5, then Open, Pending, Resolved and Closed in words', () => {
    assert.equal(ticketStanding(2), 'open');
    assert.equal(ticketStanding(3), 'pending');
    assert.equal(ticketStanding(4), 'resolved');
    assert.equal(ticketStanding(5), 'closed');
  });

  it('given a status an admin added (6 and up) or no documented one, then custom, never open', () => {
    for (const status of [6, 7, 42, 1, 0, -1, 2.5, Number.NaN]) {
      assert.equal(ticketStanding(status), 'custom', String(status));
    }
  });

  it('given a ticket view, then the activity’s words win and the code is read only without them', () => {
    assert.equal(ticketWords({ status: 3 }), 'pending');
    assert.equal(ticketWords({ status: 9 }), 'custom');
    assert.equal(ticketWords({ status: 2, standing: 'closed' }), 'closed');
  });
});

describe('catalog state', () => {
  it('given a policy level, when pending, then nothing is asked, reminded or escalated yet', () => {
    assert.deepEqual(pendingLevel({ index: 2, approver: 'owner', reason: 'approval chain level 2 of 2' }), {
      index: 2,
      approver: 'owner',
      reason: 'approval chain level 2 of 2',
      status: 'pending',
      approvers: [],
      approvalIds: [],
      remindersSent: 0,
      escalated: false,
      requestedAt: null,
    });
  });

  it('given a new ticket, when its state starts, then it is reading, first run, and nothing is known', () => {
    assert.deepEqual(initialState(42), {
      ticketId: 42,
      phase: 'reading',
      requester: { email: null, fsId: null },
      requestedFor: { email: null, name: null, oktaUserId: null, fsId: null },
      resource: { name: '', okta: null },
      justification: null,
      approvalChannel: null,
      oktaRequestId: null,
      levels: [],
      decisions: [],
      grant: { grantedAt: null, endAt: null, noticeSentFor: null, revokedAt: null, extensions: [] },
      eventsReceived: 0,
      duplicateEvents: 0,
      outcome: null,
      reason: null,
      refusal: null,
      runs: 1,
      bookkeepingRefused: [],
    });
  });
});

describe('Inbox', () => {
  it('given a fresh inbox, then nothing is waiting and no operator action is pending', () => {
    const inbox = new Inbox();
    assert.equal(inbox.approvalNudge, false);
    assert.equal(inbox.ticketNudge, false);
    assert.equal(inbox.oktaNudge, false);
    assert.equal(inbox.decision, null);
    assert.equal(inbox.decisionTaken, false);
    assert.equal(inbox.decisionRefused, null);
    assert.equal(inbox.cancel, null);
    assert.equal(inbox.cancelResult, null);
    assert.equal(inbox.extension, null);
    assert.equal(inbox.extensionResult, null);
    assert.equal(inbox.anyOperatorAction, false);
    assert.deepEqual(inbox.seenKeys(), []);
  });

  it('given an event key, when seen twice, then the second is a redelivery', () => {
    const inbox = new Inbox();
    assert.equal(inbox.firstTime('approval_changed:2026-11-22T10:00:00Z'), true);
    assert.equal(inbox.firstTime('approval_changed:2026-11-22T10:00:00Z'), false);
    assert.equal(inbox.firstTime('approval_changed:2026-11-22T10:05:00Z'), true);
    assert.deepEqual(inbox.seenKeys(), [
      'approval_changed:2026-11-22T10:00:00Z',
      'approval_changed:2026-11-22T10:05:00Z',
    ]);
  });

  it('given keys carried from the previous run, then a redelivery stays a duplicate', () => {
    const inbox = new Inbox(['a', 'b']);
    assert.equal(inbox.firstTime('a'), false);
    assert.equal(inbox.firstTime('c'), true);
    assert.deepEqual(inbox.seenKeys(), ['a', 'b', 'c']);
  });

  it('given any one operator action, then an operator action is pending', () => {
    const decided = new Inbox();
    decided.decision = { level: 1, decision: 'approved', approver: 'ops@acme.example' };
    assert.equal(decided.anyOperatorAction, true);
    const cancelled = new Inbox();
    cancelled.cancel = { requestedBy: 'ops@acme.example', reason: 'left' };
    assert.equal(cancelled.anyOperatorAction, true);
    const extended = new Inbox();
    extended.extension = { requestedBy: 'ops@acme.example', endAt: '2026-12-01' };
    assert.equal(extended.anyOperatorAction, true);
  });
});

describe('epoch ms across continue-as-new', () => {
  it('given null, then never (infinity); given infinity, then null; instants pass unchanged', () => {
    assert.equal(toMs(null), Number.POSITIVE_INFINITY);
    assert.equal(toMs(0), 0);
    assert.equal(toMs(1_700_000_000_000), 1_700_000_000_000);
    assert.equal(fromMs(Number.POSITIVE_INFINITY), null);
    assert.equal(fromMs(1_700_000_000_000), 1_700_000_000_000);
    assert.equal(fromMs(0), 0);
  });
});
