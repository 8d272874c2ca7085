// An access request raised in Okta Identity Governance, carried to the service desk: one Freshservice
// ticket with everything an agent needs, notes as the request moves, and the ticket resolved with the
// decision, who decided and when; a time-bound grant's revocation is recorded when it happens.
// Workflow ID `okta-request:<requestId>`; started by the first `access.request.*` event for the request.
import {
  type OktaAccessRequestInput,
  type OktaAccessRequestState,
  oktaAccessRequestStateQuery,
  type OktaRequestOutcome,
  oktaRequestPermalinkTag,
  oktaRequestTicketTag,
  ownerFromTicketTags,
} from './contract';
import {
  condition,
  continueAsNew,
  log,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { AccessRequestView } from '../../activities/views';
import { failureMessage, failureType, loadSettings, vendorActivities } from '../shared/activity-proxies';
import { escapeHtml, formatInstant, htmlList } from '../shared/format';
import {
  ACCESS_BRIDGE_TAG,
  type Decision,
  type OktaRequestEvent,
  oktaRequestEventSignal,
  type TicketEvent,
  ticketEventSignal,
} from '../shared/contract';
import { catalogAccessWorkflowId, ticketFromRequestMarker } from '../catalog-access/contract';
import {
  OktaRequestIdKey,
  OutcomeKey,
  RequesterEmailKey,
  ResourceNameKey,
  TicketIdKey,
} from '../shared/search-attributes';
import { catalogOwnerOf, forwardEvents } from './forwarding';
import { decisionNote, grantFailedNote, plainText, resourceLabel, ticketDescription } from './notes';
import { grantStanding, OPEN_STATUSES, OUTCOME_BY_STATUS, requestStanding } from './standing';
import { timeToContinueAsNew } from '../shared/history-budget';
import { refusalHtml, refusalSummary, vendorRefusal, type VendorRefusal } from '../shared/vendor-refusal';

const PATCH_CONTINUE_AS_NEW = 'okta-request-continue-as-new';
const PATCH_REFUSALS = 'okta-request-vendor-refusals';
/** Grants are followed to GRANTED or FAILED; every status ends the flow, an unknown one with a note. */
const PATCH_FAIL_CLOSED = 'okta-request-fail-closed';
/** A catalog marker routes a request only when access-bridge's own Okta principal created it. */
const PATCH_VERIFIED_OWNER = 'okta-request-verified-owner';
/** One ticket per request, whichever of its ids (v1, v2) names it. */
const PATCH_ONE_TICKET = 'okta-request-one-ticket';

export async function oktaAccessRequest(input: OktaAccessRequestInput): Promise<OktaAccessRequestState> {
  const carried = input.carried;
  const state: OktaAccessRequestState = carried?.state ?? {
    requestId: input.requestId,
    version: null,
    status: null,
    phase: 'reading',
    ticketId: null,
    ticketCreated: false,
    requester: null,
    manager: null,
    resource: null,
    accessDuration: null,
    revocationScheduled: null,
    revoked: null,
    decisions: [],
    eventsApplied: 0,
    duplicateEvents: 0,
    outcome: null,
    forwardedTo: null,
  };
  state.runs = (state.runs ?? 1) + (carried ? 1 : 0);
  const seenEvents = new Set<string>(carried?.seenEvents);
  const pendingEvents: OktaRequestEvent[] = [...(carried?.pendingEvents ?? [])];
  const ticketEvents: TicketEvent[] = [];
  const seenTicketEvents = new Set<string>(carried?.seenTicketEvents);
  const noted = new Set<string>(carried?.noted);
  let agentClosedMessaged = carried?.agentClosedMessaged ?? false;
  let decisionNotedGrant = carried?.decisionNotedGrant ?? false;

  setHandler(oktaAccessRequestStateQuery, () => state);
  setHandler(oktaRequestEventSignal, (event) => {
    if (seenEvents.has(event.uuid)) {
      state.duplicateEvents += 1;
      return;
    }
    seenEvents.add(event.uuid);
    pendingEvents.push(event);
  });
  setHandler(ticketEventSignal, (event) => {
    const key = `${event.event}:${event.updatedAt ?? ''}`;
    if (event.updatedAt && seenTicketEvents.has(key)) return;
    seenTicketEvents.add(key);
    ticketEvents.push(event);
  });

  const settings = carried?.settings ?? (await loadSettings());
  const { okta, fs } = vendorActivities(settings.taskQueues);
  const startedAtMs = workflowInfo().startTime.getTime();
  if (!carried) upsertSearchAttributes([{ key: OktaRequestIdKey, value: input.requestId }]);

  const finish = (outcome: OktaRequestOutcome) => {
    state.outcome = outcome;
    state.phase = 'done';
    upsertSearchAttributes([{ key: OutcomeKey, value: outcome }]);
    return state;
  };

  /** Hands everything to a new run when the history is long; the new run re-reads the request first. */
  async function continueIfLong(): Promise<void> {
    if (!patched(PATCH_CONTINUE_AS_NEW) || !(await timeToContinueAsNew(settings.historyMaxEvents))) return;
    await continueAsNew<typeof oktaAccessRequest>({
      requestId: input.requestId,
      carried: {
        state,
        seenEvents: [...seenEvents],
        seenTicketEvents: [...seenTicketEvents],
        pendingEvents: state.phase === 'forwarding' ? [...pendingEvents] : [],
        noted: [...noted],
        agentClosedMessaged,
        decisionNotedGrant,
        settings,
      },
    });
  }

  let step = 'read the Okta request';
  try {
    return await run();
  } catch (err) {
    const refusal = vendorRefusal(err);
    if (!refusal || !patched(PATCH_REFUSALS)) throw err;
    return refused(refusal);
  }

  /**
   * A vendor refused a step for good: the ticket (or, before there is one, the OIG request) says what, why
   * and what to do, the ticket stays open, and the run ends with an outcome instead of FAILED.
   */
  async function refused(refusal: VendorRefusal): Promise<OktaAccessRequestState> {
    state.refusal = refusal;
    const html = refusalHtml(refusal, step);
    try {
      if (state.ticketId !== null) {
        await fs.addNoteOnce({ ticketId: state.ticketId, stepId: `refused-${refusal.activity}`, html });
        await fs.setTicketStatus({ ticketId: state.ticketId, status: 'open' });
      } else if (state.version) {
        await okta.messageAccessRequest({
          requestId: input.requestId,
          version: state.version,
          message: `access-bridge could not ${step}: ${plainText(refusalSummary(refusal))}. The service desk has no ticket for this request yet.`,
        });
      }
    } catch (err) {
      if (!vendorRefusal(err)) throw err;
      log.error('the refusal could not be reported', { requestId: input.requestId });
    }
    return finish('vendor-refused');
  }

  async function run(): Promise<OktaAccessRequestState> {
    if (carried && state.phase === 'forwarding' && state.forwardedTo) {
      await forwardEvents(state.forwardedTo, pendingEvents, continueIfLong);
      return finish('forwarded');
    }

    let request: AccessRequestView;
    try {
      request = await okta.readAccessRequest(input.requestId);
    } catch (err) {
      if (failureType(err) === 'NOT_FOUND') {
        log.warn('OIG request not found; ignoring its events', { requestId: input.requestId });
        if (state.ticketId !== null) {
          await fs.addNoteOnce({
            ticketId: state.ticketId,
            stepId: 'request-gone',
            html: `<p>The Okta request can no longer be read: ${escapeHtml(failureMessage(err))}</p>`,
            private: false,
          });
          return finish(OUTCOME_BY_STATUS.get(state.status ?? '') ?? 'cancelled');
        }
        return finish('not-found');
      }
      throw err;
    }
    state.version = request.version;

    if (!carried) {
      // A request that a catalog workflow raised on the user's behalf belongs to that workflow.
      const ownerTicket = patched(PATCH_VERIFIED_OWNER)
        ? catalogOwnerOf(request)
        : ticketFromRequestMarker(
            [request.justification ?? '', ...request.fields.map((f) => f.value)].join(' '),
          );
      if (ownerTicket !== undefined) {
        state.phase = 'forwarding';
        state.forwardedTo = catalogAccessWorkflowId(ownerTicket);
        await forwardEvents(state.forwardedTo, pendingEvents, continueIfLong);
        return finish('forwarded');
      }

      state.phase = 'opening-ticket';
      step = 'read the requester in Okta';
      const person = request.requestedForId ? await okta.findPerson({ id: request.requestedForId }) : null;
      const requestedBy =
        request.requestedById && request.requestedById !== request.requestedForId
          ? await okta.findPerson({ id: request.requestedById })
          : null;
      const manager = person ? await okta.findManager(person) : null;
      const requesterEmail = person?.email || requestedBy?.email;
      if (!person || !requesterEmail) {
        log.error('OIG request has no Okta user to open a ticket for', { requestId: input.requestId });
        return finish('no-requester');
      }
      state.requester = { oktaUserId: person.id, email: requesterEmail, name: person.displayName };
      state.manager = manager ? { email: manager.email, name: manager.displayName } : null;
      state.resource = request.resource;
      state.accessDuration = request.accessDuration;
      const resourceName = request.resource?.name ?? request.catalogEntryId ?? 'an Okta resource';
      upsertSearchAttributes([
        { key: RequesterEmailKey, value: requesterEmail },
        { key: ResourceNameKey, value: resourceName },
      ]);

      step = 'open a Freshservice ticket';
      // The request's number in Okta is shared by its v1 and v2 ids: keyed by it, the ticket is found by
      // whichever workflow comes second, and the request keeps one ticket. Any ticket for the request was
      // touched after Okta created it, so the lookup reads from then.
      const permalinkTag =
        patched(PATCH_ONE_TICKET) && typeof request.permalinkId === 'number'
          ? oktaRequestPermalinkTag(request.permalinkId)
          : undefined;
      const createdMs = Date.parse(request.created ?? '');
      const opened = await fs.openTicketOnce({
        markerTag: permalinkTag ?? oktaRequestTicketTag(input.requestId),
        extraTags: [
          ...(permalinkTag ? [oktaRequestTicketTag(input.requestId)] : []),
          ACCESS_BRIDGE_TAG,
          'okta-access-request',
        ],
        requesterEmail,
        subject: `Access request: ${resourceName} for ${person.displayName}`,
        descriptionHtml: ticketDescription(request, person, manager, requestedBy),
        priority: settings.policy.oktaRequests.ticketPriority,
        notBeforeMs: permalinkTag && createdMs < startedAtMs ? createdMs : startedAtMs,
      });
      state.ticketId = opened.ticketId;
      state.ticketCreated = opened.created;
      if (permalinkTag && !opened.created) {
        // Found, not created: ours (a retry after a lost response), or opened by the workflow of the
        // request's other id, which then follows the request alone and gets our events.
        step = 'read the ticket of the request';
        const owner = ownerFromTicketTags((await fs.readTicket(opened.ticketId)).tags);
        if (owner && owner.workflowId !== workflowInfo().workflowId) {
          state.phase = 'forwarding';
          state.forwardedTo = owner.workflowId;
          await forwardEvents(state.forwardedTo, pendingEvents, continueIfLong);
          return finish('forwarded');
        }
      }
      upsertSearchAttributes([{ key: TicketIdKey, value: String(opened.ticketId) }]);

      step = 'message the Okta request with the ticket link';
      const ticketUrl = `${settings.links.freshserviceUrl}/a/tickets/${opened.ticketId}`;
      await okta.messageAccessRequest({
        requestId: input.requestId,
        version: request.version,
        message: `The service desk tracks this request in Freshservice ticket #${opened.ticketId}: ${ticketUrl}`,
      });
      state.phase = 'open';
    }
    const ticketId = state.ticketId!;

    const note = (stepId: string, html: string) => fs.addNoteOnce({ ticketId, stepId, html, private: false });

    for (;;) {
      step = 'follow the request on the ticket';
      const failClosed = patched(PATCH_FAIL_CLOSED);
      state.status = request.status;
      state.eventsApplied = seenEvents.size;
      state.revocationScheduled = request.revocationScheduled;
      state.revoked = request.revoked;
      if (failClosed) state.grantStatus = request.grantStatus;

      if (request.status === 'PENDING' && !noted.has('pending')) {
        noted.add('pending');
        await note('status-pending', '<p>The request is waiting for approval in Okta.</p>');
      }

      // Every status Okta reports ends the request, keeps it open, or (unknown) ends it with a note: never
      // a wait on something nobody will change.
      const standing = failClosed ? requestStanding(request.status) : undefined;
      if (standing?.kind === 'unknown') return unknownStatus(request, `the request status ${request.status}`);
      const outcome = standing
        ? standing.kind === 'ended'
          ? standing.outcome
          : undefined
        : OUTCOME_BY_STATUS.get(request.status);
      const grant = outcome === 'approved' ? grantStanding(request) : undefined;
      // Fail closed: an approval is settled only once Okta has granted (or has nothing to grant).
      const settled = !failClosed || outcome !== 'approved' || grant === 'granted' || grant === 'none';

      if (outcome && !noted.has('decision')) {
        noted.add('decision');
        const decision: Decision['decision'] =
          outcome === 'approved' || outcome === 'denied' || outcome === 'cancelled' ? outcome : 'expired';
        const at = request.resolved ?? request.lastUpdated ?? '';
        state.decisions = request.decisions.length
          ? request.decisions.map((d) => ({ decision, by: d.by, at: d.at ?? at, channel: 'okta' }))
          : [{ decision, by: 'Okta', at, channel: 'okta' }];
        await note(`decision-${outcome}`, decisionNote(request, outcome));
        decisionNotedGrant = request.grantStatus === 'GRANTED';
        if (settled) {
          noted.add('ticket-settled');
          await fs.setTicketStatus({
            ticketId,
            status: settings.policy.oktaRequests.finalTicketStatus,
            unlessSettledByAgent: true,
          });
        }
        upsertSearchAttributes([{ key: OutcomeKey, value: outcome }]);
      }

      if (failClosed && outcome === 'approved') {
        if (grant === 'failed') return grantFailed(request);
        if (grant === 'unknown') return unknownStatus(request, `the grant status ${request.grantStatus}`);
        // Okta grants nothing itself and no API reports a manual grant done: waiting would be forever.
        if (grant === 'manual') return grantManual(request);
        if (request.revocationStatus === 'FAILED' && !request.revoked) return revocationFailed(request);
      }

      if (outcome === 'approved' && request.grantStatus === 'GRANTED' && !noted.has('granted')) {
        noted.add('granted');
        // The decision note already reports a grant known at decision time; a later one gets its own note.
        if (!decisionNotedGrant) {
          await note(
            'granted',
            `<p>Okta granted the access at ${escapeHtml(formatInstant(request.granted ?? ''))}.</p>`,
          );
        }
      }

      // An approval whose grant Okta confirmed after the decision: the ticket is resolved only now.
      if (failClosed && outcome && settled && !noted.has('ticket-settled')) {
        noted.add('ticket-settled');
        await fs.setTicketStatus({
          ticketId,
          status: settings.policy.oktaRequests.finalTicketStatus,
          unlessSettledByAgent: true,
        });
      }

      if (outcome === 'approved' && request.revocationScheduled && !request.revoked) {
        state.phase = 'awaiting-revocation';
        if (!noted.has('revocation-scheduled')) {
          noted.add('revocation-scheduled');
          await note(
            'revocation-scheduled',
            `<p>Time-bound access: Okta will revoke it at ${escapeHtml(formatInstant(request.revocationScheduled))}.</p>`,
          );
        }
      }

      if (outcome === 'approved' && request.revoked && !noted.has('revoked')) {
        noted.add('revoked');
        await note(
          'revoked',
          `<p>Access was revoked by Okta at ${escapeHtml(formatInstant(request.revoked))}.</p>`,
        );
      }

      const done =
        (outcome && outcome !== 'approved') ||
        (outcome === 'approved' && settled && (!request.revocationScheduled || Boolean(request.revoked)));
      if (done) break;

      // Wait for the next event, or re-read on a timer: the safety net for missed webhooks, and the moment a
      // scheduled revocation is due.
      let waitMs = settings.policy.oktaRequests.pollInterval;
      if (state.phase === 'awaiting-revocation' && request.revocationScheduled) {
        const due = Date.parse(request.revocationScheduled);
        const now = Date.now();
        if (now > due + settings.policy.oktaRequests.revocationGrace) {
          await note(
            'revocation-overdue',
            `<p>Okta scheduled the revocation for ${escapeHtml(
              formatInstant(request.revocationScheduled),
            )} but has not reported it yet. Please check the user's access in Okta.</p>`,
          );
          break;
        }
        waitMs = Math.max(1000, Math.min(waitMs, due - now + 1000));
      }
      await condition(() => pendingEvents.length > 0 || ticketEvents.length > 0, waitMs);
      pendingEvents.length = 0;

      if (ticketEvents.length > 0) {
        ticketEvents.length = 0;
        if (OPEN_STATUSES.has(request.status) && !agentClosedMessaged) {
          const ticket = await fs.readTicket(ticketId);
          if (ticket.status >= 4) {
            agentClosedMessaged = true;
            await okta.messageAccessRequest({
              requestId: input.requestId,
              version: request.version,
              message: `Freshservice ticket #${ticketId} was set to ${plainText(ticket.statusName)} by the service desk; the request is still open in Okta.`,
            });
          }
        }
      }
      // Everything is acted on and the next step re-reads the request: a safe point to hand over.
      await continueIfLong();
      try {
        request = await okta.readAccessRequest(input.requestId);
      } catch (err) {
        // A request deleted in Okta ends the flow with a note instead of failing the run.
        if (failureType(err) !== 'NOT_FOUND') throw err;
        await note(
          'request-gone',
          `<p>The Okta request can no longer be read: ${escapeHtml(failureMessage(err))}</p>`,
        );
        break;
      }
    }

    state.status = request.status;
    const standing = patched(PATCH_FAIL_CLOSED) ? requestStanding(request.status) : undefined;
    return finish(
      standing?.kind === 'ended' ? standing.outcome : (OUTCOME_BY_STATUS.get(request.status) ?? 'cancelled'),
    );

    /**
     * Okta approved but the grant failed (e.g. the person was deactivated meanwhile): nothing was granted,
     * so the request is not done. The ticket says so and stays open for an agent; the requester is told.
     */
    async function grantFailed(r: AccessRequestView): Promise<OktaAccessRequestState> {
      step = 'report the failed grant';
      await note('grant-failed', grantFailedNote(r));
      await fs.setTicketStatus({ ticketId, status: 'open' });
      await tellOkta(
        r,
        `Okta approved this request but could not grant the access (grant status ${plainText(r.grantStatus ?? 'unknown')}). Nothing was granted; the service desk follows up in Freshservice ticket #${ticketId}.`,
      );
      return finish('approved-grant-failed');
    }

    /** Okta approved but leaves the grant to a person (MANUAL_REQUIRED): the ticket is the agent's to-do. */
    async function grantManual(r: AccessRequestView): Promise<OktaAccessRequestState> {
      step = 'report the grant to make by hand';
      await note(
        'grant-manual',
        `<p>Okta approved the request, but the access must be granted by hand (grant status <b>MANUAL_REQUIRED</b>). Nothing was granted yet: this ticket stays open.</p>\n${htmlList(
          [
            ['Resource', resourceLabel(r)],
            ['Okta request', r.id],
            [
              'What to do',
              'Grant the access in Okta or the application, check it, then resolve this ticket.',
            ],
          ],
        )}`,
      );
      await fs.setTicketStatus({ ticketId, status: 'open' });
      return finish('approved-grant-manual');
    }

    /** Okta could not take time-bound access away: the person may still hold it, so an agent must look. */
    async function revocationFailed(r: AccessRequestView): Promise<OktaAccessRequestState> {
      step = 'report the failed revocation';
      await note(
        'revocation-failed',
        `<p>Okta could not revoke the time-bound access${
          r.revocationScheduled ? ` due at ${escapeHtml(formatInstant(r.revocationScheduled))}` : ''
        } (revocation status FAILED): the person may still hold it.</p>\n${htmlList([
          ['Resource', resourceLabel(r)],
          ['Okta request', r.id],
          [
            'What to do',
            'Remove the access in Okta by hand, check that it is gone, then resolve this ticket.',
          ],
        ])}`,
      );
      await fs.setTicketStatus({ ticketId, status: 'open' });
      return finish('revocation-failed');
    }

    /** A status this product does not know ends the flow with a note, never an endless wait. */
    async function unknownStatus(r: AccessRequestView, what: string): Promise<OktaAccessRequestState> {
      step = 'report a status access-bridge does not know';
      await note(
        'unknown-status',
        `<p>Okta reports ${escapeHtml(what)} for this request, which access-bridge does not know, so it stops following the request here rather than guess. The ticket stays open.</p>\n${htmlList(
          [
            ['Okta request', `${r.id} (${r.status}${r.grantStatus ? `, grant ${r.grantStatus}` : ''})`],
            ['What to do', 'Open the request in Okta, finish it there or by hand, then resolve this ticket.'],
          ],
        )}`,
      );
      await fs.setTicketStatus({ ticketId, status: 'open' });
      return finish('unknown-status');
    }

    /** A message to the OIG request that must not turn the ending into a refusal if Okta declines it. */
    async function tellOkta(r: AccessRequestView, message: string): Promise<void> {
      try {
        await okta.messageAccessRequest({ requestId: input.requestId, version: r.version, message });
      } catch (err) {
        if (!vendorRefusal(err)) throw err;
        log.warn('the OIG request could not be messaged', { requestId: input.requestId });
      }
    }
  }
}

export { grantStanding, requestStanding } from './standing';
