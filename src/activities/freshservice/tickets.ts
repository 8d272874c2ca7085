// Freshservice tickets: reading one in the product's words, opening one, and moving its status and requested
// items. Opening carries a marker tag and is looked up (through a consistent list by requester and
// updated_since) before the ticket is created, so a lost answer never opens a second ticket; the moves are
// idempotent by nature.
import {
  FS_PRIORITY,
  FS_REQUESTED_ITEM_STAGE,
  FS_TICKET_STATUS,
  FS_TICKET_STATUS_NAMES,
  type FreshserviceClient,
  type FsRequestedItemStage,
  type FsTicketStatus,
  ticketStanding,
  type TFsTicket,
} from '../../integrations/freshservice';
import { CLOCK_SKEW_MS } from '../clock-skew';
import type { FreshserviceActivities, TicketStatusName, TicketView } from './contract';

type TicketActivities = Pick<
  FreshserviceActivities,
  'readTicket' | 'openTicketOnce' | 'setTicketStatus' | 'setRequestedItemsStage'
>;

const PRIORITY = {
  low: FS_PRIORITY.LOW,
  medium: FS_PRIORITY.MEDIUM,
  high: FS_PRIORITY.HIGH,
  urgent: FS_PRIORITY.URGENT,
};

const TICKET_STATUS_BY_NAME = {
  open: FS_TICKET_STATUS.OPEN,
  pending: FS_TICKET_STATUS.PENDING,
  resolved: FS_TICKET_STATUS.RESOLVED,
  closed: FS_TICKET_STATUS.CLOSED,
} as const satisfies Record<TicketStatusName, number>;

/** Statuses an agent settles a ticket with (Resolved, Closed). */
const SETTLED_STATUSES = new Set<number>([FS_TICKET_STATUS.RESOLVED, FS_TICKET_STATUS.CLOSED]);

export function createTicketActivities(
  fs: FreshserviceClient,
  opts: { accessCatalogItemDisplayId: number },
): TicketActivities {
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
      standing: ticketStanding(ticket.status),
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

  return {
    async readTicket(ticketId) {
      return toTicketView(await fs.getTicket(ticketId, ['requester', 'requested_for']));
    },

    async openTicketOnce(input) {
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

    async setTicketStatus(input) {
      const ticket = await fs.getTicket(input.ticketId);
      const wanted = TICKET_STATUS_BY_NAME[input.status];
      if (ticket.status === wanted) return;
      if (input.unlessSettledByAgent && SETTLED_STATUSES.has(ticket.status)) return;
      await fs.updateTicket(input.ticketId, { status: wanted });
    },

    async setRequestedItemsStage(input) {
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
  };
}
