// The wording of everything a catalog access request writes on its ticket (notes, replies, approval mails)
// and to its OIG request. Kept byte-identical across changes: step markers and tests depend on the text.
import type { OktaPerson, OktaResource } from '../../activities/okta/contract';
import type { EffectiveResource, ResourceKind } from '../../policy/access';
import { escapeHtml, formatInstant, htmlList } from '../shared/format';
import type { Decision, DecisionChannel } from '../shared/contract';
import type { CatalogAccessState, LevelState } from './contract';

type Person = Pick<OktaPerson, 'displayName'>;
type Access = Pick<OktaResource, 'name'>;

// ---- the checks ------------------------------------------------------------------------------------

export const missingFieldsNote = (resourceNamed: boolean) =>
  `<p>This request cannot be processed: ${!resourceNamed ? 'no group or application was named' : 'no person to grant access to'}.</p>`;

export const unknownResourceNote = (resourceName: string, known: string) =>
  `<p>"${escapeHtml(resourceName)}" is not a resource that can be requested here. Requestable: ${escapeHtml(known)}.</p>`;

const KIND_WORDS: Record<ResourceKind, string> = { group: 'a group', app: 'an application' };

/** The form asked for one kind (resource_type) and named a resource of the other. */
export const wrongResourceTypeNote = (
  resourceName: string,
  asked: ResourceKind,
  named: EffectiveResource,
  requestable: string[],
) =>
  `<p>"${escapeHtml(resourceName)}" is ${KIND_WORDS[named.okta.type]} (${escapeHtml(named.name)}), but the request asks for ${
    KIND_WORDS[asked]
  } (resource_type ${asked}). Nobody was asked to approve and nothing was granted: raise a new request with resource_type ${
    named.okta.type
  }, or name ${KIND_WORDS[asked]}. Requestable as ${KIND_WORDS[asked]}: ${escapeHtml(requestable.join(', ') || 'none')}.</p>`;

export const ambiguousUserNote = (email: string, matchedBy: string, logins: string) =>
  `<p>${escapeHtml(email)} matches several Okta accounts by ${escapeHtml(
    matchedBy === 'secondEmail' ? 'secondary email' : matchedBy,
  )}: ${escapeHtml(logins)}. Nobody was asked to approve and nothing was granted. An Okta administrator needs to make the email point at one account (or the request must name the login).</p>`;

export const unknownUserNote = (email: string) =>
  `<p>No active Okta user has the email ${escapeHtml(email)}, so no access can be granted.</p>`;

export const accountNotEligibleNote = (login: string, reason: string) =>
  `<p>No approval was asked for ${escapeHtml(login)}: ${escapeHtml(reason)}.</p>`;

export const missingOktaResourceNote = (resource: EffectiveResource) =>
  `<p>The policy maps "${escapeHtml(resource.name)}" to Okta ${resource.okta.type} "${escapeHtml(
    resource.okta.type === 'group' ? resource.okta.name : resource.okta.label,
  )}", which Okta does not have. An administrator needs to fix the access policy.</p>`;

export const notEligibleNote = (reason: string) => `<p>Not eligible: ${escapeHtml(reason)}.</p>`;

export const alreadyHasAccessNote = (person: Person, target: Access) =>
  `<p>${escapeHtml(person.displayName)} already has ${escapeHtml(target.name)} in Okta; nothing to grant.</p>`;

export const blockedBySodNote = (rule: string, person: Person, heldResource: string) =>
  `<p>Blocked by separation of duties rule "${escapeHtml(rule)}": ${escapeHtml(
    person.displayName,
  )} already holds ${escapeHtml(heldResource)}.</p>`;

/** `reason` is a clause (`end date 2020-01-31 is in the past`), so it follows a sentence, never starts one. */
export const invalidWindowNote = (reason: string) =>
  `<p>This request cannot be processed: ${escapeHtml(reason)}. Nobody was asked to approve it; raise a new request with an end date or duration that can be granted.</p>`;

export const receivedNote = (o: {
  target: OktaResource;
  person: OktaPerson;
  justification: string | null;
  approval: string;
  deadline: string;
}) =>
  `<p>access-bridge is handling this request.</p>${htmlList([
    ['Access', `${o.target.name} (Okta ${o.target.type})`],
    ['For', `${o.person.displayName} (${o.person.email})`],
    ['Justification', o.justification ?? '—'],
    ['Approval', o.approval],
    ['Approval deadline', o.deadline],
  ])}`;

// ---- approval --------------------------------------------------------------------------------------

/** The mail Freshservice sends an approver: everything a requester typed is escaped for it. */
export const approvalEmail = (target: Access, person: Person, justification: string | null) =>
  `Please approve ${escapeHtml(target.name)} for ${escapeHtml(person.displayName)}: ${escapeHtml(
    justification ?? '',
  )}`;

export const approvalRequestedNote = (index: number, reason: string, names: string) =>
  `<p>Approval ${index} (${escapeHtml(reason)}) requested from ${escapeHtml(names)}.</p>`;

export const selfOnlyApproverNote = (index: number, reason: string, self: string, extension: boolean) =>
  `<p>Approval ${index} (${escapeHtml(reason)}) would go to ${escapeHtml(
    self,
  )}, who requested this access or would receive it, and nobody may approve their own request. No escalation target could take it, so ${
    extension
      ? 'the extension was not approved (the access still ends when it was due)'
      : 'nothing was granted'
  }.</p>`;

export const selfExcludedNote = (index: number, approvers: string, self: string) =>
  `<p>Approval ${index} went to ${escapeHtml(
    approvers,
  )} instead of ${escapeHtml(self)}: nobody approves a request they raised or access they would receive.</p>`;

export const adminDecisionNote = (index: number, decision: string, approver: string, reason?: string) =>
  `<p>Approval ${index} ${decision} by ${escapeHtml(approver)} through the admin API${
    reason ? `: ${escapeHtml(reason)}` : ''
  }.</p>`;

export const oktaRequestNote = (requestId: string) =>
  `<p>Approval runs in Okta Identity Governance: request ${escapeHtml(requestId)}.</p>`;

/** The wording of runs recorded before PATCH_NOTE_WORDING: `why` is `denied by …` or the no-approver text. */
export const notApprovedNote = (why: string, accessRemoved: boolean) =>
  `<p>The request was ${escapeHtml(why)}. No access was granted${accessRemoved ? ' (access found and removed)' : ''}.</p>`;

/** Where a decision was made, as a sentence continues after "denied by <who>". */
const CHANNEL_WORDS: Record<DecisionChannel, string> = {
  'freshservice-approval': ' in Freshservice',
  okta: ' in Okta',
  'admin-api': ' through the admin API',
  policy: '',
};

/**
 * Why a request ended without approval, one whole sentence per ending (never `was <verdict>` glued to a
 * phrase): `decision` is the last one recorded, `skipped` the level nobody could be asked to approve.
 */
export function endedUnapprovedNote(o: {
  verdict: 'denied' | 'expired' | 'cancelled' | 'no-approver';
  decision: Pick<Decision, 'by' | 'channel' | 'reason'> | undefined;
  skipped: Pick<LevelState, 'index' | 'approver'> | undefined;
  accessRemoved: boolean;
}): string {
  const d = o.decision;
  const because = d?.reason ? `: ${escapeHtml(d.reason)}` : '';
  let why: string;
  if (o.verdict === 'no-approver') {
    why = `Nobody could be asked to approve the request: ${
      o.skipped
        ? `approval ${o.skipped.index} (${escapeHtml(o.skipped.approver)}) has no one to go to`
        : 'a level of the approval chain has no one to go to'
    }, and no escalation target could take it`;
  } else if (o.verdict === 'expired') {
    why = `The request expired before it was approved${d?.channel === 'okta' ? ' in Okta' : ''}${because}`;
  } else {
    why = `The request was ${o.verdict}${d ? ` by ${escapeHtml(d.by)}${CHANNEL_WORDS[d.channel]}` : ''}${because}`;
  }
  return `<p>${why}. No access was granted${o.accessRemoved ? ' (access found in Okta was removed)' : ''}.</p>`;
}

export const closedByAgentNote = (state: CatalogAccessState, accessRemoved: boolean) =>
  `<p>The request ended because ${escapeHtml(state.reason ?? 'the service desk closed the ticket')}: open approvals were cancelled and no access was granted${
    accessRemoved ? ' (access found in Okta was removed)' : ''
  }. Raise a new request if the access is still needed.</p>${
    state.oktaRequestId
      ? `<p>The OIG request ${escapeHtml(state.oktaRequestId)} raised for it is still open in Okta: an Okta administrator should cancel it there.</p>`
      : ''
  }`;

/** Plain text for the OIG request the service desk ended (OIG messages are not HTML). */
export const abandonedOktaRequestMessage = (ticketId: number, outcome: string | null) =>
  `The service desk ended Freshservice ticket #${ticketId} for this request (${outcome ?? 'ended'}). Please cancel this request in Okta; if it is approved anyway, access-bridge removes the access it grants.`;

export const lateOktaGrantRemovedNote = (requestId: string, target: Access, outcome: string | null) =>
  `<p>Okta approved request ${escapeHtml(requestId)} after the service desk had ended it, and granted ${escapeHtml(
    target.name,
  )}. access-bridge removed that access; the request stays ended${outcome ? ` (outcome ${escapeHtml(outcome)})` : ''}.</p>`;

// ---- the grant -------------------------------------------------------------------------------------

export const accountNoLongerEligibleNote = (login: string, status: string, reason: string) =>
  `<p>The request was approved, but nothing was granted to ${escapeHtml(login)}, which is now ${escapeHtml(
    status,
  )} in Okta: ${escapeHtml(reason)}.</p>`;

export const windowPassedNote = (reason: string) =>
  `<p>The request was approved, but nothing was granted: ${escapeHtml(reason)}. Raise a new request with a new end date.</p>`;

export const grantUnverifiedNote = (target: Access, person: Person) =>
  `<p>The grant was sent but Okta does not show ${escapeHtml(target.name)} for ${escapeHtml(person.displayName)}. An agent needs to look at it.</p>`;

export const grantedNote = (target: OktaResource, endAtMs: number | null, windowNote: string | undefined) =>
  `<p>Access granted in Okta and verified.</p>${htmlList([
    ['Access', `${target.name} (Okta ${target.type})`],
    ['Until', endAtMs !== null ? formatInstant(endAtMs) : 'permanent'],
    ...(windowNote ? ([['Note', windowNote]] as [string, string][]) : []),
  ])}`;

// ---- time-bound access -----------------------------------------------------------------------------

export const endOfAccessNotice = (target: Access, endAt: string) =>
  `<p>Your access to ${escapeHtml(target.name)} ends at ${escapeHtml(
    formatInstant(endAt),
  )}. To keep it, ask the service desk to extend it before then.</p>`;

export const revokedNote = (target: Access, gone: boolean, why: string) =>
  gone
    ? `<p>Access to ${escapeHtml(target.name)} was revoked in Okta and verified (${escapeHtml(why)}).</p>`
    : `<p>Access to ${escapeHtml(target.name)} was revoked but Okta still shows it; an agent needs to check (${escapeHtml(why)}).</p>`;

export const extendedNote = (newEnd: string, requestedBy: string, reason?: string) =>
  `<p>Access extended to ${escapeHtml(formatInstant(newEnd))} at the request of ${escapeHtml(requestedBy)}${
    reason ? ` (${escapeHtml(reason)})` : ''
  }.</p>`;

export const extensionRefusedNote = (endAt: string, from: string | null) =>
  `<p>The extension to ${escapeHtml(formatInstant(endAt))} was not approved; access still ends ${
    from ? `at ${escapeHtml(formatInstant(from))}` : 'when it was due'
  }.</p>`;

// ---- refusals --------------------------------------------------------------------------------------

/** Access still held is said plainly: nothing will remove it once the run has ended. */
export const stillHeldNote = (target: Access, person: Person, endAt: string | null) =>
  `<p><b>${escapeHtml(target.name)} is still held by ${escapeHtml(person.displayName)} in Okta and will not be removed automatically${
    endAt ? ` (it was due to end at ${escapeHtml(formatInstant(endAt))})` : ''
  }.</b> Remove it in Okta when the request is settled.</p>`;
