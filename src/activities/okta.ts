// Okta activities over the OktaClient interface, in the product's words (OktaActivities). Grants and
// revocations are idempotent by nature; raising an OIG request is looked up by its marker before it is
// created again (through the request list with OAuth, through the System Log with an API token, which may
// not list requests), so a lost 202 never opens a second request; an OIG message, which Okta cannot read
// back, is sent at most once.
import { Context, heartbeat, log } from '@temporalio/activity';
import { z } from 'zod';
import { VendorError } from '../integrations/errors';
import type { OktaClient, TAccessRequest, TAccessRequestV1, TOktaUser } from '../integrations/okta';
import { accessRequestIdOf } from '../intake';
import { mentionsCatalogMarker } from '../workflows/catalog-access/contract';
import { withFailureMapping } from './failures';
import type { OktaActivities } from './okta-contract';
import { resolveOktaUser } from './okta-identity';
import type {
  AccessRequestStatus,
  AccessRequestView,
  OktaPerson,
  OktaResource,
  PersonResolution,
} from './views';

export type OktaActivityOptions = {
  /** Base of links to requests in the Okta admin console. */
  adminUrl: string;
};

/** Okta's "Deactivate application for user forbidden": a group membership still grants the app. */
const GROUP_GRANTED_APP = 'E0000046';

const isNotFound = (err: unknown) => err instanceof VendorError && err.type === 'NOT_FOUND';

/** Okta refused the call for the credentials (an API token on an OAuth-only endpoint, a missing scope). */
const isRefusedForCredentials = (err: unknown) =>
  err instanceof VendorError && (err.type === 'UNAUTHORIZED' || err.type === 'FORBIDDEN');

/** How far Okta's clock may lag the worker's when a System Log lookup starts at the first schedule. */
const CLOCK_SKEW_MS = 60_000;
/** The oldest System Log lookup: far beyond any raise's retries, well within Okta's 90-day retention. */
const MAX_LOOKBACK_MS = 7 * 86_400_000;
/** System Log page size (Okta's maximum) and the most pages one lookup reads. */
const LOG_PAGE_SIZE = 1000;
const MAX_LOG_PAGES = 10;

function toPerson(u: TOktaUser): OktaPerson {
  const p = u.profile;
  return {
    id: u.id,
    login: p.login,
    email: p.email,
    displayName: [p.firstName, p.lastName].filter(Boolean).join(' ') || p.login,
    status: u.status,
    department: p.department ?? null,
    managerRef: p.managerId ?? p.manager ?? null,
  };
}

/** The parts of a v1 request and of v2's requestApproval the client's schemas pass through unnamed. */
const ZV1Extras = z.looseObject({
  permalinkId: z.number().int().nullish().catch(null),
  createdBy: z.string().nullish().catch(null),
  requesterFieldValues: z
    .array(z.looseObject({ id: z.string().nullish(), prompt: z.string().nullish(), value: z.unknown() }))
    .nullish()
    .catch(null),
});
const ZPermalink = z.looseObject({ permalinkId: z.number().int().nullish().catch(null) });

/** A v1 approval decision in v2's words; undefined for a word this product does not know. */
function v1DecisionStatus(decision: string): AccessRequestStatus | undefined {
  if (/APPROV/i.test(decision)) return 'APPROVED';
  if (/DEN|REJECT/i.test(decision)) return 'DENIED';
  if (/CANCEL/i.test(decision)) return 'CANCELED';
  if (/EXPIR/i.test(decision)) return 'EXPIRED';
  return undefined;
}

/** A v1 action's result in v2's grantStatus words (SUCCEEDED is GRANTED); null when nothing is to grant. */
function v1GrantStatus(action: { status?: string | null; actionStatus?: string | null } | undefined) {
  if (!action) return null;
  if (action.actionStatus === 'SUCCEEDED') return 'GRANTED';
  if (action.actionStatus === 'FAILED') return 'FAILED';
  if (action.actionStatus) return action.actionStatus;
  return action.status === 'COMPLETED' ? 'COMPLETED' : 'PENDING';
}

function fieldText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(fieldText).join(', ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function createOktaActivities(okta: OktaClient, opts: OktaActivityOptions): OktaActivities {
  const adminBase = opts.adminUrl.replace(/\/+$/, '');
  const requestLink = (id: string) => `${adminBase}/admin/governance/requests/${encodeURIComponent(id)}`;

  /**
   * The Okta principal access-bridge acts as: the admin behind an API token (`GET /users/me`), or null
   * when no user stands behind the credentials (an OAuth service app). Asked once per worker.
   */
  let ownPrincipal: Promise<string | null> | undefined;
  function principal(): Promise<string | null> {
    ownPrincipal ??= okta.getUser('me').then(
      (u) => u.id,
      (err: unknown) => {
        if (err instanceof VendorError && !err.retryable) return null;
        ownPrincipal = undefined;
        throw err;
      },
    );
    return ownPrincipal;
  }

  /**
   * Whether access-bridge's own Okta principal created a request: Okta records the creator and no requester
   * can set it. With a service app (no user behind it) the creator is the app, never a person.
   */
  async function createdByAccessBridge(createdBy: string | null | undefined): Promise<boolean> {
    if (!createdBy) return false;
    const me = await principal();
    if (me !== null) return createdBy === me;
    return (await getUserOrNull(createdBy)) === null;
  }

  /** Checked only for requests that mention a catalog marker: an ordinary request costs no extra call. */
  async function raisedByAccessBridge(texts: string[], createdBy: string | null | undefined) {
    return texts.some(mentionsCatalogMarker) && (await createdByAccessBridge(createdBy));
  }

  async function getUserOrNull(idOrLogin: string): Promise<TOktaUser | null> {
    try {
      return await okta.getUser(idOrLogin);
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async function resourceName(
    type: string | null | undefined,
    id: string | null | undefined,
  ): Promise<string | null> {
    if (!id) return null;
    try {
      if (type && /GROUP/i.test(type)) return (await okta.getGroup(id)).profile.name;
      if (type && /APP/i.test(type)) return (await okta.getApp(id)).label;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    return null;
  }

  async function viewV2(r: TAccessRequest): Promise<AccessRequestView> {
    const fields = r.requesterFieldValues.map((f) => ({ label: f.label ?? f.id, value: fieldText(f.value) }));
    const justification =
      fields.find((f) => /justif|reason|business/i.test(f.label))?.value ??
      r.requesterFieldValues.find((f) => f.type === 'TEXT')?.value?.toString() ??
      null;
    const type = r.requested.resourceType ?? r.requested.accessScopeType ?? null;
    const id = r.requested.resourceId ?? r.requested.accessScopeId ?? null;
    return {
      id: r.id,
      version: 'v2',
      status: r.status,
      permalinkId: ZPermalink.safeParse(r.requestApproval ?? {}).data?.permalinkId ?? null,
      createdBy: r.createdBy ?? null,
      raisedByAccessBridge: await raisedByAccessBridge(
        fields.map((f) => f.value),
        r.createdBy,
      ),
      requestedForId: r.requestedFor.type === 'OKTA_USER' ? r.requestedFor.externalId : null,
      requestedById: r.requestedBy?.type === 'OKTA_USER' ? r.requestedBy.externalId : null,
      resource:
        id && type ? { type, id, name: r.requested.resourceName ?? (await resourceName(type, id)) } : null,
      catalogEntryId: r.requested.entryId ?? null,
      justification: justification || null,
      accessDuration: r.accessDuration ?? null,
      decisions: (r.requestApproval?.decisions ?? []).map((d) => ({
        by: d.deciderName ?? d.deciderId ?? 'unknown',
        decision: d.decision ?? 'unknown',
        at: d.decided ?? null,
      })),
      grantStatus: r.grantStatus ?? null,
      granted: r.granted ?? null,
      revocationStatus: r.revocationStatus ?? null,
      revoked: r.revoked ?? null,
      revocationScheduled: r.revocationScheduled ?? null,
      resolved: r.resolved ?? null,
      created: r.created,
      lastUpdated: r.lastUpdated ?? null,
      fields,
      link: requestLink(r.id),
    };
  }

  async function viewV1(r: TAccessRequestV1): Promise<AccessRequestView> {
    const extras = ZV1Extras.safeParse(r).data;
    const decided = (r.approvals ?? []).find((a) => a.status === 'COMPLETED' && a.decision);
    const action = (r.actions ?? [])[0];
    // v1 has no cancelled or expired status: RESOLVED says which only through its approval's decision. One
    // resolved without a decision stays RESOLVED; a decision word we do not know is passed on as it is.
    let status: string = r.requestStatus;
    if (r.requestStatus === 'RESOLVED' && decided?.decision)
      status = v1DecisionStatus(decided.decision) ?? decided.decision;
    const requester = r.requesterUserIds?.[0] ?? null;
    const fields = (extras?.requesterFieldValues ?? []).map((f) => ({
      label: f.prompt ?? f.id ?? 'Field',
      value: fieldText(f.value),
    }));
    const justification =
      fields.find((f) => /justif|reason|business/i.test(f.label))?.value || r.subject || null;
    if (r.subject) fields.unshift({ label: 'Subject', value: r.subject });
    return {
      id: r.id,
      version: 'v1',
      status,
      permalinkId: extras?.permalinkId ?? null,
      createdBy: extras?.createdBy ?? null,
      raisedByAccessBridge: await raisedByAccessBridge(
        fields.map((f) => f.value),
        extras?.createdBy,
      ),
      requestedForId: requester,
      requestedById: requester,
      resource: action?.resourceId
        ? {
            type: action.resourceType ?? 'APP',
            id: action.resourceId,
            name: await resourceName(action.resourceType, action.resourceId),
          }
        : null,
      catalogEntryId: null,
      justification,
      accessDuration: null,
      // Who and when, as v2 words them: the approver's name (their id only when v1 gives no name).
      decisions: decided
        ? [
            {
              by: decided.approverName ?? decided.approverId ?? 'unknown',
              decision: decided.decision ?? 'unknown',
              at: decided.decided ?? null,
            },
          ]
        : [],
      grantStatus: v1GrantStatus(action),
      granted: null,
      revocationStatus: null,
      revoked: null,
      revocationScheduled: null,
      resolved: r.resolved ?? null,
      created: r.created ?? null,
      lastUpdated: r.lastUpdated ?? null,
      fields,
      link: requestLink(r.id),
    };
  }

  async function resolvePerson(ref: { email: string; login?: string }): Promise<PersonResolution> {
    const r = await resolveOktaUser(okta, ref);
    if (r.kind === 'found') return { kind: 'found', person: toPerson(r.user), matchedBy: r.matchedBy };
    if (r.kind === 'not-found') return r;
    return {
      kind: 'ambiguous',
      matchedBy: r.matchedBy,
      candidates: r.candidates.map((u) => ({ id: u.id, login: u.profile.login, status: u.status })),
    };
  }

  async function findPerson(ref: {
    id?: string;
    login?: string;
    email?: string;
  }): Promise<OktaPerson | null> {
    if (ref.id) {
      const u = await getUserOrNull(ref.id);
      return u ? toPerson(u) : null;
    }
    const email = ref.email ?? ref.login;
    if (!email) return null;
    const r = await resolvePerson({ email, ...(ref.login ? { login: ref.login } : {}) });
    return r.kind === 'found' ? r.person : null;
  }

  async function hasAccess(input: { userId: string; resource: OktaResource }): Promise<boolean> {
    if (input.resource.type === 'group') {
      const groups = await okta.listUserGroups(input.userId);
      return groups.some((g) => g.id === input.resource.id);
    }
    return (await okta.getAppUser(input.resource.id, input.userId)) !== undefined;
  }

  async function resolveResource(spec: { type: 'group'; name: string } | { type: 'app'; label: string }) {
    if (spec.type === 'group') {
      const g = await okta.findGroupByName(spec.name);
      return g ? ({ type: 'group', id: g.id, name: g.profile.name } as const) : null;
    }
    const app = await okta.findAppByLabelOrName(spec.label);
    return app ? ({ type: 'app', id: app.id, name: app.label } as const) : null;
  }

  const activities: OktaActivities = {
    async readAccessRequest(requestId) {
      if (/^[0-9a-f]{24}$/i.test(requestId)) return viewV1(await okta.getAccessRequestV1(requestId));
      return viewV2(await okta.getAccessRequest(requestId));
    },

    findPerson,
    resolvePerson,

    async findManager(person) {
      const ref = person.managerRef?.trim();
      if (!ref) return null;
      if (ref.includes('@')) return findPerson({ login: ref, email: ref });
      const u = await getUserOrNull(ref);
      return u ? toPerson(u) : null;
    },

    resolveResource,

    async listGroupNames(userId) {
      return (await okta.listUserGroups(userId)).map((g) => g.profile.name);
    },

    hasAccess,

    async heldResources(input) {
      const held: string[] = [];
      for (const { name, spec } of input.specs) {
        const resource = await resolveResource(spec);
        if (resource && (await hasAccess({ userId: input.userId, resource }))) held.push(name);
        heartbeat(name);
      }
      return held;
    },

    async grantAccess(input) {
      const alreadyHad = await hasAccess(input);
      if (!alreadyHad) {
        if (input.resource.type === 'group') await okta.addUserToGroup(input.resource.id, input.userId);
        else await okta.assignUserToApp(input.resource.id, input.userId);
      }
      return { alreadyHad };
    },

    async revokeAccess(input) {
      const wasPresent = await hasAccess(input);
      if (input.resource.type === 'group') {
        await okta.removeUserFromGroup(input.resource.id, input.userId);
        return { wasPresent };
      }
      try {
        await okta.unassignUserFromApp(input.resource.id, input.userId);
      } catch (err) {
        if (!(err instanceof VendorError && err.vendorCode === GROUP_GRANTED_APP)) throw err;
        throw err.withRemedy(await groupGrantRemedy(input.resource, input.userId));
      }
      return { wasPresent };
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

  type RaiseInput = Parameters<OktaActivities['raiseAccessRequest']>[0];

  /**
   * Whether `r` is the request `input` raised: for that person and resource, created by access-bridge, with
   * a field that ends with the marker (a requester may type any marker into their own text).
   */
  async function isRaisedBy(input: RaiseInput, r: TAccessRequest): Promise<boolean> {
    if (r.requestedFor.externalId !== input.requestedForId) return false;
    if ((r.requested.resourceId ?? r.requested.accessScopeId) !== input.resource.id) return false;
    const marked = r.requesterFieldValues.some((f) => fieldText(f.value).trimEnd().endsWith(input.marker));
    return marked && (await createdByAccessBridge(r.createdBy));
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
        if (!id || checked.has(id) || /^[0-9a-f]{24}$/i.test(id)) continue;
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

  /** Names the user's groups that grant the app, so an agent knows which membership to remove. */
  async function groupGrantRemedy(app: OktaResource, userId: string): Promise<string> {
    const granting = new Set<string>();
    for await (const g of okta.listAppGroups(app.id)) granting.add(g.id);
    const groups = (await okta.listUserGroups(userId)).filter((g) => granting.has(g.id));
    if (groups.length === 0)
      return `Okta says a group grants ${app.name}; find the user's group assigned to the app and remove the membership, or unassign the app in the Okta admin console.`;
    const names = groups.map((g) => `"${g.profile.name}" (${g.id})`).join(', ');
    return `${app.name} comes to this user through group ${names}. Remove the user from ${
      groups.length > 1 ? 'those groups' : 'that group'
    } in Okta (or change the group's app assignment), then check that the access is gone.`;
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

  return withFailureMapping(activities);
}
