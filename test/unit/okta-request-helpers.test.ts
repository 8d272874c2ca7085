// Proves the pure parts of the OIG-request flow: how every Okta status and grant status is classified, what
// the ticket's description and notes say (every value HTML-escaped, plain text stripped of control
// characters), and which catalog ticket a request belongs to (only a trailing marker on our own request).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AccessRequestView, OktaPerson } from '../../src/activities/okta/contract';
import { escapeHtml, formatInstant, htmlList } from '../../src/workflows/shared/format';
import { catalogOwnerOf } from '../../src/workflows/okta-access-request/forwarding';
import {
  PENDING_NOTE,
  agentSettledMessage,
  decisionNote,
  grantFailedMessage,
  grantFailedNote,
  grantManualNote,
  grantedNote,
  plainText,
  refusedMessage,
  requestGoneNote,
  resourceLabel,
  revocationFailedNote,
  revocationOverdueNote,
  revocationScheduledNote,
  revokedNote,
  ticketDescription,
  ticketLinkMessage,
  ticketSubject,
  unknownStatusNote,
} from '../../src/workflows/okta-access-request/notes';
import {
  OKTA_USER_STATUSES,
  OPEN_STATUSES,
  accessRequestStanding,
  accountDeprovisioned,
  awaitingApproval,
  decidedOutcome,
  grantStanding,
  requestStanding,
  revocationFailed,
} from '../../src/integrations/okta/codes';
import type { VendorRefusal } from '../../src/workflows/shared/vendor-refusal';
import { requestWords } from '../../src/workflows/shared/vendor-words';

const request = (over: Partial<AccessRequestView> = {}): AccessRequestView => ({
  id: 'reqAbc',
  version: 'v2',
  status: 'APPROVED',
  requestedForId: '00u1',
  requestedById: '00u1',
  resource: { type: 'APP', id: '0oa1', name: 'Salesforce' },
  catalogEntryId: 'cen1',
  justification: 'quarterly report',
  accessDuration: 'P7D',
  decisions: [],
  grantStatus: 'GRANTED',
  granted: '2026-11-22T14:05:09.000Z',
  revocationStatus: null,
  revoked: null,
  revocationScheduled: null,
  resolved: '2026-11-22T14:00:00.000Z',
  created: '2026-11-21T09:00:00.000Z',
  lastUpdated: '2026-11-22T14:06:00.000Z',
  fields: [],
  link: 'https://acme.okta.example/requests/reqAbc',
  ...over,
});

const person = (name: string, email: string): OktaPerson => ({
  id: `00u-${name}`,
  login: email,
  email,
  displayName: name,
  status: 'ACTIVE',
  department: null,
  managerRef: null,
});

/** The label/value rows of the first `<ul>` in a note, unescaped only as far as the test needs. */
const rowsOf = (html: string) =>
  [...html.matchAll(/<li><b>([^<]*):<\/b> ([^<]*)<\/li>/g)].map((m) => [m[1], m[2]] as const);

describe('format helpers', () => {
  it('given markup characters, when escaped, then each becomes its entity', () => {
    assert.equal(
      escapeHtml(`<a href="x">Tom & Jerry's</a>`),
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
    assert.equal(escapeHtml('&&<<>>""\'\''), '&amp;&amp;&lt;&lt;&gt;&gt;&quot;&quot;&#39;&#39;');
  });

  it('given rows, when listed, then labels and values are escaped inside one list', () => {
    assert.equal(
      htmlList([
        ['A<b>', 'x&y'],
        ['B', 'z'],
      ]),
      '<ul><li><b>A&lt;b&gt;:</b> x&amp;y</li><li><b>B:</b> z</li></ul>',
    );
    assert.equal(htmlList([]), '<ul></ul>');
  });

  it('given instants, when formatted, then minutes in UTC; anything else unchanged', () => {
    assert.equal(formatInstant('2026-11-22T14:05:09.123Z'), '2026-11-22 14:05 UTC');
    assert.equal(formatInstant('2026-11-22T14:05:09Z'), '2026-11-22 14:05 UTC');
    assert.equal(formatInstant(Date.UTC(2026, 10, 22, 14, 5, 9)), '2026-11-22 14:05 UTC');
    assert.equal(formatInstant('not a date'), 'not a date');
    assert.equal(formatInstant(Number.NaN), 'NaN');
  });
});

describe('requestStanding', () => {
  it('given each open status, then the request is open', () => {
    assert.deepEqual([...OPEN_STATUSES].sort(), ['LOCKED', 'OPEN', 'PENDING', 'SUBMITTED']);
    for (const status of OPEN_STATUSES) assert.deepEqual(requestStanding(status), { kind: 'open' }, status);
  });

  it('given each ending status, then the outcome it means', () => {
    const cases: [string, string][] = [
      ['APPROVED', 'approved'],
      ['DENIED', 'denied'],
      ['REJECTED', 'denied'],
      ['CANCELED', 'cancelled'],
      ['EXPIRED', 'expired'],
      ['RESOLVED', 'cancelled'],
    ];
    for (const [status, outcome] of cases) {
      assert.deepEqual(requestStanding(status), { kind: 'ended', outcome }, status);
    }
  });

  it('given a status the product does not know, then unknown (never open)', () => {
    assert.deepEqual(requestStanding('ARCHIVED'), { kind: 'unknown' });
    assert.deepEqual(requestStanding('approved'), { kind: 'unknown' });
  });

  it('given a status named like an Object.prototype member, then unknown, not a function taken for an outcome', () => {
    for (const status of ['toString', 'constructor', 'valueOf', 'hasOwnProperty', '__proto__']) {
      assert.deepEqual(requestStanding(status), { kind: 'unknown' }, status);
    }
  });
});

describe('grantStanding', () => {
  it('given each grant status, then where the grant stands', () => {
    const of = (grantStatus: string | null, version: 'v1' | 'v2' = 'v2') =>
      grantStanding({ grantStatus, version });
    assert.equal(of(null, 'v1'), 'none');
    assert.equal(of(null, 'v2'), 'pending');
    assert.equal(of('PENDING'), 'pending');
    assert.equal(of('GRANTED'), 'granted');
    assert.equal(of('FAILED'), 'failed');
    assert.equal(of('MANUAL_REQUIRED'), 'manual');
    assert.equal(of('PARTIAL'), 'unknown');
  });
});

describe('what each request status states', () => {
  // Okta's v2 `status` and v1 `requestStatus` values (API-CONTRACTS.md), and what each means for the flow: the
  // decision the status itself states (v1's RESOLVED states none), and whether the approvers are being asked.
  const table: [status: string, decided: string | undefined, awaiting: boolean][] = [
    ['SUBMITTED', undefined, false],
    ['PENDING', undefined, true],
    ['OPEN', undefined, false],
    ['LOCKED', undefined, false],
    ['APPROVED', 'approved', false],
    ['DENIED', 'denied', false],
    ['REJECTED', 'denied', false],
    ['CANCELED', 'cancelled', false],
    ['EXPIRED', 'expired', false],
    ['RESOLVED', undefined, false],
  ];

  it('given each status Okta reports, then the decision it states and whether it waits on approvers', () => {
    for (const [status, decided, awaiting] of table) {
      assert.equal(decidedOutcome(status), decided, `${status} decided`);
      assert.equal(awaitingApproval(status), awaiting, `${status} awaiting approval`);
    }
  });

  it('given a status the product does not know, then it states no decision and waits on nobody', () => {
    for (const status of ['ARCHIVED', 'approved', 'pending', '', 'toString', 'constructor', '__proto__']) {
      assert.equal(decidedOutcome(status), undefined, status);
      assert.equal(awaitingApproval(status), false, status);
    }
  });

  it('given the three status fields, then their words together', () => {
    assert.deepEqual(
      accessRequestStanding({ status: 'PENDING', version: 'v2', grantStatus: null, revocationStatus: null }),
      {
        request: { kind: 'open' },
        decided: null,
        awaitingApproval: true,
        grant: 'pending',
        revocationFailed: false,
      },
    );
    assert.deepEqual(
      accessRequestStanding({ status: 'RESOLVED', version: 'v1', grantStatus: null, revocationStatus: null }),
      {
        request: { kind: 'ended', outcome: 'cancelled' },
        decided: null,
        awaitingApproval: false,
        grant: 'none',
        revocationFailed: false,
      },
    );
    assert.deepEqual(
      accessRequestStanding({
        status: 'EXPIRED',
        version: 'v2',
        grantStatus: 'MANUAL_REQUIRED',
        revocationStatus: 'REVOKED',
      }),
      {
        request: { kind: 'ended', outcome: 'expired' },
        decided: 'expired',
        awaitingApproval: false,
        grant: 'manual',
        revocationFailed: false,
      },
    );
  });
});

describe('revocationFailed', () => {
  it('given each revocation status, then only FAILED means Okta could not take the access away', () => {
    assert.equal(revocationFailed({ revocationStatus: 'FAILED' }), true);
    for (const revocationStatus of ['PENDING', 'REVOKED', 'failed', null]) {
      assert.equal(revocationFailed({ revocationStatus }), false, String(revocationStatus));
    }
  });
});

describe('Okta user statuses', () => {
  it('given the statuses Okta documents, then the list holds exactly those', () => {
    assert.deepEqual(
      [...OKTA_USER_STATUSES],
      [
        'STAGED',
        'PROVISIONED',
        'ACTIVE',
        'RECOVERY',
        'PASSWORD_EXPIRED',
        'LOCKED_OUT',
        'SUSPENDED',
        'DEPROVISIONED',
      ],
    );
  });

  it('given each status, then only DEPROVISIONED is a deprovisioned account', () => {
    const deprovisioned = OKTA_USER_STATUSES.filter((status) => accountDeprovisioned(status));
    assert.deepEqual(deprovisioned, ['DEPROVISIONED']);
    assert.equal(accountDeprovisioned('deprovisioned'), false);
    assert.equal(accountDeprovisioned(''), false);
  });
});

describe('requestWords', () => {
  it('given a view without words (recorded before the activity gave them), then the words come from its codes', () => {
    const words = requestWords(
      request({ status: 'APPROVED', grantStatus: 'GRANTED', revocationStatus: 'FAILED' }),
    );
    assert.deepEqual(words, {
      request: { kind: 'ended', outcome: 'approved' },
      decided: 'approved',
      awaitingApproval: false,
      grant: 'granted',
      revocationFailed: true,
    });
    assert.deepEqual(requestWords(request({ status: 'RESOLVED' })).decided, null, 'v1 RESOLVED states none');
    assert.equal(requestWords(request({ status: 'PENDING' })).awaitingApproval, true);
  });

  it('given a view with the activity’s words, then those words are read, not the codes', () => {
    const standing = accessRequestStanding({
      status: 'DENIED',
      version: 'v2',
      grantStatus: null,
      revocationStatus: null,
    });
    assert.deepEqual(requestWords(request({ status: 'PENDING', standing })), standing);
  });
});

describe('OIG-request notes', () => {
  it('given control characters, when made plain text, then each run becomes one space', () => {
    assert.equal(plainText('line one\r\n\tline two\u0007end'), 'line one line two end');
    assert.equal(plainText('kept as is'), 'kept as is');
  });

  it('given a resource, a catalog entry or neither, then the label names what is known', () => {
    assert.equal(resourceLabel(request()), 'Salesforce (APP)');
    assert.equal(
      resourceLabel(request({ resource: { type: 'GROUP', id: 'g', name: null } })),
      'cen1 (GROUP)',
    );
    assert.equal(resourceLabel(request({ resource: null })), 'cen1 (catalog entry)');
    assert.equal(resourceLabel(request({ resource: null, catalogEntryId: null })), 'unknown (catalog entry)');
  });

  it('given a failed grant, then the note names the grant status and keeps the ticket open', () => {
    const html = grantFailedNote(request({ grantStatus: 'FAILED<x>' }));
    assert.match(
      html,
      /^<p>Okta approved the request but could not grant the access \(grant status <b>FAILED&lt;x&gt;<\/b>\)/,
    );
    assert.match(html, /this ticket stays open/);
    assert.deepEqual(rowsOf(html), [
      ['Resource', 'Salesforce (APP)'],
      ['Okta request', 'reqAbc'],
      [
        'Likely cause',
        'the person&#39;s Okta account cannot receive access (for example, it was deactivated after the request was raised)',
      ],
      [
        'What to do',
        'Check the person&#39;s account in Okta. Grant the access by hand if it is still right, or tell the requester to raise a new request; then resolve this ticket.',
      ],
    ]);
    assert.match(grantFailedNote(request({ grantStatus: null })), /grant status <b>unknown<\/b>/);
  });

  it('given a request, its person, manager and requester, then the description lists them in order', () => {
    const html = ticketDescription(
      request({
        fields: [
          { label: 'JUSTIFICATION', value: 'dup' },
          { label: 'Cost centre', value: 'CC-1' },
        ],
      }),
      person('Ada', 'ada@acme.example'),
      person('Margaret', 'margaret@acme.example'),
      person('Grace', 'grace@acme.example'),
    );
    assert.deepEqual(rowsOf(html), [
      ['Requested for', 'Ada (ada@acme.example)'],
      ['Requested by', 'Grace (grace@acme.example)'],
      ['Resource', 'Salesforce (APP)'],
      ['Access duration', 'P7D'],
      ['Manager', 'Margaret (margaret@acme.example)'],
      ['Justification', 'quarterly report'],
      ['Okta request', 'reqAbc (APPROVED)'],
      ['Cost centre', 'CC-1'],
    ]);
    assert.match(html, /^<p>An access request was raised in Okta Identity Governance\./);
    assert.match(
      html,
      /\n<p><a href="https:\/\/acme\.okta\.example\/requests\/reqAbc">Open the request in Okta<\/a><\/p>$/,
    );
  });

  it('given a request with nothing optional, then the description says permanent, not set and a dash', () => {
    const html = ticketDescription(
      request({ accessDuration: null, justification: null, link: 'https://x.example/?a=1&b="2"' }),
      person('Ada', 'ada@acme.example'),
      null,
      null,
    );
    assert.deepEqual(rowsOf(html), [
      ['Requested for', 'Ada (ada@acme.example)'],
      ['Resource', 'Salesforce (APP)'],
      ['Access duration', 'permanent'],
      ['Manager', 'not set in Okta'],
      ['Justification', '—'],
      ['Okta request', 'reqAbc (APPROVED)'],
    ]);
    assert.match(html, /href="https:\/\/x\.example\/\?a=1&amp;b=&quot;2&quot;"/);
  });

  it('given an approved request with decisions and a scheduled revocation, then the note says who, when and the grant', () => {
    const html = decisionNote(
      request({
        decisions: [
          { by: 'Margaret', decision: 'APPROVED', at: '2026-11-22T13:59:00.000Z' },
          { by: 'Owner', decision: 'APPROVED', at: null },
        ],
        revocationScheduled: '2026-11-29T14:05:00.000Z',
      }),
      'approved',
    );
    assert.match(html, /^<p>The Okta access request was <b>approved<\/b>\.<\/p>\n<ul>/);
    assert.deepEqual(rowsOf(html), [
      ['Decision', 'approved'],
      ['Decided by', 'Margaret (APPROVED, 2026-11-22 13:59 UTC); Owner (APPROVED)'],
      ['Resolved at', '2026-11-22 14:00 UTC'],
      ['Grant', 'GRANTED at 2026-11-22 14:05 UTC'],
      ['Revocation scheduled', '2026-11-29 14:05 UTC'],
    ]);
  });

  it('given an approved request not granted yet, then the grant row says so and no revocation row', () => {
    const html = decisionNote(request({ grantStatus: null, granted: null, resolved: null }), 'approved');
    assert.deepEqual(rowsOf(html), [
      ['Decision', 'approved'],
      ['Decided by', 'Okta'],
      ['Resolved at', '2026-11-22 14:06 UTC'],
      ['Grant', 'unknown'],
    ]);
  });

  it('given a denial, then no grant rows; a v1 RESOLVED request explains the missing decision', () => {
    assert.deepEqual(
      rowsOf(decisionNote(request({ status: 'DENIED' }), 'denied')).map(([k]) => k),
      ['Decision', 'Decided by', 'Resolved at'],
    );
    const v1 = decisionNote(request({ status: 'RESOLVED', resolved: null, lastUpdated: null }), 'cancelled');
    assert.deepEqual(rowsOf(v1), [
      [
        'Decision',
        'cancelled (Okta&#39;s v1 API shows the request RESOLVED with no decision: withdrawn or expired unanswered)',
      ],
      ['Decided by', 'Okta'],
      ['Resolved at', ''],
    ]);
  });
});

describe('OIG-request step notes and messages', () => {
  const refusal = (over: Partial<VendorRefusal> = {}): VendorRefusal => ({
    vendor: 'freshservice',
    type: 'FORBIDDEN',
    activity: 'openTicket',
    status: 403,
    vendorCode: 'access_denied',
    summary: 'Access denied',
    causes: [],
    remedy: null,
    ...over,
  });

  it('given a resource and the person, then the ticket subject names both', () => {
    assert.equal(
      ticketSubject('Salesforce', person('Ada Lovelace', 'ada@acme.example')),
      'Access request: Salesforce for Ada Lovelace',
    );
  });

  it('given the opened ticket, then the OIG message names its number and link', () => {
    assert.equal(
      ticketLinkMessage(41, 'https://acme.freshservice.example/a/tickets/41'),
      'The service desk tracks this request in Freshservice ticket #41: https://acme.freshservice.example/a/tickets/41',
    );
  });

  it('given a request waiting on its approvers, then the ticket note says it waits in Okta', () => {
    assert.equal(PENDING_NOTE, '<p>The request is waiting for approval in Okta.</p>');
  });

  it('given a request Okta no longer shows, then the note gives the reason, escaped', () => {
    assert.equal(
      requestGoneNote('Okta answered 404 NOT_FOUND <E0000007>'),
      '<p>The Okta request can no longer be read: Okta answered 404 NOT_FOUND &lt;E0000007&gt;</p>',
    );
  });

  it('given a grant Okta confirmed after the decision, then the note says when, in UTC minutes', () => {
    assert.equal(
      grantedNote(request({ granted: '2026-11-22T14:05:09.000Z' })),
      '<p>Okta granted the access at 2026-11-22 14:05 UTC.</p>',
    );
  });

  it('given a grant without an instant, then the note names no instant', () => {
    // Okta left `granted` empty: the note may not invent a time (see the report on its wording).
    assert.match(grantedNote(request({ granted: null })), /^<p>Okta granted the access( at ?)?\.<\/p>$/);
  });

  it('given time-bound access, then the notes say when Okta will revoke it, did, or is late to', () => {
    assert.equal(
      revocationScheduledNote('2026-11-29T14:05:00.000Z'),
      '<p>Time-bound access: Okta will revoke it at 2026-11-29 14:05 UTC.</p>',
    );
    assert.equal(
      revokedNote('2026-11-29T14:06:30.000Z'),
      '<p>Access was revoked by Okta at 2026-11-29 14:06 UTC.</p>',
    );
    assert.equal(
      revocationOverdueNote('2026-11-29T14:05:00.000Z'),
      "<p>Okta scheduled the revocation for 2026-11-29 14:05 UTC but has not reported it yet. Please check the user's access in Okta.</p>",
    );
    assert.equal(
      revokedNote('<soon>'),
      '<p>Access was revoked by Okta at &lt;soon&gt;.</p>',
      'a value that is not an instant is quoted, escaped',
    );
  });

  it('given an agent settled the ticket, then the OIG message names the status on one line', () => {
    assert.equal(
      agentSettledMessage(42, 'Resolved'),
      'Freshservice ticket #42 was set to Resolved by the service desk; the request is still open in Okta.',
    );
    assert.equal(
      agentSettledMessage(42, 'Done\r\nfake line'),
      'Freshservice ticket #42 was set to Done fake line by the service desk; the request is still open in Okta.',
    );
  });

  it('given a failed grant, then the OIG message names the grant status and the ticket that follows up', () => {
    assert.equal(
      grantFailedMessage(request({ grantStatus: 'FAILED' }), 42),
      'Okta approved this request but could not grant the access (grant status FAILED). Nothing was granted; the service desk follows up in Freshservice ticket #42.',
    );
    assert.equal(
      grantFailedMessage(request({ grantStatus: null }), 7),
      'Okta approved this request but could not grant the access (grant status unknown). Nothing was granted; the service desk follows up in Freshservice ticket #7.',
    );
    assert.match(grantFailedMessage(request({ grantStatus: 'FAILED\nX' }), 7), /\(grant status FAILED X\)/);
  });

  it('given a vendor refused a step before any ticket, then the OIG message says which, why, on one line', () => {
    assert.equal(
      refusedMessage('open the ticket', refusal()),
      'access-bridge could not open the ticket: Freshservice answered 403 FORBIDDEN access_denied: Access denied. The service desk has no ticket for this request yet.',
    );
    assert.equal(
      refusedMessage('open the ticket', refusal({ summary: 'Validation failed\n\tsubject' })),
      'access-bridge could not open the ticket: Freshservice answered 403 FORBIDDEN access_denied: Validation failed subject. The service desk has no ticket for this request yet.',
    );
  });

  it('given a grant Okta leaves to a person, then the note says grant it by hand and keeps the ticket open', () => {
    const html = grantManualNote(request({ grantStatus: 'MANUAL_REQUIRED', granted: null }));
    assert.match(
      html,
      /^<p>Okta approved the request, but the access must be granted by hand \(grant status <b>MANUAL_REQUIRED<\/b>\)\. Nothing was granted yet: this ticket stays open\.<\/p>\n<ul>/,
    );
    assert.deepEqual(rowsOf(html), [
      ['Resource', 'Salesforce (APP)'],
      ['Okta request', 'reqAbc'],
      ['What to do', 'Grant the access in Okta or the application, check it, then resolve this ticket.'],
    ]);
  });

  it('given a revocation Okta failed, then the note says when it was due, that access may remain, and what to do', () => {
    const html = revocationFailedNote(
      request({ revocationStatus: 'FAILED', revocationScheduled: '2026-11-29T14:05:00.000Z' }),
    );
    assert.match(
      html,
      /^<p>Okta could not revoke the time-bound access due at 2026-11-29 14:05 UTC \(revocation status FAILED\): the person may still hold it\.<\/p>\n<ul>/,
    );
    assert.deepEqual(rowsOf(html), [
      ['Resource', 'Salesforce (APP)'],
      ['Okta request', 'reqAbc'],
      ['What to do', 'Remove the access in Okta by hand, check that it is gone, then resolve this ticket.'],
    ]);
    assert.match(
      revocationFailedNote(request({ revocationStatus: 'FAILED', revocationScheduled: null })),
      /^<p>Okta could not revoke the time-bound access \(revocation status FAILED\): the person may still hold it\.<\/p>\n/,
    );
  });

  it('given a status access-bridge does not know, then the note names it, stops following and keeps the ticket open', () => {
    const html = unknownStatusNote(
      request({ status: 'APPROVED', grantStatus: 'PARTIAL' }),
      'the grant status <PARTIAL>',
    );
    assert.match(
      html,
      /^<p>Okta reports the grant status &lt;PARTIAL&gt; for this request, which access-bridge does not know, so it stops following the request here rather than guess\. The ticket stays open\.<\/p>\n<ul>/,
    );
    assert.deepEqual(rowsOf(html), [
      ['Okta request', 'reqAbc (APPROVED, grant PARTIAL)'],
      ['What to do', 'Open the request in Okta, finish it there or by hand, then resolve this ticket.'],
    ]);
    assert.deepEqual(rowsOf(unknownStatusNote(request({ status: 'ARCHIVED', grantStatus: null }), 'x'))[0], [
      'Okta request',
      'reqAbc (ARCHIVED)',
    ]);
  });
});

describe('catalogOwnerOf', () => {
  const marker = '[access-bridge fs-ticket:42]';

  it('given our own request with the marker ending its justification, then that ticket', () => {
    assert.equal(
      catalogOwnerOf(request({ raisedByAccessBridge: true, justification: `please ${marker}` })),
      42,
    );
  });

  it('given our own request with the marker ending a field, then that ticket', () => {
    assert.equal(
      catalogOwnerOf(
        request({
          raisedByAccessBridge: true,
          justification: 'no marker here',
          fields: [
            { label: 'Note', value: `${marker} not at the end` },
            { label: 'Ref', value: `ticket ${marker}` },
          ],
        }),
      ),
      42,
    );
  });

  it('given our own request whose marker is not at the end, then no owner', () => {
    assert.equal(
      catalogOwnerOf(request({ raisedByAccessBridge: true, justification: `${marker} and more` })),
      undefined,
    );
    assert.equal(catalogOwnerOf(request({ raisedByAccessBridge: true, justification: null })), undefined);
  });

  it('given a request access-bridge did not raise whose text ends with a marker, then it belongs to no catalog ticket', () => {
    // A requester can type the marker: only access-bridge's own principal makes it count. The run logs a
    // warning about it, which needs a workflow context; outside one, that log call throws instead.
    for (const over of [
      { raisedByAccessBridge: false, justification: `please ${marker}` },
      { justification: 'plain', fields: [{ label: 'Ref', value: `ticket ${marker}` }] },
    ]) {
      let owner: number | undefined;
      try {
        owner = catalogOwnerOf(request(over));
      } catch (err) {
        assert.match((err as Error).message, /workflow context/);
      }
      assert.equal(owner, undefined);
    }
  });

  it('given a request access-bridge did not raise and no marker, then no owner', () => {
    assert.equal(catalogOwnerOf(request({ raisedByAccessBridge: false, justification: 'plain' })), undefined);
    assert.equal(catalogOwnerOf(request({ justification: 'plain' })), undefined);
  });
});
