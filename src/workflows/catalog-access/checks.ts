// Steps 1-3 of a catalog access request: what was asked and for whom (the ticket), who and what that is in
// the policy, Okta and Freshservice, and whether they may have it (account status, eligibility, access
// already held, separation of duties, the requested window). Ends the request with a note when not.
import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import type { TicketView } from '../../activities/freshservice/contract';
import type { OktaPerson, PersonResolution } from '../../activities/okta/contract';
import { accountDeprovisioned } from '../../integrations/okta/codes';
import {
  addsApprovalLevels,
  checkAccountStatus,
  checkEligibility,
  describeApprover,
  findSodConflicts,
  parseResourceKind,
  planApprovals,
  requestableNames,
  resolveRequestedResource,
  resolveResource,
  sodRelatedResources,
  type EffectiveResource,
  type ResourceKind,
} from '../../policy/access';
import { formatInstant } from '../shared/format';
import { RequesterEmailKey, ResourceNameKey } from '../shared/search-attributes';
import type { CatalogAccessState } from './contract';
import * as notes from './notes';
import {
  PATCH_ACCOUNT_STATUS,
  PATCH_IDENTITY,
  PATCH_NO_SELF_APPROVAL,
  PATCH_NOTE_WORDING,
  PATCH_RESOURCE_TYPE,
} from './patches';
import type { CatalogRun } from './run';
import { pendingLevel, type Subject } from './state';

/** Ended: the request stopped at a check, with its note written and its outcome set. */
type Ended = { ended: CatalogAccessState };
type Asked = ReturnType<typeof whatWasAsked> & { resourceName: string; requestedForEmail: string };
type Found = Pick<Subject, 'resource' | 'person' | 'target' | 'fsPerson'>;

/** Steps 1-3: what was asked, for whom, whether they may have it. A returned state means the request ended. */
export async function checkRequest(run: CatalogRun): Promise<CatalogAccessState | undefined> {
  const asked = await readRequest(run);
  if ('ended' in asked) return asked.ended;
  const found = await resolveSubject(run, asked);
  if ('ended' in found) return found.ended;
  return mayHaveIt(run, asked, found);
}

/** Step 1: read the ticket and what was asked. */
async function readRequest(run: CatalogRun): Promise<Asked | Ended> {
  const { state } = run;
  run.step = 'read the ticket';
  const asked = whatWasAsked(await run.fs.readTicket(run.ticketId));
  const { resourceName, requestedForEmail } = asked;
  state.requester = asked.requester;
  state.requestedFor.email = requestedForEmail;
  state.justification = asked.justification;
  state.phase = 'checking';
  if (requestedForEmail) upsertSearchAttributes([{ key: RequesterEmailKey, value: requestedForEmail }]);

  if (!resourceName || !requestedForEmail) {
    const note = notes.missingFieldsNote(!!resourceName);
    return { ended: await run.finish('invalid-request', note, { items: 'cancelled' }) };
  }
  state.resource.name = resourceName;
  upsertSearchAttributes([{ key: ResourceNameKey, value: resourceName }]);
  return { ...asked, resourceName, requestedForEmail };
}

/** Step 2: resolve the policy resource, the Okta person, the Okta resource and the Freshservice person. */
async function resolveSubject(run: CatalogRun, asked: Asked): Promise<Found | Ended> {
  const { state, okta, fs, policy } = run;
  const { resourceName, requestedForEmail, resourceKind } = asked;
  const named = await requestedResource(run, resourceName, resourceKind);
  if ('ended' in named) return named;
  const resource = named.found;
  if (!resource) {
    const known = policy.resources.map((r) => r.name).join(', ');
    const note = notes.unknownResourceNote(resourceName, known);
    return { ended: await run.finish('unknown-resource', note, { items: 'cancelled' }) };
  }
  run.step = 'find the Okta account';
  const identity = await resolveRequestedFor(run, requestedForEmail);
  if (identity.kind === 'ambiguous') {
    const logins = identity.candidates.map((c) => `${c.login} (${c.status})`).join(', ');
    state.reason = `${requestedForEmail} matches several Okta accounts: ${logins}`;
    const note = notes.ambiguousUserNote(requestedForEmail, identity.matchedBy, logins);
    return { ended: await run.finish('ambiguous-user', note, { items: 'cancelled', status: 'keep-open' }) };
  }
  if (identity.kind === 'not-found') {
    const note = notes.unknownUserNote(requestedForEmail);
    return { ended: await run.finish('unknown-user', note, { items: 'cancelled' }) };
  }
  const person = identity.person;
  state.requestedFor = { ...state.requestedFor, name: person.displayName, oktaUserId: person.id };
  const statusVerdict = patched(PATCH_ACCOUNT_STATUS)
    ? checkAccountStatus(resource, person.status)
    : { ok: true as const };
  if (!statusVerdict.ok) {
    state.reason = statusVerdict.reason;
    const note = notes.accountNotEligibleNote(person.login, statusVerdict.reason);
    return { ended: await run.finish('account-not-eligible', note, { items: 'cancelled' }) };
  }
  run.step = 'find the group or application in Okta';
  const target = await okta.resolveResource(resource.okta);
  if (!target) {
    const note = notes.missingOktaResourceNote(resource);
    return { ended: await run.finish('unknown-resource', note, { items: 'cancelled', status: 'keep-open' }) };
  }
  state.resource.okta = target;
  run.step = 'read the requester in Freshservice';
  let fsPerson = await fs.findPersonByEmail(requestedForEmail);
  // The form may name the person by another address (a secondary email): their Freshservice record is
  // under the Okta account's primary email, and it decides their manager and who they are.
  if (!fsPerson && person.email.toLowerCase() !== requestedForEmail && patched(PATCH_NO_SELF_APPROVAL))
    fsPerson = await fs.findPersonByEmail(person.email.toLowerCase());
  state.requestedFor.fsId = fsPerson?.id ?? null;
  return { resource, person, target, fsPerson };
}

/**
 * The policy resource the form names, among those of its `resource_type` only, its name matched after
 * normalising spaces. Runs recorded before (PATCH_RESOURCE_TYPE) matched any kind by the trimmed name; the
 * patch is asked for only when the two rules disagree, so every other history is unchanged.
 */
async function requestedResource(
  run: CatalogRun,
  name: string,
  kind: ResourceKind | undefined,
): Promise<{ found: EffectiveResource | undefined } | Ended> {
  const legacy = resolveResource(run.policy, name);
  const { resource, otherKind } = resolveRequestedResource(run.policy, name, kind);
  const sameAnswer = resource?.name === legacy?.name && resource?.okta.type === legacy?.okta.type;
  if (sameAnswer || !patched(PATCH_RESOURCE_TYPE)) return { found: legacy };
  if (resource || !otherKind || !kind) return { found: resource };
  const note = notes.wrongResourceTypeNote(name, kind, otherKind, requestableNames(run.policy, kind));
  return { ended: await run.finish('unknown-resource', note, { items: 'cancelled' }) };
}

/**
 * Step 3: eligibility, existing access, separation of duties, the requested window. When all hold, the
 * approval levels are planned, the request note written and the approval deadline set.
 */
async function mayHaveIt(
  run: CatalogRun,
  asked: Asked,
  found: Found,
): Promise<CatalogAccessState | undefined> {
  const { state, okta, policy } = run;
  const { resource, person, target, fsPerson } = found;
  run.step = 'check eligibility in Okta';
  const groups = await okta.listGroupNames(person.id);
  const eligible = checkEligibility(resource, {
    department: fsPerson?.department ?? person.department,
    oktaGroups: groups,
  });
  if (!eligible.ok) {
    return run.finish('not-eligible', notes.notEligibleNote(eligible.reason), { items: 'cancelled' });
  }
  if (await okta.hasAccess({ userId: person.id, resource: target })) {
    const note = notes.alreadyHasAccessNote(person, target);
    return run.finish('already-had-access', note, { items: 'fulfilled' });
  }
  const held = await heldRelated(run, resource, person);
  const conflicts = findSodConflicts(policy, resource.name, held);
  // Only a plan with extra levels is worded differently, so only its runs carry the patch marker.
  const chainOnlyCount = addsApprovalLevels(conflicts) && !patched(PATCH_NOTE_WORDING);
  const plan = planApprovals(resource, conflicts, { chainOnlyCount });
  if (plan.blockedBy) {
    const { rule, heldResource } = plan.blockedBy;
    run.record({ decision: 'denied', by: 'access policy', channel: 'policy', reason: rule.name });
    const note = notes.blockedBySodNote(rule.name, person, heldResource);
    return run.finish('blocked-by-sod', note, { items: 'cancelled' });
  }
  const { requestedWindow } = asked;
  const precheck = run.accessWindow(resource, requestedWindow, Date.now());
  if (!precheck.ok) {
    return run.finish('invalid-request', notes.invalidWindowNote(precheck.reason), { items: 'cancelled' });
  }

  state.approvalChannel = resource.approvalChannel;
  state.levels = plan.levels.map((l) =>
    pendingLevel({ index: l.index, approver: describeApprover(l.approver), reason: l.reason }),
  );
  const subject: Subject = {
    ...found,
    levels: plan.levels,
    requestedWindow,
    expiresAtMs: Number.POSITIVE_INFINITY,
  };
  run.request.subject = subject;
  run.step = 'write the request note';
  await run.note(
    'received',
    notes.receivedNote({
      target,
      person,
      justification: state.justification,
      approval:
        resource.approvalChannel === 'okta'
          ? 'in Okta Identity Governance (its own approval chain)'
          : plan.levels.map((l) => `${l.index}. ${describeApprover(l.approver)}`).join(', ') || 'none',
      deadline: resource.expiry ? formatInstant(Date.now() + resource.expiry) : 'none',
    }),
  );
  subject.expiresAtMs = resource.expiry ? Date.now() + resource.expiry : Number.POSITIVE_INFINITY;
  return undefined;
}

/** What the ticket asks for: the resource, for whom (lowercased), why, and the window asked for. */
function whatWasAsked(ticket: TicketView) {
  const item =
    ticket.requestedItems.find((i) => typeof i.fields.resource_name === 'string') ?? ticket.requestedItems[0];
  const fields = item?.fields ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  return {
    resourceName: str(fields.resource_name),
    resourceKind: parseResourceKind(fields.resource_type),
    requestedForEmail:
      (str(fields.requested_for_email) ?? ticket.requestedForEmail ?? ticket.requesterEmail)?.toLowerCase() ??
      null,
    requester: { email: ticket.requesterEmail, fsId: ticket.requesterId },
    justification: str(fields.justification),
    requestedWindow: {
      durationDays: typeof fields.duration_days === 'number' ? fields.duration_days : null,
      endDate: str(fields.end_date),
    },
  };
}

/** The one Okta account the email names (the identity rules), or the legacy lookup for older runs. */
async function resolveRequestedFor(run: CatalogRun, email: string): Promise<PersonResolution> {
  if (patched(PATCH_IDENTITY)) return run.okta.resolvePerson({ email });
  const found = await run.okta.findPerson({ email });
  return found && !accountDeprovisioned(found.status)
    ? { kind: 'found', person: found, matchedBy: 'login' }
    : { kind: 'not-found' };
}

/** The resources the person holds that a separation-of-duties rule pairs with the one asked for. */
async function heldRelated(
  run: CatalogRun,
  resource: EffectiveResource,
  person: OktaPerson,
): Promise<string[]> {
  const related = sodRelatedResources(run.policy, resource.name);
  if (!related.length) return [];
  return run.okta.heldResources({
    userId: person.id,
    specs: related.flatMap((name) => {
      const r = resolveResource(run.policy, name);
      return r ? [{ name: r.name, spec: r.okta }] : [];
    }),
  });
}
