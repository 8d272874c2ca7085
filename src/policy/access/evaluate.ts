// Pure evaluation of the access policy: which resource a request names, whether the person may request it,
// separation-of-duties conflicts, the approval levels to run and the access window. No I/O and no clock
// of its own (callers pass `nowMs`), so workflows call these directly and replay them identically.
import { nonExistentDateMessage } from './calendar-date';
import { formatDuration } from './duration';
import type { TAccessPolicy, TApprover, TResourcePolicy, TSodRule } from './schema';

/** The sections evaluation reads: defaults, resources and separation-of-duties rules. */
export type TResourceRules = Pick<TAccessPolicy, 'defaults' | 'resources' | 'sod'>;

/** A resource with the policy defaults filled in. */
export type EffectiveResource = TResourcePolicy & {
  approvalChain: TApprover[];
  approvalChannel: TAccessPolicy['defaults']['approvalChannel'];
  finalTicketStatus: TAccessPolicy['defaults']['finalTicketStatus'];
  /** Okta account statuses that may receive this resource. */
  eligibleAccountStatuses: string[];
};

export function resolveResource(policy: TResourceRules, name: string): EffectiveResource | undefined {
  const wanted = name.trim().toLowerCase();
  const resource = policy.resources.find((r) => r.name.toLowerCase() === wanted);
  return resource ? effective(policy, resource) : undefined;
}

/** The kinds of Okta resource a request names (the catalog form's `resource_type`). */
export type ResourceKind = 'group' | 'app';

/** `resource_type` as the form gives it: group(s), app(s) or application(s), any case; else undefined. */
export function parseResourceKind(value: unknown): ResourceKind | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'group' || v === 'groups') return 'group';
  if (v === 'app' || v === 'apps' || v === 'application' || v === 'applications') return 'app';
  return undefined;
}

/** A resource name as people type it: case, and spaces around or repeated inside, do not matter. */
export const normaliseResourceName = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The resource a request names: its name matched after normalising spaces and case, and only among the
 * resources of the kind asked for (a group request never resolves an app). `otherKind` is a resource of
 * the other kind with that name, so a refusal can say what the name is.
 */
export function resolveRequestedResource(
  policy: TResourceRules,
  name: string,
  kind: ResourceKind | undefined,
): { resource: EffectiveResource | undefined; otherKind: EffectiveResource | undefined } {
  const wanted = normaliseResourceName(name);
  const named = policy.resources.filter((r) => normaliseResourceName(r.name) === wanted);
  const resource = named.find((r) => kind === undefined || r.okta.type === kind);
  const other = resource ? undefined : named[0];
  return {
    resource: resource ? effective(policy, resource) : undefined,
    otherKind: other ? effective(policy, other) : undefined,
  };
}

/** The names of the resources of one kind (or all), for a note saying what can be requested. */
export function requestableNames(policy: TResourceRules, kind?: ResourceKind): string[] {
  return policy.resources.filter((r) => kind === undefined || r.okta.type === kind).map((r) => r.name);
}

function effective(policy: TResourceRules, resource: TResourceRules['resources'][number]): EffectiveResource {
  const d = policy.defaults;
  return {
    ...resource,
    approvalChain: resource.approvalChain ?? d.approvalChain,
    approvalChannel: resource.approvalChannel ?? d.approvalChannel,
    finalTicketStatus: d.finalTicketStatus,
    eligibleAccountStatuses: resource.eligible?.accountStatuses ?? d.eligibleAccountStatuses,
    reminderInterval: resource.reminderInterval ?? d.reminderInterval,
    escalationDelay: resource.escalationDelay ?? d.escalationDelay,
    escalationTarget: resource.escalationTarget ?? d.escalationTarget,
    expiry: resource.expiry ?? d.expiry,
    maxDuration: resource.maxDuration ?? d.maxDuration,
    defaultDuration: resource.defaultDuration ?? d.defaultDuration,
    noticeBefore: resource.noticeBefore ?? d.noticeBefore,
    extensionRequiresApproval: resource.extensionRequiresApproval ?? d.extensionRequiresApproval ?? true,
  };
}

export type Subject = {
  /** Department name of the requested-for person (Freshservice or Okta profile), if known. */
  department: string | null;
  /** Names of the Okta groups they are in. */
  oktaGroups: string[];
};

export type Verdict = { ok: true } | { ok: false; reason: string };

export function checkEligibility(resource: EffectiveResource, subject: Subject): Verdict {
  const rule = resource.eligible;
  if (!rule) return { ok: true };
  const lc = (s: string) => s.toLowerCase();
  if (rule.departments?.length) {
    const dept = subject.department ? lc(subject.department) : undefined;
    if (!dept || !rule.departments.map(lc).includes(dept)) {
      return {
        ok: false,
        reason: `"${resource.name}" may be requested only by ${rule.departments.join(', ')} (department: ${
          subject.department ?? 'unknown'
        })`,
      };
    }
  }
  if (rule.groups?.length) {
    const held = new Set(subject.oktaGroups.map(lc));
    if (!rule.groups.some((g) => held.has(lc(g)))) {
      return {
        ok: false,
        reason: `"${resource.name}" requires membership of one of: ${rule.groups.join(', ')}`,
      };
    }
  }
  return { ok: true };
}

/**
 * Whether an Okta account in `status` may receive the resource. Checked before approval is asked and again
 * right before the grant, since an account can be suspended while its approval waits.
 */
export function checkAccountStatus(resource: EffectiveResource, status: string): Verdict {
  if (resource.eligibleAccountStatuses.includes(status)) return { ok: true };
  return {
    ok: false,
    reason: `the Okta account is ${status}; "${resource.name}" can be granted only to accounts that are ${resource.eligibleAccountStatuses.join(', ')}`,
  };
}

/** The policy resources whose Okta access must be checked to evaluate SoD for `resourceName`. */
export function sodRelatedResources(policy: TResourceRules, resourceName: string): string[] {
  const wanted = resourceName.toLowerCase();
  const out = new Set<string>();
  for (const rule of policy.sod) {
    if (!rule.resources.some((r) => r.toLowerCase() === wanted)) continue;
    for (const r of rule.resources) if (r.toLowerCase() !== wanted) out.add(r);
  }
  return [...out];
}

export type SodConflict = { rule: TSodRule; heldResource: string };

export function findSodConflicts(
  policy: TResourceRules,
  resourceName: string,
  heldResources: string[],
): SodConflict[] {
  const wanted = resourceName.toLowerCase();
  const held = heldResources.map((h) => h.toLowerCase());
  const conflicts: SodConflict[] = [];
  for (const rule of policy.sod) {
    const names = rule.resources.map((r) => r.toLowerCase());
    if (!names.includes(wanted)) continue;
    const hit = rule.resources.find((r) => r.toLowerCase() !== wanted && held.includes(r.toLowerCase()));
    if (hit) conflicts.push({ rule, heldResource: hit });
  }
  return conflicts;
}

export type ApprovalLevel = { index: number; approver: TApprover; reason: string };

export type ApprovalPlan = { blockedBy: SodConflict | undefined; levels: ApprovalLevel[] };

/**
 * The levels to run: the resource's chain, then one per separation-of-duties rule asking for an extra
 * approval. A chain level's reason counts every level the request runs (`approval chain level 2 of 3` when
 * a rule adds a third); `chainOnlyCount` keeps the wording of runs recorded before, which counted the chain
 * alone.
 */
export function planApprovals(
  resource: EffectiveResource,
  conflicts: SodConflict[],
  options: { chainOnlyCount?: boolean } = {},
): ApprovalPlan {
  const blockedBy = conflicts.find((c) => c.rule.action === 'block');
  if (blockedBy) return { blockedBy, levels: [] };
  const extra = conflicts.flatMap((c) =>
    c.rule.action === 'extra-approval' && c.rule.approver ? [{ ...c, approver: c.rule.approver }] : [],
  );
  const chain = resource.approvalChain.length;
  const total = options.chainOnlyCount ? chain : chain + extra.length;
  const levels: ApprovalLevel[] = resource.approvalChain.map((approver, i) => ({
    index: i + 1,
    approver: approver === 'owner' && resource.owner ? resource.owner : approver,
    reason: `approval chain level ${i + 1} of ${total}`,
  }));
  for (const c of extra) {
    levels.push({
      index: levels.length + 1,
      approver: c.approver,
      reason: `separation of duties "${c.rule.name}": already holds ${c.heldResource}`,
    });
  }
  return { blockedBy: undefined, levels };
}

/** Whether the conflicts add approval levels to the chain (and so change how levels are counted). */
export const addsApprovalLevels = (conflicts: SodConflict[]) =>
  conflicts.some((c) => c.rule.action === 'extra-approval' && c.rule.approver !== undefined);

export function describeApprover(approver: TApprover): string {
  if (approver === 'manager') return 'reporting manager';
  if (approver === 'managers-manager') return "manager's manager";
  if (approver === 'owner') return 'resource owner';
  return 'email' in approver ? approver.email : `agent group "${approver.group}"`;
}

/** How the requested end is named in refusals: in words and as the catalog form's field. */
export const END_DATE_FIELD = 'end date (end_date)';

export type AccessWindowRequest = {
  /** Days the requester asked for, if any. */
  durationDays?: number | null;
  /** ISO date or date-time the requester asked access to end, if any. */
  endDate?: string | null;
};

export type AccessWindow =
  { ok: true; endAtMs: number | null; note: string | undefined } | { ok: false; reason: string };

/** When access granted at `grantedAtMs` ends: the request's end, capped by the resource's maximum. */
export function computeAccessWindow(
  resource: EffectiveResource,
  req: AccessWindowRequest,
  grantedAtMs: number,
  options: { calendarRollover?: boolean } = {},
): AccessWindow {
  let endAtMs: number | null = null;
  if (req.endDate) {
    // A day the calendar does not have (2027-02-30) is refused, never rolled over into the next month; only
    // runs recorded before this rule keep the rollover (`calendarRollover`), so they replay unchanged.
    const missing = options.calendarRollover
      ? undefined
      : nonExistentDateMessage(END_DATE_FIELD, req.endDate);
    if (missing) return { ok: false, reason: missing };
    const parsed = Date.parse(req.endDate);
    if (Number.isNaN(parsed)) return { ok: false, reason: `end date "${req.endDate}" is not a date` };
    // A bare date means the end of that day, UTC.
    endAtMs = /^\d{4}-\d{2}-\d{2}$/.test(req.endDate.trim()) ? parsed + 86_400_000 - 1000 : parsed;
    if (endAtMs <= grantedAtMs) return { ok: false, reason: `end date ${req.endDate} is in the past` };
  } else if (req.durationDays !== undefined && req.durationDays !== null) {
    if (!(req.durationDays > 0))
      return { ok: false, reason: `duration ${req.durationDays} days is not positive` };
    endAtMs = grantedAtMs + req.durationDays * 86_400_000;
  } else if (resource.defaultDuration) {
    endAtMs = grantedAtMs + resource.defaultDuration;
  }
  const max = resource.maxDuration;
  if (max !== undefined) {
    const cap = grantedAtMs + max;
    if (endAtMs === null) {
      return {
        ok: true,
        endAtMs: cap,
        note: `permanent access is not allowed; granted for ${formatDuration(max)}`,
      };
    }
    if (endAtMs > cap) {
      return { ok: true, endAtMs: cap, note: `shortened to the maximum of ${formatDuration(max)}` };
    }
  }
  return { ok: true, endAtMs, note: undefined };
}

/** Whether access may be extended to `newEndAtMs`; the maximum counts from the original grant. */
export function checkExtension(
  resource: EffectiveResource,
  grantedAtMs: number,
  newEndAtMs: number,
  nowMs: number,
): Verdict {
  if (newEndAtMs <= nowMs) return { ok: false, reason: 'the new end must be in the future' };
  if (resource.maxDuration !== undefined && newEndAtMs > grantedAtMs + resource.maxDuration) {
    return {
      ok: false,
      reason: `"${resource.name}" may be held for at most ${formatDuration(resource.maxDuration)} from the grant`,
    };
  }
  return { ok: true };
}
