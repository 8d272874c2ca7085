// /__sandbox: controls for tests, the demo and `npm start` (reset, seed, state, faults, rate limits,
// automator rules and delivery knobs, the delivery log) and the actor endpoints through which a test acts
// as an approver, an agent or an employee. Never faulted or rate limited.
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import {
  FS_APPROVAL_STATUS,
  FS_APPROVAL_TYPE,
  FS_TICKET_STATUS,
} from '../../../integrations/freshservice/codes';
import type { WindowRateLimiter } from '../../common/rate-limit';
import { ZFaultRule, type FaultInjector } from '../../common/faults';
import {
  ZAutomatorRule,
  ZDeliverySettings,
  checkTemplate,
  type Automator,
  type DeliveryRecord,
} from '../automator';
import { ZRateLimits, type TRateLimits } from '../rate-limits';
import { renderApproval, renderConversation, renderTicket } from '../render';
import {
  ZActorCatalogRequestBody,
  ZActorDecisionBody,
  ZActorApprovalRequestBody,
  ZActorNoteBody,
  ZActorReplyBody,
  ZActorResolveBody,
} from '../request-schemas';
import { seedDemo } from '../seed';
import { placeServiceRequest } from '../service-requests';
import { FsApiError, invalidValue, notFound, parseOr400, validationError } from '../wire';
import { created, pathId, type SandboxContext } from './context';

export type AdminDeps = SandboxContext & {
  automator: Automator;
  faults: FaultInjector;
  limiter: WindowRateLimiter;
  getRateLimits(): TRateLimits;
  setRateLimits(l: TRateLimits): void;
};

const ZSeedQuery = z.object({ seed: z.enum(['demo', 'empty']).default('empty') });
const ZDeliveriesQuery = z.object({
  ticketId: z.string().regex(/^\d+$/).transform(Number).optional(),
  event: z.string().optional(),
});

/** Custom header values may carry a shared secret: the log shows their names only. */
const redactHeaders = (h: Record<string, string>) =>
  Object.fromEntries(Object.keys(h).map((k) => [k, '[redacted]']));
const showDelivery = (d: DeliveryRecord) => ({ ...d, headers: redactHeaders(d.headers) });

export function createAdminRouter(deps: AdminDeps): Router {
  const { store, automator, faults, limiter } = deps;
  const r = Router();

  r.post('/reset', (req, res) => {
    const { seed } = parseOr400(ZSeedQuery, req.query);
    store.clear();
    faults.clear();
    limiter.reset();
    automator.clearDeliveries();
    if (seed === 'demo') seedDemo(store);
    res.json({ reset: true, seed });
  });

  r.post('/seed', (_req, res) => {
    seedDemo(store);
    res.json({ seeded: 'demo' });
  });

  r.get('/state', (req, res) => {
    const s = store.snapshot();
    res.json({
      counts: {
        requesters: s.users.filter((u) => !u.is_agent).length,
        agents: s.users.filter((u) => u.is_agent).length,
        departments: s.departments.length,
        groups: s.groups.length,
        catalogItems: s.catalog.length,
        tickets: s.tickets.length,
        conversations: s.conversations.length,
        approvals: s.approvals.length,
        requestedItems: s.requestedItems.length,
        tasks: s.tasks.length,
        webhookDeliveries: automator.list().length,
      },
      apiAgentId: store.apiAgentId(),
      rateLimits: deps.getRateLimits(),
      automator: { rules: automator.getRules().length, delivery: automator.getSettings() },
      faults: faults.list(),
      ...(req.query.full === 'true' ? { snapshot: s } : {}),
    });
  });

  r.route('/faults')
    .post((req, res) => {
      const rule = parseOr400(ZFaultRule, req.body ?? {});
      try {
        res.status(201).json(faults.add(rule));
      } catch (err) {
        throw invalidValue(
          'path',
          `not a usable path or /regex/: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    })
    .get((_req, res) => {
      res.json({ faults: faults.list(), applied: faults.applied, matched: faults.matched });
    })
    .delete((_req, res) => {
      faults.clear();
      res.status(204).end();
    });

  r.route('/rate-limits')
    .put((req, res) => {
      const limits = parseOr400(ZRateLimits, req.body ?? {});
      deps.setRateLimits(limits);
      // New limits start a fresh window, so a test sees exactly the budget it set.
      limiter.reset();
      res.json({ rateLimits: limits });
    })
    .get((_req, res) => {
      res.json({ rateLimits: deps.getRateLimits() });
    });

  r.route('/automator/rules')
    .put((req, res) => {
      const rules = parseOr400(z.array(ZAutomatorRule).max(100), req.body ?? []);
      const problems = rules.flatMap((rule, i) => {
        const why = checkTemplate(rule.body);
        return why ? [{ field: `${i}.body`, message: why, code: 'invalid_value' }] : [];
      });
      if (problems.length > 0) throw validationError(problems);
      automator.setRules(rules);
      res.json({ rules: rules.map((x) => ({ ...x, headers: redactHeaders(x.headers) })) });
    })
    .get((_req, res) => {
      res.json({ rules: automator.getRules().map((x) => ({ ...x, headers: redactHeaders(x.headers) })) });
    });

  r.route('/automator/delivery')
    .put((req, res) => {
      const settings = parseOr400(ZDeliverySettings, req.body ?? {});
      automator.setSettings(settings);
      res.json({ delivery: settings });
    })
    .get((_req, res) => {
      res.json({ delivery: automator.getSettings() });
    });

  r.route('/webhook-deliveries')
    .get((req, res) => {
      const q = parseOr400(ZDeliveriesQuery, req.query);
      res.json({
        deliveries: automator
          .list({
            ...(q.ticketId !== undefined ? { ticketId: q.ticketId } : {}),
            ...(q.event ? { event: q.event } : {}),
          })
          .map(showDelivery),
      });
    })
    .delete((_req, res) => {
      automator.clearDeliveries();
      res.status(204).end();
    });

  // ---- actors ------------------------------------------------------------------------------------------

  /** An agent other than the one the API key acts as (a person at the agent console). */
  const humanAgentId = (): number | undefined => {
    const api = store.apiAgentId();
    for (const u of store.users.values()) if (u.is_agent && u.active && u.id !== api) return u.id;
    return api ?? undefined;
  };

  const decide =
    (status: number): RequestHandler =>
    (req, res) => {
      const b = parseOr400(ZActorDecisionBody, req.body ?? {});
      const approvalId = pathId(req, 'approvalId');
      const current = store.allApprovals().find((a) => a.id === approvalId);
      if (!current) throw notFound();
      if (b.approverEmail !== undefined) {
        const approver = store.getUser(current.approver_id);
        if (approver?.primary_email !== b.approverEmail.toLowerCase()) {
          throw new FsApiError(403, 'Access denied', [
            { message: `${b.approverEmail} is not the approver of this approval`, code: 'access_denied' },
          ]);
        }
      }
      const a = store.decideApproval(approvalId, status, {
        ...(b.remark !== undefined ? { remark: b.remark } : {}),
      });
      const t = store.getTicket(a.ticket_id)!;
      res.json({ approval: renderApproval(a, store), ticket: renderTicket(t, store) });
    };

  r.post('/actor/approvals/:approvalId/approve', decide(FS_APPROVAL_STATUS.APPROVED));
  r.post('/actor/approvals/:approvalId/reject', decide(FS_APPROVAL_STATUS.REJECTED));

  r.post('/actor/tickets/:id/notes', (req, res) => {
    const b = parseOr400(ZActorNoteBody, req.body ?? {});
    const user = b.userEmail !== undefined ? store.findUserByEmail(b.userEmail) : undefined;
    if (b.userEmail !== undefined && !user)
      throw invalidValue('userEmail', `There is no user with the email ${b.userEmail}`);
    const isAgent = user ? user.is_agent : true;
    // A person typing in the UI, never the API key's agent: without an email, the first other agent.
    const author = user?.id ?? humanAgentId();
    const c = store.addConversation(pathId(req, 'id'), {
      kind: 'note',
      body: b.body,
      // An employee's note is public and incoming; an agent's note is private unless said otherwise.
      private: b.private ?? isAgent,
      incoming: !isAgent,
      ...(author !== undefined ? { user_id: author } : {}),
    });
    res.status(201).json({ conversation: renderConversation(c) });
  });

  // A requester answering the ticket's mail: an incoming email conversation written by them.
  r.post('/actor/tickets/:id/replies', (req, res) => {
    const b = parseOr400(ZActorReplyBody, req.body ?? {});
    const user = store.findUserByEmail(b.userEmail);
    if (!user) throw invalidValue('userEmail', `There is no user with the email ${b.userEmail}`);
    const c = store.addConversation(pathId(req, 'id'), {
      kind: 'reply',
      body: b.body,
      incoming: true,
      user_id: user.id,
      from_email: user.primary_email,
    });
    res.status(201).json({ conversation: renderConversation(c) });
  });

  // An agent asking for an approval in the UI (not through the API key).
  r.post('/actor/tickets/:id/approvals', (req, res) => {
    const b = parseOr400(ZActorApprovalRequestBody, req.body ?? {});
    const agent = store.findUserByEmail(b.agentEmail);
    if (!agent?.is_agent)
      throw invalidValue('agentEmail', `There is no agent with the email ${b.agentEmail}`);
    const approver = store.findUserByEmail(b.approverEmail);
    if (!approver) throw invalidValue('approverEmail', `There is no user with the email ${b.approverEmail}`);
    const a = store.requestApproval(
      pathId(req, 'id'),
      { approver_id: approver.id, approval_type: FS_APPROVAL_TYPE.ANYONE },
      agent.id,
    );
    res.status(201).json({ approvals: [renderApproval(a, store)] });
  });

  r.post('/actor/tickets/:id/resolve', (req, res) => {
    const b = parseOr400(ZActorResolveBody, req.body ?? {});
    const t = store.updateTicket(pathId(req, 'id'), {
      status: b.status ?? FS_TICKET_STATUS.RESOLVED,
      ...(b.resolution_notes !== undefined ? { resolution_notes: b.resolution_notes } : {}),
    });
    res.json({ ticket: renderTicket(t, store) });
  });

  r.post('/actor/catalog/:displayId/request', (req, res) => {
    const b = parseOr400(ZActorCatalogRequestBody, req.body ?? {});
    const t = placeServiceRequest(store, pathId(req, 'displayId'), {
      requesterEmail: b.requesterEmail,
      ...(b.requestedForEmail !== undefined ? { requestedForEmail: b.requestedForEmail } : {}),
      ...(b.quantity !== undefined ? { quantity: b.quantity } : {}),
      customFields: b.custom_fields,
      fieldNames: { requester: 'requesterEmail', requestedFor: 'requestedForEmail' },
    });
    created(res, deps, `/api/v2/tickets/${t.id}`, { service_request: renderTicket(t, store) });
  });

  return r;
}
