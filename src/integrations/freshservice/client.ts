// The Freshservice client interface: what activities depend on, so tests and alternative transports can
// stand in for the axios implementation. Inputs use Freshservice's own field names (snake_case) because
// they travel to the wire unchanged; lists are async iterators that follow the vendor's pagination.
import type {
  FsApprovalType,
  FsPriority,
  FsRequestedItemStage,
  FsTaskStatus,
  FsTicketStatus,
  FsTicketType,
} from './codes';
import type {
  TFsAgent,
  TFsAgentGroup,
  TFsAgentIdentity,
  TFsApproval,
  TFsCatalogItem,
  TFsConversation,
  TFsDepartment,
  TFsRequestedItem,
  TFsRequester,
  TFsTask,
  TFsTicket,
} from './schemas';

export type FsTicketInclude = 'requester' | 'requested_for' | 'stats' | 'conversations' | 'tags';

export type FsCreateTicketInput = {
  subject?: string;
  description: string;
  status: FsTicketStatus;
  priority: FsPriority;
  /** One of requester_id / email / phone is required; an unknown email creates a requester. */
  requester_id?: number;
  email?: string;
  phone?: string;
  name?: string;
  source?: number;
  responder_id?: number | null;
  group_id?: number | null;
  department_id?: number | null;
  category?: string | null;
  sub_category?: string | null;
  item_category?: string | null;
  urgency?: number;
  impact?: number;
  tags?: string[];
  cc_emails?: string[];
  custom_fields?: Record<string, unknown>;
  due_by?: string;
  fr_due_by?: string;
};

export type FsUpdateTicketInput = Partial<Omit<FsCreateTicketInput, 'email' | 'phone' | 'name'>> & {
  /** Service Requests only. */
  requested_for_id?: number;
  resolution_notes?: string;
};

export type FsListTicketsQuery = {
  /** Without it Freshservice returns only tickets created in the last 30 days. */
  updatedSince?: Date | string;
  requesterId?: number;
  email?: string;
  type?: FsTicketType;
  orderType?: 'asc' | 'desc';
  include?: ('requester' | 'requested_for' | 'stats')[];
  perPage?: number;
  /**
   * When set, a ticket the schema refuses is handed here and the list goes on with the rest and its next
   * page; unset, one odd ticket fails the list. A caller that must see every ticket (the duplicate
   * search before opening one) leaves it unset: skipping could hide the very ticket it looks for.
   */
  onSkipped?: (skipped: FsSkippedTicket) => void;
};

/** A listed ticket the schema refused: its id when readable, the first failing field, the raw element. */
export type FsSkippedTicket = { id?: number; reason: string; ticket: unknown };

export type FsNoteInput = {
  body: string;
  /** Freshservice defaults to true. */
  private?: boolean;
  notify_emails?: string[];
  incoming?: boolean;
  user_id?: number;
};

export type FsReplyInput = { body: string; cc_emails?: string[]; bcc_emails?: string[]; from_email?: string };

export type FsPlaceRequestInput = {
  /** The requester; without it the calling agent raises the request. */
  email?: string;
  requested_for?: string;
  quantity?: number;
  custom_fields?: Record<string, unknown>;
  parent_ticket_id?: number;
};

export type FsApprovalInput = {
  approver_id: number;
  approval_type: FsApprovalType;
  email_content?: string;
  approval_group_id?: number;
};

export type FsTaskInput = {
  title: string;
  description?: string;
  status?: FsTaskStatus;
  due_date?: string;
  notify_before?: number;
  agent_id?: number | null;
  group_id?: number | null;
};

export type FsRequesterInput = {
  first_name: string;
  last_name?: string | null;
  job_title?: string | null;
  primary_email?: string;
  secondary_emails?: string[];
  work_phone_number?: string | null;
  mobile_phone_number?: string | null;
  department_ids?: number[];
  can_see_all_tickets_from_associated_departments?: boolean;
  reporting_manager_id?: number | null;
  address?: string | null;
  time_zone?: string;
  time_format?: '12h' | '24h';
  language?: string;
  location_id?: number | null;
  background_information?: string | null;
  custom_fields?: Record<string, unknown>;
  external_id?: string | null;
};

export type FsRateLimitSnapshot = {
  total: number | undefined;
  remaining: number | undefined;
  usedCurrentRequest: number | undefined;
  at: number;
};

export interface FreshserviceClient {
  createTicket(input: FsCreateTicketInput): Promise<TFsTicket>;
  getTicket(id: number, include?: FsTicketInclude[]): Promise<TFsTicket>;
  updateTicket(id: number, changes: FsUpdateTicketInput): Promise<TFsTicket>;
  listTickets(query?: FsListTicketsQuery): AsyncIterable<TFsTicket>;
  /** `query` without the surrounding double quotes, e.g. `status:2 AND tag:'ab-1'` (see `fsQueryString`). */
  filterTickets(query: string): AsyncIterable<TFsTicket>;

  addNote(ticketId: number, note: FsNoteInput): Promise<TFsConversation>;
  reply(ticketId: number, reply: FsReplyInput): Promise<TFsConversation>;
  listConversations(ticketId: number): AsyncIterable<TFsConversation>;

  listCatalogItems(opts?: { categoryId?: number }): AsyncIterable<TFsCatalogItem>;
  getCatalogItem(displayId: number): Promise<TFsCatalogItem>;
  placeRequest(displayId: number, input: FsPlaceRequestInput): Promise<TFsTicket>;
  listRequestedItems(ticketId: number): Promise<TFsRequestedItem[]>;
  updateRequestedItem(
    ticketId: number,
    itemId: number,
    changes: { stage: FsRequestedItemStage },
  ): Promise<TFsRequestedItem>;

  /** Returns the approvals created (Freshservice answers with a list). */
  requestApproval(ticketId: number, input: FsApprovalInput): Promise<TFsApproval[]>;
  listApprovals(ticketId: number): Promise<TFsApproval[]>;
  getApproval(ticketId: number, approvalId: number): Promise<TFsApproval>;
  remindApproval(ticketId: number, approvalId: number): Promise<void>;
  cancelApproval(ticketId: number, approvalId: number): Promise<TFsApproval>;

  createTask(ticketId: number, input: FsTaskInput): Promise<TFsTask>;
  listTasks(ticketId: number): AsyncIterable<TFsTask>;
  getTask(ticketId: number, taskId: number): Promise<TFsTask>;
  updateTask(ticketId: number, taskId: number, changes: Partial<FsTaskInput>): Promise<TFsTask>;
  deleteTask(ticketId: number, taskId: number): Promise<void>;

  createRequester(input: FsRequesterInput): Promise<TFsRequester>;
  getRequester(id: number): Promise<TFsRequester>;
  /** `undefined` when no requester has that email. */
  findRequesterByEmail(email: string): Promise<TFsRequester | undefined>;
  /** `query` without the surrounding double quotes, e.g. `primary_email:'a@b.com'`. */
  filterRequesters(query: string): AsyncIterable<TFsRequester>;
  /** Every requester (agents too with includeAgents). */
  listRequesters(opts?: { includeAgents?: boolean }): AsyncIterable<TFsRequester>;
  updateRequester(id: number, changes: Partial<FsRequesterInput>): Promise<TFsRequester>;
  deactivateRequester(id: number): Promise<void>;
  reactivateRequester(id: number): Promise<TFsRequester>;

  findAgentByEmail(email: string, opts?: { active?: boolean }): Promise<TFsAgent | undefined>;
  getAgent(id: number): Promise<TFsAgent>;
  /**
   * The agent the API key belongs to (`GET /api/v2/agents/me`): the `user_id` of every note, reply and
   * approval this client makes, so what access-bridge wrote is told apart from what anyone else did.
   */
  getCurrentAgent(): Promise<TFsAgentIdentity>;
  listAgents(opts?: { active?: boolean }): AsyncIterable<TFsAgent>;

  listDepartments(): AsyncIterable<TFsDepartment>;
  findDepartmentByName(name: string): Promise<TFsDepartment | undefined>;
  listAgentGroups(): AsyncIterable<TFsAgentGroup>;
  getAgentGroup(id: number): Promise<TFsAgentGroup>;

  /** The rate-limit headers of the last response (for metrics and tests). */
  lastRateLimit(): FsRateLimitSnapshot | undefined;
}
