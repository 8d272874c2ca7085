// Freshservice activities over the FreshserviceClient interface. Every non-idempotent effect is safe to
// retry even when Freshservice committed it and the response was lost: tickets carry a marker tag and are
// looked up (through a consistent list by requester and updated_since) before being created; notes and
// replies carry a step marker and are looked up before posting; approvals are looked up by approver,
// leaving out the ones the flow already knows.
import { Context } from '@temporalio/activity';
import {
  FS_APPROVAL_STATUS,
  FS_APPROVAL_TYPE,
  FS_PRIORITY,
  FS_REQUESTED_ITEM_STAGE,
  FS_TICKET_STATUS,
  FS_TICKET_STATUS_NAMES,
  type FreshserviceClient,
  type FsRequestedItemStage,
  type FsTicketStatus,
  type TFsAgent,
  type TFsApproval,
  type TFsTicket,
} from '../integrations/freshservice';
import { VendorError } from '../integrations/errors';
import { withFailureMapping } from './failures';
import type { ApprovalView, FsPerson, TicketView } from './views';

export type FreshserviceActivityOptions = {
  /** display_id of the catalog item that raises access requests. */
  accessCatalogItemDisplayId: number;
};

export type OpenTicketInput = {
  /** Tag that identifies the ticket as this workflow's (see okta-access-request/contract.ts). */
  markerTag: string;
  extraTags: string[];
  requesterEmail: string;
  subject: string;
  descriptionHtml: string;
  priority: 'low' | 'medium' | 'high' | 'urgent';
  /** Epoch ms no later than the first attempt: the lookup window for an earlier, lost creation. */
  notBeforeMs: number;
};

/** How far the vendor's clock may lag the workflow's when a lookup window starts at `notBeforeMs`. */
const CLOCK_SKEW_MS = 60_000;

const PRIORITY = {
  low: FS_PRIORITY.LOW,
  medium: FS_PRIORITY.MEDIUM,
  high: FS_PRIORITY.HIGH,
  urgent: FS_PRIORITY.URGENT,
};

export const TICKET_STATUS_BY_NAME = {
  open: FS_TICKET_STATUS.OPEN,
  pending: FS_TICKET_STATUS.PENDING,
  resolved: FS_TICKET_STATUS.RESOLVED,
  closed: FS_TICKET_STATUS.CLOSED,
} as const;

const APPROVAL_STATUS_NAME: Record<number, ApprovalView['status']> = {
  [FS_APPROVAL_STATUS.REQUESTED]: 'requested',
  [FS_APPROVAL_STATUS.APPROVED]: 'approved',
  [FS_APPROVAL_STATUS.REJECTED]: 'rejected',
  [FS_APPROVAL_STATUS.CANCELLED]: 'cancelled',
};

const markerOf = (stepId: string) => `[ab:${stepId}]`;

/** Statuses an agent settles a ticket with (Resolved, Closed). */
const SETTLED_STATUSES = new Set<number>([FS_TICKET_STATUS.RESOLVED, FS_TICKET_STATUS.CLOSED]);

/**
 * Runs a change to an approval that was open when read; false when Freshservice answered 409 because the
 * approver decided in between (the decision stands, the change is moot).
 */
async function unlessDecidedMeanwhile(change: Promise<unknown>): Promise<boolean> {
  try {
    await change;
    return true;
  } catch (err) {
    if (err instanceof VendorError && err.type === 'CONFLICT') return false;
    throw err;
  }
}

function approvalView(a: TFsApproval): ApprovalView {
  return {
    id: a.id,
    approverId: a.approver_id,
    approverName: a.approver_name,
    status: APPROVAL_STATUS_NAME[a.approval_status.id] ?? 'requested',
    remark: a.latest_remark,
    updatedAt: a.updated_at,
  };
}

export function createFreshserviceActivities(fs: FreshserviceClient, opts: FreshserviceActivityOptions) {
  let accessItemId: number | undefined;
  const resolveAccessItemId = async () => {
    accessItemId ??= (await fs.getCatalogItem(opts.accessCatalogItemDisplayId)).id;
    return accessItemId;
  };

  async function toTicketView(ticket: TFsTicket): Promise<TicketView> {
    const isServiceRequest = ticket.type === 'Service Request';
    const items = isServiceRequest ? await fs.listRequestedItems(ticket.id) : [];
    const itemId = isServiceRequest ? await resolveAccessItemId() : undefined;
    return {
      id: ticket.id,
      type: ticket.type ?? 'Incident',
      subject: ticket.subject,
      status: ticket.status,
      statusName: FS_TICKET_STATUS_NAMES[ticket.status as FsTicketStatus] ?? String(ticket.status),
      tags: ticket.tags,
      requesterId: ticket.requester_id,
      requesterEmail: ticket.requester?.email ?? null,
      requestedForEmail: ticket.requested_for?.email ?? null,
      approvalStatus: ticket.approval_status,
      updatedAt: ticket.updated_at,
      requestedItems: items.map((i) => ({
        id: i.id,
        serviceItemId: i.service_item_id,
        stage: i.stage,
        fields: i.custom_fields,
      })),
      isAccessRequest: items.some((i) => i.service_item_id === itemId),
    };
  }

  /** Agents by id: approvers and managers are often agents, whom the requesters API does not return. */
  let agents: Map<number, TFsAgent> | undefined;
  async function agentById(id: number): Promise<TFsAgent | undefined> {
    if (!agents?.has(id)) {
      agents = new Map();
      for await (const a of fs.listAgents()) agents.set(a.id, a);
    }
    return agents.get(id);
  }

  async function personView(id: number): Promise<FsPerson | null> {
    try {
      const r = await fs.getRequester(id);
      const dept = r.department_ids[0];
      return {
        id: r.id,
        email: r.primary_email ?? '',
        name: [r.first_name, r.last_name].filter(Boolean).join(' '),
        department: dept !== undefined ? await departmentName(dept) : null,
        reportingManagerId: r.reporting_manager_id,
        isAgent: r.is_agent,
      };
    } catch (err) {
      if ((err as { type?: string }).type !== 'NOT_FOUND') throw err;
    }
    const agent = await agentById(id);
    return agent ? agentView(agent) : null;
  }

  async function agentView(agent: TFsAgent): Promise<FsPerson> {
    const dept = agent.department_ids[0];
    return {
      id: agent.id,
      email: agent.email,
      name: [agent.first_name, agent.last_name].filter(Boolean).join(' '),
      department: dept !== undefined ? await departmentName(dept) : null,
      reportingManagerId: agent.reporting_manager_id,
      isAgent: true,
    };
  }

  const departments = new Map<number, string>();
  async function departmentName(id: number): Promise<string | null> {
    if (!departments.has(id)) {
      for await (const d of fs.listDepartments()) departments.set(d.id, d.name);
    }
    return departments.get(id) ?? null;
  }

  const activities = {
    /** The ticket with its requester, requested-for person and requested items. */
    async readTicket(ticketId: number): Promise<TicketView> {
      return toTicketView(await fs.getTicket(ticketId, ['requester', 'requested_for']));
    },

    /** Opens the ticket once: a retry after a lost response finds the first one by its marker tag. */
    async openTicketOnce(input: OpenTicketInput): Promise<{ ticketId: number; created: boolean }> {
      // Consistent read (not the search index): tickets of this requester updated since the first attempt.
      const since = new Date(input.notBeforeMs - CLOCK_SKEW_MS);
      for await (const t of fs.listTickets({ email: input.requesterEmail, updatedSince: since })) {
        if (t.tags.includes(input.markerTag)) return { ticketId: t.id, created: false };
      }
      const ticket = await fs.createTicket({
        email: input.requesterEmail,
        subject: input.subject,
        description: input.descriptionHtml,
        status: FS_TICKET_STATUS.OPEN,
        priority: PRIORITY[input.priority],
        tags: [input.markerTag, ...input.extraTags],
      });
      return { ticketId: ticket.id, created: true };
    },

    /** Posts a note once per step: a retry finds the earlier note by its step marker. */
    async addNoteOnce(input: {
      ticketId: number;
      stepId: string;
      html: string;
      private?: boolean;
    }): Promise<void> {
      const marker = markerOf(input.stepId);
      for await (const c of fs.listConversations(input.ticketId)) {
        if ((c.body ?? '').includes(marker) || (c.body_text ?? '').includes(marker)) return;
      }
      await fs.addNote(input.ticketId, {
        body: `${input.html}<p><small>${marker}</small></p>`,
        private: input.private ?? false,
      });
    },

    /** Replies to the requester once per step (same lookup as notes). */
    async replyOnce(input: { ticketId: number; stepId: string; html: string }): Promise<void> {
      const marker = markerOf(input.stepId);
      for await (const c of fs.listConversations(input.ticketId)) {
        if ((c.body ?? '').includes(marker) || (c.body_text ?? '').includes(marker)) return;
      }
      await fs.reply(input.ticketId, { body: `${input.html}<p><small>${marker}</small></p>` });
    },

    /**
     * Sets the ticket status (idempotent). With `unlessSettledByAgent`, a ticket already Resolved or Closed
     * is left as it is: access-bridge never moves a ticket out of a status an agent chose.
     */
    async setTicketStatus(input: {
      ticketId: number;
      status: keyof typeof TICKET_STATUS_BY_NAME;
      unlessSettledByAgent?: boolean;
    }): Promise<void> {
      const ticket = await fs.getTicket(input.ticketId);
      const wanted = TICKET_STATUS_BY_NAME[input.status];
      if (ticket.status === wanted) return;
      if (input.unlessSettledByAgent && SETTLED_STATUSES.has(ticket.status)) return;
      await fs.updateTicket(input.ticketId, { status: wanted });
    },

    /** Moves every requested item of the ticket to `stage` (idempotent). */
    async setRequestedItemsStage(input: {
      ticketId: number;
      stage: 'fulfilled' | 'cancelled' | 'delivered';
    }): Promise<void> {
      const stage: FsRequestedItemStage =
        input.stage === 'fulfilled'
          ? FS_REQUESTED_ITEM_STAGE.FULFILLED
          : input.stage === 'cancelled'
            ? FS_REQUESTED_ITEM_STAGE.CANCELLED
            : FS_REQUESTED_ITEM_STAGE.DELIVERED;
      for (const item of await fs.listRequestedItems(input.ticketId)) {
        if (item.stage !== stage) await fs.updateRequestedItem(input.ticketId, item.id, { stage });
      }
    },

    async findPersonByEmail(email: string): Promise<FsPerson | null> {
      const r = await fs.findRequesterByEmail(email);
      if (r) return personView(r.id);
      const agent = await fs.findAgentByEmail(email);
      return agent ? agentView(agent) : null;
    },

    async getPerson(id: number): Promise<FsPerson | null> {
      return personView(id);
    },

    /** Members of a Freshservice agent group, as people who can approve. */
    async agentGroupMembers(groupName: string): Promise<FsPerson[]> {
      for await (const g of fs.listAgentGroups()) {
        if (g.name.toLowerCase() !== groupName.toLowerCase()) continue;
        const people: FsPerson[] = [];
        for (const id of g.members) {
          const p = await personView(id);
          if (p) people.push(p);
        }
        return people;
      }
      return [];
    },

    /**
     * Requests approval from each approver (any one decides) unless this request already has one from
     * that approver: created since `notBeforeMs` and not among `knownApprovalIds` (the flow's earlier
     * levels, escalations and extensions). A retry after a lost response, or a replay, adopts it whatever
     * its status: the approver may have decided while the worker was down, and that decision counts. Only
     * a cancelled one is never adopted.
     */
    async requestApprovalsOnce(input: {
      ticketId: number;
      approverIds: number[];
      emailContent: string;
      notBeforeMs: number;
      /** Absent in activities scheduled by workers older than this field; then nothing is excluded. */
      knownApprovalIds?: number[];
    }): Promise<number[]> {
      const known = new Set(input.knownApprovalIds ?? []);
      const existing = await fs.listApprovals(input.ticketId);
      const ids: number[] = [];
      for (const approverId of input.approverIds) {
        const found = existing.find(
          (a) =>
            a.approver_id === approverId &&
            !known.has(a.id) &&
            a.approval_status.id !== FS_APPROVAL_STATUS.CANCELLED &&
            Date.parse(a.created_at) >= input.notBeforeMs - CLOCK_SKEW_MS,
        );
        if (found) {
          ids.push(found.id);
          continue;
        }
        const created = await fs.requestApproval(input.ticketId, {
          approver_id: approverId,
          approval_type: FS_APPROVAL_TYPE.ANYONE,
          email_content: input.emailContent,
        });
        const mine = created.find((a) => a.approver_id === approverId) ?? created[0];
        if (mine) ids.push(mine.id);
        Context.current().heartbeat(ids.length);
      }
      return ids;
    },

    async readApprovals(input: { ticketId: number; approvalIds: number[] }): Promise<ApprovalView[]> {
      const all = await fs.listApprovals(input.ticketId);
      return all.filter((a) => input.approvalIds.includes(a.id)).map(approvalView);
    },

    /** Reminds the still-open approvals; one decided meanwhile (Freshservice answers 409) is skipped. */
    async remindApprovals(input: { ticketId: number; approvalIds: number[] }): Promise<void> {
      for (const a of await fs.listApprovals(input.ticketId)) {
        if (input.approvalIds.includes(a.id) && a.approval_status.id === FS_APPROVAL_STATUS.REQUESTED) {
          await unlessDecidedMeanwhile(fs.remindApproval(input.ticketId, a.id));
        }
      }
    },

    /**
     * Cancels the still-open approvals among `approvalIds` (idempotent) and answers how they all stand
     * afterwards. An approver may decide between the read and the cancel (Freshservice answers 409): that
     * approval keeps its decision, and the caller sees it in the answer, so a check-then-act never fails a run
     * and never hides a decision that landed first.
     */
    async cancelApprovals(input: { ticketId: number; approvalIds: number[] }): Promise<ApprovalView[]> {
      let raced = false;
      for (const a of await fs.listApprovals(input.ticketId)) {
        if (input.approvalIds.includes(a.id) && a.approval_status.id === FS_APPROVAL_STATUS.REQUESTED) {
          if (!(await unlessDecidedMeanwhile(fs.cancelApproval(input.ticketId, a.id)))) raced = true;
        }
      }
      const after = raced || input.approvalIds.length > 0 ? await fs.listApprovals(input.ticketId) : [];
      return after.filter((a) => input.approvalIds.includes(a.id)).map(approvalView);
    },
  };
  return withFailureMapping(activities);
}

export type FreshserviceActivities = ReturnType<typeof createFreshserviceActivities>;
