// The access policy file's schema: which resources can be requested from the Freshservice catalog, who may
// request them, their approval chains, separation-of-duties rules and the deadlines that drive reminders,
// escalation, expiry and time-bound access. Validated once; reaches workflows as plain data.
import { z } from 'zod';
import { OKTA_USER_STATUSES } from '../../integrations/okta/codes';
import { parseDurationMs } from './duration';

const duration = (what: string) =>
  z.string().transform((text, ctx) => {
    const ms = parseDurationMs(text);
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({
        code: 'custom',
        message: `${what} must be a duration like 30s, 15m, 4h, 3d, 2w or P7D`,
      });
      return z.NEVER;
    }
    return ms;
  });

/** Who approves one level of a chain. */
export const ZApprover = z.union([
  z.literal('manager').describe("the requested-for person's reporting manager"),
  z.literal('managers-manager').describe("the manager's manager"),
  z.literal('owner').describe("the resource's owner"),
  z.strictObject({ email: z.email() }),
  z.strictObject({ group: z.string().min(1).describe('a Freshservice agent group name') }),
]);
export type TApprover = z.infer<typeof ZApprover>;

/** Okta user statuses (Okta's UserStatus enum), the words of the policy's account rules. */
export const OKTA_ACCOUNT_STATUSES = OKTA_USER_STATUSES;

/** Accounts that can hold access: signed in now, or able to after a password or unlock step. */
export const DEFAULT_ELIGIBLE_ACCOUNT_STATUSES: (typeof OKTA_ACCOUNT_STATUSES)[number][] = [
  'ACTIVE',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
  'RECOVERY',
];

const ZAccountStatuses = z.array(z.enum(OKTA_ACCOUNT_STATUSES)).min(1);

const ZEligibility = z.strictObject({
  /** Freshservice/Okta department names; empty or absent = any. */
  departments: z.array(z.string().min(1)).optional(),
  /** Okta group names the requested-for person must be in (any of). */
  groups: z.array(z.string().min(1)).optional(),
  /** Okta account statuses that may receive this resource; absent = the defaults' list. */
  accountStatuses: ZAccountStatuses.optional(),
});

const ZTimings = z.strictObject({
  /** Remind the current approver this often while they have not answered. */
  reminderInterval: duration('reminderInterval').optional(),
  /** Escalate a level when its approver has not answered for this long. */
  escalationDelay: duration('escalationDelay').optional(),
  /** Who gets an escalated level: the manager's manager, or a fixed approver. */
  escalationTarget: ZApprover.optional(),
  /** The whole approval phase expires after this long without a decision. */
  expiry: duration('expiry').optional(),
  /** Longest access that may be granted; absent = permanent access allowed. */
  maxDuration: duration('maxDuration').optional(),
  /** Duration granted when the requester gives none; absent = permanent. */
  defaultDuration: duration('defaultDuration').optional(),
  /** Tell the requester this long before time-bound access ends. */
  noticeBefore: duration('noticeBefore').optional(),
  /** Whether extending access runs the approval chain again. */
  extensionRequiresApproval: z.boolean().optional(),
});

export const ZResourcePolicy = ZTimings.extend({
  /** The name a requester picks in the catalog item (`resource_name`); matched case-insensitively. */
  name: z.string().min(1),
  /** What it is in Okta. */
  okta: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('group'), name: z.string().min(1) }),
    z.strictObject({ type: z.literal('app'), label: z.string().min(1) }),
  ]),
  owner: ZApprover.optional(),
  approvalChain: z.array(ZApprover).min(1).optional(),
  /** Overrides the default approval channel for this resource. */
  approvalChannel: z.enum(['freshservice', 'okta']).optional(),
  eligible: ZEligibility.optional(),
});
export type TResourcePolicy = z.infer<typeof ZResourcePolicy>;

export const ZSodRule = z.strictObject({
  name: z.string().min(1),
  /** Holding any two of these (by resource name) is a conflict. */
  resources: z.array(z.string().min(1)).min(2),
  /** block: refuse the request; extra-approval: add a level approved by `approver`. */
  action: z.enum(['block', 'extra-approval']),
  approver: ZApprover.optional(),
});
export type TSodRule = z.infer<typeof ZSodRule>;

/** The policy file's access sections; the file's root (src/policy/index.ts) lists every family's. */
export const ACCESS_POLICY_SECTIONS = {
  defaults: ZTimings.extend({
    approvalChain: z.array(ZApprover).min(1).default(['manager']),
    /** freshservice: Freshservice approvals level by level; okta: an OIG request on the user's behalf. */
    approvalChannel: z.enum(['freshservice', 'okta']).default('freshservice'),
    /** The Freshservice status a finished request's ticket is set to. */
    finalTicketStatus: z.enum(['resolved', 'closed']).default('resolved'),
    /** Okta account statuses that may receive access; any other ends the request before approval. */
    eligibleAccountStatuses: ZAccountStatuses.default(DEFAULT_ELIGIBLE_ACCOUNT_STATUSES),
  }),
  resources: z.array(ZResourcePolicy).min(1),
  sod: z.array(ZSodRule).default([]),
  /** Requests raised in Okta (OIG) and tracked as Freshservice tickets. */
  oktaRequests: z
    .strictObject({
      /** Re-read an open request this often when no event arrives (safety net for missed webhooks). */
      pollInterval: duration('pollInterval').default(3_600_000),
      /** Keep checking a scheduled revocation for this long after it was due. */
      revocationGrace: duration('revocationGrace').default(86_400_000),
      finalTicketStatus: z.enum(['resolved', 'closed']).default('resolved'),
      ticketPriority: z.enum(['low', 'medium', 'high', 'urgent']).default('medium'),
    })
    .default({
      pollInterval: 3_600_000,
      revocationGrace: 86_400_000,
      finalTicketStatus: 'resolved',
      ticketPriority: 'medium',
    }),
};

const ZAccessSections = z.strictObject(ACCESS_POLICY_SECTIONS);

/** Rules across the access sections: unique resource names, owners where chains name one, SoD references. */
export function refineAccessPolicy(policy: z.output<typeof ZAccessSections>, ctx: z.RefinementCtx): void {
  const names = new Map<string, number>();
  policy.resources.forEach((r, i) => {
    const key = r.name.toLowerCase();
    if (names.has(key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['resources', i, 'name'],
        message: `duplicate resource "${r.name}"`,
      });
    }
    names.set(key, i);
    const chain = r.approvalChain ?? policy.defaults.approvalChain;
    if (chain.includes('owner') && !r.owner) {
      ctx.addIssue({
        code: 'custom',
        path: ['resources', i, 'owner'],
        message: `"${r.name}" has "owner" in its approval chain but no owner`,
      });
    }
  });
  policy.sod.forEach((rule, i) => {
    rule.resources.forEach((name, j) => {
      if (!names.has(name.toLowerCase())) {
        ctx.addIssue({
          code: 'custom',
          path: ['sod', i, 'resources', j],
          message: `unknown resource "${name}"`,
        });
      }
    });
    if (rule.action === 'extra-approval' && !rule.approver) {
      ctx.addIssue({
        code: 'custom',
        path: ['sod', i, 'approver'],
        message: 'extra-approval needs an approver',
      });
    }
  });
}

/** The access family alone (tests and tools that read only it). */
export const ZAccessPolicy = ZAccessSections.superRefine(refineAccessPolicy);

/** The validated policy, as workflows receive it (durations in ms). */
export type TAccessPolicy = z.infer<typeof ZAccessPolicy>;

/** Validates raw data (parsed YAML/JSON); throws an Error listing each failing path. */
export function parseAccessPolicy(raw: unknown, source = 'access policy'): TAccessPolicy {
  return parseOrThrow(ZAccessPolicy, raw, source);
}

/** Validates `raw` with `schema`; throws an Error listing each failing path (`Invalid <source>:`). */
export function parseOrThrow<T extends z.ZodType>(schema: T, raw: unknown, source: string): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid ${source}:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
