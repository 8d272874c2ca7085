// Maps OIG requests of both API versions onto one AccessRequestView, so workflows decide on v2's words
// whichever version Okta answered with (v1 for 24-hex ids). What needs a call to Okta (a resource's name,
// the request's creator) comes in as lookups.
import { z } from 'zod';
import type { TAccessRequest, TAccessRequestV1 } from '../../integrations/okta';
import type { AccessRequestStatus, AccessRequestView } from './contract';

/** The reads a view needs beyond the request itself. */
export type ViewLookups = {
  /** Link to the request in the Okta admin console. */
  link(requestId: string): string;
  /** The group's or app's name; null when the type is neither or Okta has no such resource. */
  resourceName(type: string | null | undefined, id: string | null | undefined): Promise<string | null>;
  /** Whether access-bridge raised the request (see AccessRequestView.raisedByAccessBridge). */
  raisedByAccessBridge(texts: string[], createdBy: string | null | undefined): Promise<boolean>;
};

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

/** A requester field's value as text (lists joined with commas). */
export function fieldText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(fieldText).join(', ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export async function accessRequestViewV2(
  r: TAccessRequest,
  lookups: ViewLookups,
): Promise<AccessRequestView> {
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
    raisedByAccessBridge: await lookups.raisedByAccessBridge(
      fields.map((f) => f.value),
      r.createdBy,
    ),
    requestedForId: r.requestedFor.type === 'OKTA_USER' ? r.requestedFor.externalId : null,
    requestedById: r.requestedBy?.type === 'OKTA_USER' ? r.requestedBy.externalId : null,
    resource:
      id && type
        ? { type, id, name: r.requested.resourceName ?? (await lookups.resourceName(type, id)) }
        : null,
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
    link: lookups.link(r.id),
  };
}

export async function accessRequestViewV1(
  r: TAccessRequestV1,
  lookups: ViewLookups,
): Promise<AccessRequestView> {
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
    raisedByAccessBridge: await lookups.raisedByAccessBridge(
      fields.map((f) => f.value),
      extras?.createdBy,
    ),
    requestedForId: requester,
    requestedById: requester,
    resource: action?.resourceId
      ? {
          type: action.resourceType ?? 'APP',
          id: action.resourceId,
          name: await lookups.resourceName(action.resourceType, action.resourceId),
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
    link: lookups.link(r.id),
  };
}
