// Proves how a permanent vendor refusal becomes an outcome: which failures count as one (non-retryable
// activity failures only), what the refusal records from the activity's details, and the note and summary
// an agent reads, with a remedy for each refusal type and every vendor value escaped.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import type { VendorFailureDetails } from '../../src/activities/failures';
import { failureMessage, failureType } from '../../src/workflows/shared/activity-proxies';
import { refusalOutcome } from '../../src/workflows/catalog-access/decisions';
import {
  refusalHtml,
  refusalSummary,
  vendorRefusal,
  type VendorRefusal,
} from '../../src/workflows/shared/vendor-refusal';

const details: VendorFailureDetails = {
  vendor: 'okta',
  status: 403,
  vendorCode: 'E0000006',
  summary: 'You do not have permission',
  requestId: 'r1',
  causes: [{ field: 'groupId', message: 'not allowed' }, { message: 'admin only' }],
  remedy: 'Give the API token the Group Admin role.',
};

function activityFailure(cause: Error | undefined, activityType = 'grantAccess'): ActivityFailure {
  return new ActivityFailure(
    'Activity task failed',
    activityType,
    '1',
    RetryState.NON_RETRYABLE_FAILURE,
    'worker',
    cause,
  );
}

const refusal = (over: Partial<VendorRefusal> = {}): VendorRefusal => ({
  vendor: 'okta',
  type: 'FORBIDDEN',
  activity: 'grantAccess',
  status: 403,
  vendorCode: 'E0000006',
  summary: 'You do not have permission',
  causes: [],
  remedy: null,
  ...over,
});

describe('vendorRefusal', () => {
  it('given a non-retryable activity failure with vendor details, then the refusal carries them all', () => {
    const err = activityFailure(
      ApplicationFailure.nonRetryable('okta POST /groups: forbidden', 'FORBIDDEN', details),
    );
    assert.deepEqual(vendorRefusal(err), {
      vendor: 'okta',
      type: 'FORBIDDEN',
      activity: 'grantAccess',
      status: 403,
      vendorCode: 'E0000006',
      summary: 'You do not have permission',
      causes: ['groupId: not allowed', 'admin only'],
      remedy: 'Give the API token the Group Admin role.',
    });
  });

  it('given a non-retryable failure without details, then the message and nulls stand in', () => {
    const err = activityFailure(ApplicationFailure.create({ message: 'bad input', nonRetryable: true }));
    assert.deepEqual(vendorRefusal(err), {
      vendor: null,
      type: 'UNKNOWN',
      activity: 'grantAccess',
      status: null,
      vendorCode: null,
      summary: 'bad input',
      causes: [],
      remedy: null,
    });
  });

  it('given a retryable failure, a plain error or an activity failure without an application cause, then none', () => {
    assert.equal(
      vendorRefusal(activityFailure(ApplicationFailure.retryable('later', 'RATE_LIMITED'))),
      undefined,
    );
    assert.equal(vendorRefusal(new Error('boom')), undefined);
    assert.equal(vendorRefusal(activityFailure(new Error('boom'))), undefined);
    assert.equal(vendorRefusal(ApplicationFailure.nonRetryable('x', 'FORBIDDEN')), undefined);
    // A failure that is not an activity's (a child workflow's, say) is no vendor refusal, whatever it wraps.
    const wrapped = ApplicationFailure.create({
      message: 'child failed',
      nonRetryable: true,
      cause: ApplicationFailure.nonRetryable('okta says no', 'FORBIDDEN', details),
    });
    assert.equal(vendorRefusal(wrapped), undefined);
    assert.equal(failureType(wrapped), undefined);
  });
});

describe('refusal texts', () => {
  it('given a refusal, when summarised, then vendor, status, type and code lead the summary', () => {
    assert.equal(
      refusalSummary(
        refusal({ vendor: 'freshservice', vendorCode: 'access_denied', summary: 'Access denied' }),
      ),
      'Freshservice answered 403 FORBIDDEN access_denied: Access denied',
    );
    assert.equal(
      refusalSummary(refusal({ vendor: null, status: null, vendorCode: '', summary: 'no' })),
      'The vendor answered FORBIDDEN: no',
    );
  });

  it('given a refusal with causes and a remedy, when noted, then the rows say what, why and what to do', () => {
    const html = refusalHtml(
      refusal({ causes: ['groupId: not allowed', 'admin only'], remedy: 'Ask <IT> & retry' }),
      'grant "Salesforce"',
    );
    assert.equal(
      html,
      '<p>Okta refused to grant &quot;Salesforce&quot;. access-bridge stopped here and left the ticket open for an agent.</p>' +
        '<ul><li><b>Refused step:</b> grant &quot;Salesforce&quot; (grantAccess)</li>' +
        '<li><b>Answer:</b> 403 FORBIDDEN</li>' +
        '<li><b>Reason:</b> E0000006 You do not have permission</li>' +
        '<li><b>Details:</b> groupId: not allowed; admin only</li>' +
        '<li><b>What to do:</b> Ask &lt;IT&gt; &amp; retry</li></ul>',
    );
  });

  it('given a refusal without status, code or summary, then the type stands in and no details row is added', () => {
    const html = refusalHtml(
      refusal({ vendor: 'acme', status: null, vendorCode: null, summary: '', type: 'NOT_FOUND' }),
      'add a note',
    );
    assert.match(html, /^<p>A vendor refused to add a note\./);
    assert.match(html, /<li><b>Answer:<\/b> NOT_FOUND<\/li>/);
    assert.match(html, /<li><b>Reason:<\/b> NOT_FOUND<\/li>/);
    assert.doesNotMatch(html, /Details/);
    assert.match(html, /The object no longer exists; check it and finish the request by hand\./);
  });

  it('given each refusal type without a remedy, when noted, then the generic next step fits the type', () => {
    const remedyOf = (over: Partial<VendorRefusal>) =>
      /What to do:<\/b> ([^<]*)</.exec(refusalHtml(refusal(over), 'grant'))?.[1];
    for (const type of ['FORBIDDEN', 'UNAUTHORIZED']) {
      assert.equal(
        remedyOf({ type }),
        'Check the permissions of access-bridge&#39;s Okta credentials, or make the change by hand.',
        type,
      );
    }
    assert.equal(
      remedyOf({ type: 'FORBIDDEN', vendor: 'freshservice' }),
      'Check the permissions of access-bridge&#39;s Freshservice credentials, or make the change by hand.',
    );
    assert.equal(
      remedyOf({ type: 'UNAUTHORIZED', vendor: null }),
      'Check the permissions of access-bridge&#39;s vendor credentials, or make the change by hand.',
    );
    for (const type of ['VALIDATION', 'CONFLICT', 'BAD_REQUEST']) {
      assert.equal(remedyOf({ type }), 'Correct the data named above and finish the request by hand.', type);
    }
    assert.equal(remedyOf({ type: 'SERVER_ERROR' }), 'Look at the request and finish it by hand.');
  });
});

describe('refusalOutcome', () => {
  it('given the refused activity, then a grant or revocation has its own outcome and any other is generic', () => {
    assert.equal(refusalOutcome(refusal({ activity: 'revokeAccess' })), 'revocation-refused');
    assert.equal(refusalOutcome(refusal({ activity: 'grantAccess' })), 'grant-refused');
    assert.equal(refusalOutcome(refusal({ activity: 'addNote' })), 'vendor-refused');
  });
});

describe('failureType and failureMessage', () => {
  it('given an activity failure with an application cause, then its type and message are the cause', () => {
    const err = activityFailure(ApplicationFailure.nonRetryable('okta says no', 'FORBIDDEN'));
    assert.equal(failureType(err), 'FORBIDDEN');
    assert.equal(failureMessage(err), 'okta says no');
  });

  it('given other errors, then no type, and the message of whatever was thrown', () => {
    assert.equal(failureType(activityFailure(new Error('plain'))), undefined);
    assert.equal(failureType(ApplicationFailure.nonRetryable('x', 'FORBIDDEN')), undefined);
    assert.equal(failureType(new Error('x')), undefined);
    assert.equal(failureMessage(activityFailure(new Error('inner'))), 'inner');
    assert.equal(failureMessage(activityFailure(undefined)), 'Activity task failed');
    assert.equal(failureMessage(new Error('outer')), 'outer');
    assert.equal(failureMessage('a string'), 'a string');
  });
});
