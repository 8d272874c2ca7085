// What the OIG-request flow writes: the ticket's description and notes (HTML, every value escaped) and the
// plain text it posts on the OIG request.
import type { AccessRequestView, OktaPerson } from '../../activities/views';
import { escapeHtml, formatInstant, htmlList } from '../shared/format';
import type { OktaRequestOutcome } from './contract';

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

export function decisionNote(request: AccessRequestView, outcome: OktaRequestOutcome): string {
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
  return `<p>The Okta access request was <b>${escapeHtml(outcome)}</b>.</p>\n${htmlList(lines)}`;
}
