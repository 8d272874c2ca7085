// What the OIG-request flow writes: the ticket's subject, description and notes (HTML, every value escaped)
// and the plain text it posts on the OIG request. The wording lives here so the flow's steps read as steps.
import type { AccessRequestView, OktaPerson } from '../../activities/okta/contract';
import { escapeHtml, formatInstant, htmlList } from '../shared/format';
import { refusalSummary, type VendorRefusal } from '../shared/vendor-refusal';
import type { Ending } from '../shared/vendor-words';

/** A value for a plain-text channel (OIG messages): one line, no control characters to fake others. */
export function plainText(value: string): string {
  return value.replace(/\p{Cc}+/gu, ' ');
}

export const resourceLabel = (r: AccessRequestView) =>
  `${r.resource?.name ?? r.catalogEntryId ?? 'unknown'} (${r.resource?.type ?? 'catalog entry'})`;

export function grantFailedNote(r: AccessRequestView): string {
  return `<p>Okta approved the request but could not grant the access (grant status <b>${escapeHtml(
    r.grantStatus ?? 'unknown',
  )}</b>). Nothing was granted, so the request is not done: this ticket stays open.</p>\n${htmlList([
    ['Resource', resourceLabel(r)],
    ['Okta request', r.id],
    [
      'Likely cause',
      "the person's Okta account cannot receive access (for example, it was deactivated after the request was raised)",
    ],
    [
      'What to do',
      "Check the person's account in Okta. Grant the access by hand if it is still right, or tell the requester to raise a new request; then resolve this ticket.",
    ],
  ])}`;
}

export function ticketDescription(
  request: AccessRequestView,
  person: OktaPerson,
  manager: OktaPerson | null,
  requestedBy: OktaPerson | null,
): string {
  const rows: [string, string][] = [
    ['Requested for', `${person.displayName} (${person.email})`],
    ['Resource', resourceLabel(request)],
    ['Access duration', request.accessDuration ?? 'permanent'],
    ['Manager', manager ? `${manager.displayName} (${manager.email})` : 'not set in Okta'],
    ['Justification', request.justification ?? '—'],
    ['Okta request', `${request.id} (${request.status})`],
  ];
  if (requestedBy) rows.splice(1, 0, ['Requested by', `${requestedBy.displayName} (${requestedBy.email})`]);
  for (const f of request.fields) {
    if (!rows.some(([label]) => label.toLowerCase() === f.label.toLowerCase())) rows.push([f.label, f.value]);
  }
  return [
    '<p>An access request was raised in Okta Identity Governance. The decision is made in Okta; this ticket follows it.</p>',
    htmlList(rows),
    `<p><a href="${escapeHtml(request.link)}">Open the request in Okta</a></p>`,
  ].join('\n');
}

export function decisionNote(request: AccessRequestView, outcome: Ending, recordedWording = false): string {
  const who = request.decisions.length
    ? request.decisions
        .map((d) => `${d.by} (${d.decision}${d.at ? `, ${formatInstant(d.at)}` : ''})`)
        .join('; ')
    : 'Okta';
  const when = formatInstant(request.resolved ?? request.lastUpdated ?? '');
  const lines: [string, string][] = [
    [
      'Decision',
      request.status === 'RESOLVED'
        ? `${outcome} (Okta's v1 API shows the request RESOLVED with no decision: withdrawn or expired unanswered)`
        : outcome,
    ],
    ['Decided by', who],
    ['Resolved at', when],
  ];
  if (outcome === 'approved') {
    lines.push([
      'Grant',
      `${request.grantStatus ?? 'unknown'}${request.granted ? ` at ${formatInstant(request.granted)}` : ''}`,
    ]);
    if (request.revocationScheduled)
      lines.push(['Revocation scheduled', formatInstant(request.revocationScheduled)]);
  }
  return `<p>${decisionHeadline(outcome, recordedWording)}</p>\n${htmlList(lines)}`;
}

/**
 * `The Okta access request was <b>approved</b>.`; an expired one `expired before anyone decided it`, never
 * `was expired` (`recordedWording`: the words of runs recorded before, see PATCH_NOTE_WORDING).
 */
function decisionHeadline(outcome: Ending, recordedWording: boolean): string {
  const verb = `<b>${escapeHtml(outcome)}</b>`;
  if (outcome === 'expired' && !recordedWording) {
    return `The Okta access request ${verb} before anyone decided it.`;
  }
  return `The Okta access request was ${verb}.`;
}

export const ticketSubject = (resourceName: string, person: OktaPerson) =>
  `Access request: ${resourceName} for ${person.displayName}`;

export const ticketLinkMessage = (ticketId: number, ticketUrl: string) =>
  `The service desk tracks this request in Freshservice ticket #${ticketId}: ${ticketUrl}`;

export const PENDING_NOTE = '<p>The request is waiting for approval in Okta.</p>';

export const requestGoneNote = (reason: string) =>
  `<p>The Okta request can no longer be read: ${escapeHtml(reason)}</p>`;

export const grantedNote = (r: AccessRequestView) =>
  r.granted
    ? `<p>Okta granted the access at ${escapeHtml(formatInstant(r.granted))}.</p>`
    : '<p>Okta granted the access.</p>';

export const revocationScheduledNote = (at: string) =>
  `<p>Time-bound access: Okta will revoke it at ${escapeHtml(formatInstant(at))}.</p>`;

export const revokedNote = (at: string) =>
  `<p>Access was revoked by Okta at ${escapeHtml(formatInstant(at))}.</p>`;

export const revocationOverdueNote = (scheduled: string) =>
  `<p>Okta scheduled the revocation for ${escapeHtml(
    formatInstant(scheduled),
  )} but has not reported it yet. Please check the user's access in Okta.</p>`;

export const agentSettledMessage = (ticketId: number, statusName: string) =>
  `Freshservice ticket #${ticketId} was set to ${plainText(statusName)} by the service desk; the request is still open in Okta.`;

export const grantFailedMessage = (r: AccessRequestView, ticketId: number) =>
  `Okta approved this request but could not grant the access (grant status ${plainText(r.grantStatus ?? 'unknown')}). Nothing was granted; the service desk follows up in Freshservice ticket #${ticketId}.`;

export const refusedMessage = (step: string, refusal: VendorRefusal) =>
  `access-bridge could not ${step}: ${plainText(refusalSummary(refusal))}. The service desk has no ticket for this request yet.`;

export function grantManualNote(r: AccessRequestView): string {
  return `<p>Okta approved the request, but the access must be granted by hand (grant status <b>MANUAL_REQUIRED</b>). Nothing was granted yet: this ticket stays open.</p>\n${htmlList(
    [
      ['Resource', resourceLabel(r)],
      ['Okta request', r.id],
      ['What to do', 'Grant the access in Okta or the application, check it, then resolve this ticket.'],
    ],
  )}`;
}

export function revocationFailedNote(r: AccessRequestView): string {
  return `<p>Okta could not revoke the time-bound access${
    r.revocationScheduled ? ` due at ${escapeHtml(formatInstant(r.revocationScheduled))}` : ''
  } (revocation status FAILED): the person may still hold it.</p>\n${htmlList([
    ['Resource', resourceLabel(r)],
    ['Okta request', r.id],
    ['What to do', 'Remove the access in Okta by hand, check that it is gone, then resolve this ticket.'],
  ])}`;
}

/** `what`: the status access-bridge does not know, in words (`the request status X`, `the grant status Y`). */
export function unknownStatusNote(r: AccessRequestView, what: string): string {
  return `<p>Okta reports ${escapeHtml(what)} for this request, which access-bridge does not know, so it stops following the request here rather than guess. The ticket stays open.</p>\n${htmlList(
    [
      ['Okta request', `${r.id} (${r.status}${r.grantStatus ? `, grant ${r.grantStatus}` : ''})`],
      ['What to do', 'Open the request in Okta, finish it there or by hand, then resolve this ticket.'],
    ],
  )}`;
}
