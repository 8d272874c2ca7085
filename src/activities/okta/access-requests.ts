// OIG access requests: reading one in the product's words, messaging it, and raising one for a catalog
// flow. Raising is looked up by its marker before it is created again (through the request list with OAuth,
// through the System Log with an API token, which may not list requests), so a lost 202 never opens a
// second request; a message, which Okta cannot read back, is sent at most once.
import { Context, log } from '@temporalio/activity';
import { VendorError } from '../../integrations/errors';
import type { OktaClient, TAccessRequest } from '../../integrations/okta';
import { accessRequestIdOf } from '../../intake';
import { mentionsCatalogMarker } from '../../workflows/catalog-access/contract';
import { CLOCK_SKEW_MS } from '../clock-skew';
import { accessRequestViewV1, accessRequestViewV2, fieldText, type ViewLookups } from './access-request-view';
import type { OktaActivities, OktaResource } from './contract';
import { isNotFound } from './lookups';
import type { OktaPrincipal } from './principal';
import { accessRequestStanding } from '../../integrations/okta/codes';

type AccessRequestActivities = Pick<
  OktaActivities,
  'readAccessRequest' | 'messageAccessRequest' | 'raiseAccessRequest'
>;

type RaiseInput = Parameters<OktaActivities['raiseAccessRequest']>[0];

/** Okta refused the call for the credentials (an API token on an OAuth-only endpoint, a missing scope). */
const isRefusedForCredentials = (err: unknown) =>
  err instanceof VendorError && (err.type === 'UNAUTHORIZED' || err.type === 'FORBIDDEN');

/** The oldest System Log lookup: far beyond any raise's retries, well within Okta's 90-day retention. */
const MAX_LOOKBACK_MS = 7 * 86_400_000;
/** System Log page size (Okta's maximum) and the most pages one lookup reads. */
const LOG_PAGE_SIZE = 1000;
const MAX_LOG_PAGES = 10;

/** v1 request ids are 24 hex digits; v2 ids are not. */
const isV1Id = (id: string) => /^[0-9a-f]{24}$/i.test(id);

export function createAccessRequestActivities(
  okta: OktaClient,
  deps: { adminUrl: string; principal: OktaPrincipal },
): AccessRequestActivities {
  const adminBase = deps.adminUrl.replace(/\/+$/, '');
  const { principal } = deps;

  const lookups: ViewLookups = {
    link: (id) => `${adminBase}/admin/governance/requests/${encodeURIComponent(id)}`,

    async resourceName(type, id) {
      if (!id) return null;
      try {
        if (type && /GROUP/i.test(type)) return (await okta.getGroup(id)).profile.name;
        if (type && /APP/i.test(type)) return (await okta.getApp(id)).label;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return null;
    },

    /** Checked only for requests that mention a catalog marker: an ordinary request costs no extra call. */
    async raisedByAccessBridge(texts, createdBy) {
      return texts.some(mentionsCatalogMarker) && (await principal.createdByAccessBridge(createdBy));
    },
  };

  /**
   * Whether `r` is the request `input` raised: for that person and resource, created by access-bridge, with
   * a field that ends with the marker (a requester may type any marker into their own text).
   */
  async function isRaisedBy(input: RaiseInput, r: TAccessRequest): Promise<boolean> {
    if (r.requestedFor.externalId !== input.requestedForId) return false;
    if ((r.requested.resourceId ?? r.requested.accessScopeId) !== input.resource.id) return false;
    const marked = r.requesterFieldValues.some((f) => fieldText(f.value).trimEnd().endsWith(input.marker));
    return marked && (await principal.createdByAccessBridge(r.createdBy));
  }

  /**
   * The id of the request an earlier attempt of this raise created, if any. The request list answers with
   * OAuth only (the spec gives `GET /governance/api/v2/requests` no API-token scheme); with an API token
   * the System Log's access.request.create events since the raise was first scheduled name the candidates,
   * each read by id (which an API token may do).
   */
  async function findRaisedRequest(input: RaiseInput): Promise<string | undefined> {
    try {
      const filter = `requestedFor eq "${input.requestedForId}" AND resourceId eq "${input.resource.id}"`;
      for await (const r of okta.listAccessRequests(filter, { orderBy: 'created desc' })) {
        if (await isRaisedBy(input, r)) return r.id;
      }
      return undefined;
    } catch (err) {
      if (!isRefusedForCredentials(err)) throw err;
    }
    return findRaisedInSystemLog(input);
  }

  /**
   * The System Log lookup for API tokens. The log is near real time, not instant: a retry within its
   * indexing delay (seconds) can still miss the first request. Event target types are undocumented, so
   * the request id is read the way intake reads it, and every candidate is checked on the request itself.
   */
  async function findRaisedInSystemLog(input: RaiseInput): Promise<string | undefined> {
    const now = Date.now();
    const firstScheduled = Context.current().info.scheduledTimestampMs;
    const since = Math.max(firstScheduled - CLOCK_SKEW_MS, now - MAX_LOOKBACK_MS);
    const checked = new Set<string>();
    let page = await okta.listLogs({
      since: new Date(since).toISOString(),
      until: new Date(now + CLOCK_SKEW_MS).toISOString(),
      filter: 'eventType eq "access.request.create"',
      sortOrder: 'ASCENDING',
      limit: LOG_PAGE_SIZE,
    });
    for (let pages = 1; ; pages++) {
      for (const event of page.events) {
        const id = accessRequestIdOf(event);
        if (!id || checked.has(id) || isV1Id(id)) continue;
        checked.add(id);
        let r: TAccessRequest;
        try {
          r = await okta.getAccessRequest(id);
        } catch (err) {
          if (isNotFound(err)) continue;
          throw err;
        }
        if (await isRaisedBy(input, r)) return r.id;
      }
      if (!page.nextUrl || page.events.length === 0 || pages >= MAX_LOG_PAGES) return undefined;
      page = await okta.listLogs({ nextUrl: page.nextUrl });
    }
  }

  /** The catalog entry that grants `resource` (its _links point at the group or app). */
  async function catalogEntryFor(resource: OktaResource): Promise<string> {
    for (const filter of [`name eq "${resource.name}"`, `label eq "${resource.name}"`]) {
      for await (const entry of okta.listCatalogEntries(filter)) {
        const links = JSON.stringify((entry as Record<string, unknown>)._links ?? {});
        if (links.includes(resource.id) || entry.name === resource.name || entry.label === resource.name)
          return entry.id;
      }
    }
    const summary = `No requestable catalog entry for ${resource.type} "${resource.name}" in Okta Identity Governance`;
    throw new VendorError({
      vendor: 'okta',
      type: 'NOT_FOUND',
      message: summary,
      summary,
      remedy: `Add a requestable catalog entry for ${resource.name} in Okta Identity Governance, or set approvalChannel: freshservice for this resource in the access policy; then raise the request again.`,
    });
  }

  return {
    async readAccessRequest(requestId) {
      const view = isV1Id(requestId)
        ? await accessRequestViewV1(await okta.getAccessRequestV1(requestId), lookups)
        : await accessRequestViewV2(await okta.getAccessRequest(requestId), lookups);
      return { ...view, standing: accessRequestStanding(view) };
    },

    async messageAccessRequest(input) {
      // Neither OIG API reads a request's messages back, nor takes an idempotency key: a retry cannot tell
      // whether a message whose answer was lost landed. So it is sent at most once: when the answer is lost
      // after the call may have reached Okta, the message counts as sent (unconfirmed) rather than twice.
      try {
        if (input.version === 'v1') await okta.postRequestMessageV1(input.requestId, input.message);
        else await okta.postRequestMessage(input.requestId, input.message);
        return { confirmed: true };
      } catch (err) {
        if (!(err instanceof VendorError && err.outcomeUnknown)) throw err;
        log.warn('OIG request message sent but Okta did not answer; not sending it again', {
          requestId: input.requestId,
          error: err.message,
        });
        return { confirmed: false };
      }
    },

    async raiseAccessRequest(input) {
      // A retry after a lost 202 finds the first request by its marker before raising another one.
      const earlier = await findRaisedRequest(input);
      if (earlier) return { requestId: earlier, created: false };
      const entryId = await catalogEntryFor(input.resource);
      const created = await okta.createAccessRequest({
        entryId,
        requestedForUserId: input.requestedForId,
        requesterFieldValues: [
          { id: 'justification', type: 'TEXT', value: input.justification },
          ...(input.accessDuration
            ? [{ id: 'duration', type: 'DURATION', value: input.accessDuration }]
            : []),
        ],
      });
      return { requestId: created.id, created: true };
    },
  };
}
