// /api/v2/tickets and everything under a ticket: create, view with include, list with the 30-day window,
// filter queries, update, notes, replies, conversations, requested items, approvals and tasks; plus the
// account-wide approvals list.
import { Router, type Request } from 'express';
import { FS_APPROVAL_STATUS } from '../../../integrations/freshservice/codes';
import { parseFilterQuery, matchesFilter, type FieldValue } from '../filter-query';
import type { TicketRecord } from '../records';
import {
  TICKET_INCLUDES,
  renderApproval,
  renderConversation,
  renderRequestedItem,
  renderTask,
  renderTicket,
} from '../render';
import {
  ZAccountApprovalsQuery,
  ZApprovalBody,
  ZApprovalUpdateBody,
  ZCreateTicketBody,
  ZListTicketsQuery,
  ZNoteBody,
  ZReplyBody,
  ZRequestedItemBody,
  ZTaskBody,
  ZTaskUpdateBody,
  ZUpdateTicketBody,
} from '../request-schemas';
import { invalidValue, notFound, paginate, parseOr400, parseTimestamp, readPaging } from '../wire';
import { created, methodNotAllowed, pathId, readInclude, type SandboxContext } from './context';

const DAY_MS = 86_400_000;

const FILTER_FIELDS = new Set([
  'requester_id',
  'email',
  'agent_id',
  'group_id',
  'priority',
  'status',
  'impact',
  'urgency',
  'tag',
  'due_by',
  'fr_due_by',
  'created_at',
  'updated_at',
]);
const FILTER_DATE_FIELDS = new Set(['due_by', 'fr_due_by', 'created_at', 'updated_at']);

const body = (req: Request): unknown => req.body ?? {};

export function createTicketsRouter(ctx: SandboxContext): Router {
  const { store } = ctx;
  const r = Router();

  const ticketField = (t: TicketRecord, field: string): FieldValue => {
    switch (field) {
      case 'agent_id':
        return t.responder_id;
      case 'tag':
        return t.tags;
      case 'email':
        return store.getUser(t.requester_id)?.primary_email ?? null;
      default:
        if (FILTER_FIELDS.has(field)) return (t as unknown as Record<string, FieldValue>)[field];
        // The sandbox has no ticket-field schema: any other name is looked up among custom fields.
        return (t.custom_fields[field] ?? null) as FieldValue;
    }
  };

  r.route('/tickets')
    .post((req, res) => {
      const b = parseOr400(ZCreateTicketBody, body(req));
      let requesterId: number;
      if (b.requester_id !== undefined) {
        if (!store.getUser(b.requester_id))
          throw invalidValue('requester_id', 'There is no contact matching the given requester_id');
        requesterId = b.requester_id;
      } else if (b.email !== undefined) {
        requesterId = store.requesterForEmail(b.email, b.name).id;
      } else {
        const phone = b.phone!;
        const byPhone = [...store.users.values()].find(
          (u) => u.work_phone_number === phone || u.mobile_phone_number === phone,
        );
        requesterId = byPhone?.id ?? store.createUser({ first_name: b.name!, work_phone_number: phone }).id;
      }
      const { email: _e, phone: _p, name: _n, assets: _a, workspace_id: _w, ...fields } = b;
      const t = store.createTicket({ ...fields, requester_id: requesterId, type: 'Incident' });
      created(res, ctx, `/api/v2/tickets/${t.id}`, { ticket: renderTicket(t, store) });
    })
    .get((req, res) => {
      const q = parseOr400(ZListTicketsQuery, req.query);
      const include = readInclude(q.include, ['requester', 'requested_for', 'stats'] as const);
      const paging = readPaging(req);
      const since = q.updated_since !== undefined ? parseTimestamp(q.updated_since) : undefined;
      // Without updated_since, only tickets created in the last 30 days are listed.
      const windowStart =
        since === undefined
          ? new Date(Date.now() - 30 * DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z')
          : undefined;
      const byEmail = q.email !== undefined ? store.findUserByEmail(q.email) : undefined;
      const agentId = store.apiAgentId();
      const items = store.listTickets().filter((t) => {
        if (q.filter === 'spam') return t.spam && !t.deleted;
        if (q.filter === 'deleted') return t.deleted;
        if (t.deleted || t.spam) return false;
        if (q.filter === 'watching') return false;
        if (
          q.filter === 'new_and_my_open' &&
          !(t.status === 2 && (t.responder_id === null || t.responder_id === agentId))
        )
          return false;
        if (q.requester_id !== undefined && t.requester_id !== q.requester_id) return false;
        if (q.email !== undefined && t.requester_id !== byEmail?.id) return false;
        if (q.type !== undefined && t.type !== q.type) return false;
        if (since !== undefined && t.updated_at < since) return false;
        if (windowStart !== undefined && t.created_at < windowStart) return false;
        return true;
      });
      const dir = q.order_type === 'asc' ? 1 : -1;
      items.sort(
        (a, b) => dir * (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id - b.id),
      );
      const page = paginate(req, res, ctx.publicUrl(), items, paging);
      res.json({ tickets: page.map((t) => renderTicket(t, store, include)) });
    })
    .all(methodNotAllowed);

  r.route('/tickets/filter')
    .get((req, res) => {
      const tree = parseFilterQuery(req.query.query, {
        fields: FILTER_FIELDS,
        dateFields: FILTER_DATE_FIELDS,
        isCustomField: (name) => /^[a-z][a-z0-9_]*$/i.test(name),
      });
      const paging = readPaging(req, { fixedPerPage: 30 });
      const items = store
        .listTickets()
        .filter(
          (t) => !t.deleted && !t.spam && matchesFilter(tree, (f) => ticketField(t, f), FILTER_DATE_FIELDS),
        )
        .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id));
      const page = paginate(req, res, ctx.publicUrl(), items, paging);
      res.json({ tickets: page.map((t) => renderTicket(t, store)), total: items.length });
    })
    .all(methodNotAllowed);

  r.route('/tickets/:id')
    .get((req, res) => {
      const t = store.getTicket(pathId(req, 'id'));
      if (!t) throw notFound();
      const include = readInclude(req.query.include, TICKET_INCLUDES);
      res.json({ ticket: renderTicket(t, store, include) });
    })
    .put((req, res) => {
      const id = pathId(req, 'id');
      const b = parseOr400(ZUpdateTicketBody, body(req));
      const { assets: _a, workspace_id: _w, ...changes } = b;
      res.json({ ticket: renderTicket(store.updateTicket(id, changes), store) });
    })
    .all(methodNotAllowed);

  r.route('/tickets/:id/notes')
    .post((req, res) => {
      const id = pathId(req, 'id');
      const b = parseOr400(ZNoteBody, body(req));
      const c = store.addConversation(id, {
        kind: 'note',
        body: b.body,
        ...(b.private !== undefined ? { private: b.private } : {}),
        ...(b.incoming !== undefined ? { incoming: b.incoming } : {}),
        ...(b.user_id !== undefined ? { user_id: b.user_id } : {}),
        to_emails: b.notify_emails ?? [],
      });
      created(res, ctx, `/api/v2/tickets/${id}/conversations`, { conversation: renderConversation(c) });
    })
    .all(methodNotAllowed);

  r.route('/tickets/:id/reply')
    .post((req, res) => {
      const id = pathId(req, 'id');
      const b = parseOr400(ZReplyBody, body(req));
      const t = store.getTicket(id);
      const requesterEmail = t ? store.getUser(t.requester_id)?.primary_email : undefined;
      const c = store.addConversation(id, {
        kind: 'reply',
        body: b.body,
        ...(b.user_id !== undefined ? { user_id: b.user_id } : {}),
        to_emails: requesterEmail ? [requesterEmail] : [],
        cc_emails: b.cc_emails ?? [],
        bcc_emails: b.bcc_emails ?? [],
        from_email: b.from_email ?? null,
      });
      created(res, ctx, `/api/v2/tickets/${id}/conversations`, { conversation: renderConversation(c) });
    })
    .all(methodNotAllowed);

  r.route('/tickets/:id/conversations')
    .get((req, res) => {
      const paging = readPaging(req);
      const list = store.conversationsOf(pathId(req, 'id'));
      res.json({ conversations: paginate(req, res, ctx.publicUrl(), list, paging).map(renderConversation) });
    })
    .all(methodNotAllowed);

  r.route('/tickets/:id/requested_items')
    .get((req, res) => {
      const paging = readPaging(req);
      const list = store.requestedItemsOf(pathId(req, 'id'));
      res.json({
        requested_items: paginate(req, res, ctx.publicUrl(), list, paging).map(renderRequestedItem),
      });
    })
    .all(methodNotAllowed);

  r.route('/tickets/:id/requested_items/:itemId')
    .put((req, res) => {
      const b = parseOr400(ZRequestedItemBody, body(req));
      const item = store.updateRequestedItem(pathId(req, 'id'), pathId(req, 'itemId'), b.stage);
      res.json({ requested_item: renderRequestedItem(item) });
    })
    .all(methodNotAllowed);

  r.route('/tickets/:id/approvals')
    .post((req, res) => {
      const id = pathId(req, 'id');
      const b = parseOr400(ZApprovalBody, body(req));
      if (b.approval_group_id !== undefined && !store.groups.has(b.approval_group_id)) {
        throw invalidValue('approval_group_id', 'There is no group matching the given approval_group_id');
      }
      const a = store.requestApproval(id, b);
      created(res, ctx, `/api/v2/tickets/${id}/approvals/${a.id}`, { approvals: [renderApproval(a, store)] });
    })
    .get((req, res) => {
      const paging = readPaging(req);
      const list = store.approvalsOf(pathId(req, 'id'));
      res.json({
        approvals: paginate(req, res, ctx.publicUrl(), list, paging).map((a) => renderApproval(a, store)),
      });
    })
    .all(methodNotAllowed);

  r.route('/tickets/:id/approvals/:approvalId')
    .get((req, res) => {
      const a = store.getApproval(pathId(req, 'approvalId'), pathId(req, 'id'));
      res.json({ approval: renderApproval(a, store) });
    })
    .put((req, res) => {
      parseOr400(ZApprovalUpdateBody, body(req));
      const a = store.decideApproval(pathId(req, 'approvalId'), FS_APPROVAL_STATUS.CANCELLED, {
        ticketId: pathId(req, 'id'),
      });
      res.json({ approval: renderApproval(a, store) });
    })
    .all(methodNotAllowed);

  r.route('/tickets/:id/approvals/:approvalId/remind')
    .put((req, res) => {
      store.remindApproval(pathId(req, 'approvalId'), pathId(req, 'id'));
      res.status(204).end();
    })
    .all(methodNotAllowed);

  r.route('/approvals')
    .get((req, res) => {
      const q = parseOr400(ZAccountApprovalsQuery, req.query);
      const paging = readPaging(req);
      const wanted =
        q.status === undefined
          ? undefined
          : { requested: 0, approved: 1, rejected: 2, cancelled: 3 }[q.status];
      const list = store
        .allApprovals()
        .filter(
          (a) =>
            (wanted === undefined || a.status === wanted) &&
            (q.approver_id === undefined || a.approver_id === q.approver_id) &&
            (q.parent_id === undefined || a.ticket_id === q.parent_id),
        );
      res.json({
        approvals: paginate(req, res, ctx.publicUrl(), list, paging).map((a) => renderApproval(a, store)),
      });
    })
    .all(methodNotAllowed);

  r.route('/tickets/:id/tasks')
    .post((req, res) => {
      const id = pathId(req, 'id');
      const task = store.createTask(id, parseOr400(ZTaskBody, body(req)));
      created(res, ctx, `/api/v2/tickets/${id}/tasks/${task.id}`, { task: renderTask(task) });
    })
    .get((req, res) => {
      const paging = readPaging(req);
      const list = store.tasksOf(pathId(req, 'id'));
      res.json({ tasks: paginate(req, res, ctx.publicUrl(), list, paging).map(renderTask) });
    })
    .all(methodNotAllowed);

  r.route('/tickets/:id/tasks/:taskId')
    .get((req, res) => {
      res.json({ task: renderTask(store.getTask(pathId(req, 'id'), pathId(req, 'taskId'))) });
    })
    .put((req, res) => {
      const changes = parseOr400(ZTaskUpdateBody, body(req));
      res.json({ task: renderTask(store.updateTask(pathId(req, 'id'), pathId(req, 'taskId'), changes)) });
    })
    .delete((req, res) => {
      store.deleteTask(pathId(req, 'id'), pathId(req, 'taskId'));
      res.status(204).end();
    })
    .all(methodNotAllowed);

  return r;
}
