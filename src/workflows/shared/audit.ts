// How a `state` answer is read for the audit export: lenient schemas for the fields access workflows share
// (a run from an older version may lack some), so each capability's contract maps its state in a few lines.
import { z } from 'zod';
import type { AuditFields, Decision } from './contract';

const ZDecision = z.object({
  decision: z.string(),
  by: z.string(),
  at: z.string(),
  channel: z.string(),
  level: z.number().optional(),
  reason: z.string().optional(),
});

const ZEmail = z.object({ email: z.string().nullable().optional() }).nullable().optional();

/** The fields an access workflow's state may carry, each optional. */
export const ZAuditState = z.object({
  ticketId: z.number().nullable().optional(),
  requestId: z.string().optional(),
  oktaRequestId: z.string().nullable().optional(),
  requester: ZEmail,
  requestedFor: ZEmail,
  resource: z.object({ name: z.string().nullable().optional() }).nullable().optional(),
  decisions: z.array(ZDecision).optional(),
  outcome: z.string().nullable().optional(),
  route: z.string().nullable().optional(),
});
type TAuditState = z.infer<typeof ZAuditState>;

/** Parses `raw` as an access workflow's state and maps it with `pick`; undefined when it is not one. */
export function auditFieldsFrom(
  raw: unknown,
  pick: (state: TAuditState) => Partial<AuditFields>,
): AuditFields | undefined {
  const parsed = ZAuditState.safeParse(raw);
  if (!parsed.success) return undefined;
  const s = parsed.data;
  return {
    ticketId: s.ticketId ?? null,
    oktaRequestId: null,
    requesterEmail: s.requester?.email ?? null,
    requestedForEmail: s.requestedFor?.email ?? s.requester?.email ?? null,
    resource: s.resource?.name ?? null,
    decisions: (s.decisions ?? []) as Decision[],
    outcome: s.outcome ?? null,
    ...pick(s),
  };
}
