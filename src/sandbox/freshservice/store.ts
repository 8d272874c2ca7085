// The sandbox Freshservice's in-memory account: Maps keyed by integer id with indexes by email and by
// ticket, business rules of §9–10 (requesters created from unknown emails, approval roll-up onto the
// ticket, stats on status changes), change events for the Workflow Automator, and a JSON snapshot.
import {
  FS_APPROVAL_STATUS,
  FS_APPROVAL_TYPE,
  FS_CONVERSATION_SOURCE,
  FS_TASK_STATUS,
  FS_TICKET_APPROVAL_STATUS,
  FS_TICKET_APPROVAL_STATUS_NAMES,
  FS_TICKET_STATUS,
  type FsTicketApprovalStatus,
} from '../../integrations/freshservice/codes';
import type {
  ApprovalRecord,
  CatalogItemRecord,
  ConversationRecord,
  Counters,
  DepartmentRecord,
  GroupRecord,
  RequestedItemRecord,
  StoreSnapshot,
  TaskRecord,
  TicketRecord,
  UserRecord,
} from './records';
import { FsApiError, conflict, fsNow, htmlToText, invalidValue, notFound, validationError } from './wire';

export type TicketChange = 'properties' | 'note' | 'reply' | 'requested_item' | 'task' | 'approval';

export type StoreEvent =
  | { event: 'ticket_created'; ticketId: number }
  | { event: 'ticket_updated'; ticketId: number; change: TicketChange }
  | { event: 'approval_changed'; ticketId: number; approvalId: number };

export const DEFAULT_WORKSPACE_ID = 2;

const INITIAL_COUNTERS: Counters = {
  user: 1_000_000_000,
  department: 1_000,
  group: 2_000,
  catalog: 0,
  ticket: 0,
  conversation: 5_000_000_000,
  approval: 7_000,
  requestedItem: 9_000,
  task: 3_000,
  decision: 0,
  webhookDelivery: 0,
  faultRule: 0,
};

export type NewUser = Partial<Omit<UserRecord, 'id' | 'created_at' | 'updated_at' | 'first_name'>> & {
  first_name: string;
};

export type NewTicket = {
  subject?: string | null;
  description?: string | null;
  status: number;
  priority: number;
  requester_id: number;
  requested_for_id?: number | null;
  source?: number;
  type?: string;
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
  due_by?: string | null;
  fr_due_by?: string | null;
};

export type TicketChanges = Partial<Omit<NewTicket, 'type'>> & { resolution_notes?: string | null };

const HOUR = 3_600_000;

export class FreshserviceStore {
  readonly users = new Map<number, UserRecord>();
  readonly departments = new Map<number, DepartmentRecord>();
  readonly groups = new Map<number, GroupRecord>();
  readonly catalog = new Map<number, CatalogItemRecord>();
  readonly tickets = new Map<number, TicketRecord>();
  private readonly conversations = new Map<number, ConversationRecord[]>();
  private readonly approvals = new Map<number, ApprovalRecord>();
  private readonly approvalsByTicket = new Map<number, ApprovalRecord[]>();
  private readonly requestedItems = new Map<number, RequestedItemRecord[]>();
  private readonly tasks = new Map<number, TaskRecord[]>();
  private readonly userByEmail = new Map<string, number>();
  private readonly catalogByDisplayId = new Map<number, number>();
  private counters: Counters = { ...INITIAL_COUNTERS };
  private readonly eventListeners: ((e: StoreEvent) => void)[] = [];
  private readonly changeListeners: (() => void)[] = [];

  constructor(private readonly clock: () => number = Date.now) {}

  /** Makes the next ticket id at least `id` (real accounts rarely start at 1; tests avoid id overlap). */
  startTicketIdsAt(id: number): void {
    if (this.counters.ticket < id - 1) this.counters.ticket = id - 1;
  }

  // ---- plumbing -------------------------------------------------------------------------------------

  /** Automator hook: called synchronously; listeners must defer their own work. */
  onEvent(listener: (e: StoreEvent) => void): void {
    this.eventListeners.push(listener);
  }

  /** Persistence hook: called after every mutation. */
  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  private emit(e: StoreEvent): void {
    for (const l of this.eventListeners) l(e);
  }

  private changed(): void {
    for (const l of this.changeListeners) l();
  }

  now(): string {
    return fsNow(this.clock());
  }

  private next(kind: keyof Counters): number {
    this.counters[kind] += 1;
    return this.counters[kind];
  }

  /** An id for something the store does not keep (a webhook delivery, a fault rule), persisted all the same. */
  issueId(kind: 'webhookDelivery' | 'faultRule'): number {
    const id = this.next(kind);
    this.changed();
    return id;
  }

  isEmpty(): boolean {
    return this.users.size === 0 && this.tickets.size === 0 && this.catalog.size === 0;
  }

  clear(): void {
    for (const m of [
      this.users,
      this.departments,
      this.groups,
      this.catalog,
      this.tickets,
      this.conversations,
      this.approvals,
      this.approvalsByTicket,
      this.requestedItems,
      this.tasks,
      this.userByEmail,
      this.catalogByDisplayId,
    ] as Map<unknown, unknown>[]) {
      m.clear();
    }
    this.counters = { ...INITIAL_COUNTERS };
    this.changed();
  }

  snapshot(): StoreSnapshot {
    return {
      version: 1,
      counters: { ...this.counters },
      users: [...this.users.values()],
      departments: [...this.departments.values()],
      groups: [...this.groups.values()],
      catalog: [...this.catalog.values()],
      tickets: [...this.tickets.values()],
      conversations: [...this.conversations.values()].flat(),
      approvals: [...this.approvals.values()],
      requestedItems: [...this.requestedItems.values()].flat(),
      tasks: [...this.tasks.values()].flat(),
    };
  }

  restore(s: StoreSnapshot): void {
    this.clear();
    this.counters = { ...INITIAL_COUNTERS, ...s.counters };
    for (const u of s.users) this.putUser(u);
    for (const d of s.departments) this.departments.set(d.id, d);
    for (const g of s.groups) this.groups.set(g.id, g);
    for (const c of s.catalog) {
      this.catalog.set(c.id, c);
      this.catalogByDisplayId.set(c.display_id, c.id);
    }
    for (const t of s.tickets) this.tickets.set(t.id, t);
    for (const c of s.conversations) push(this.conversations, c.ticket_id, c);
    for (const a of s.approvals) {
      this.approvals.set(a.id, a);
      push(this.approvalsByTicket, a.ticket_id, a);
    }
    for (const r of s.requestedItems) push(this.requestedItems, r.ticket_id, r);
    for (const t of s.tasks) push(this.tasks, t.ticket_id, t);
    // Never below an id the records already use, whatever the file says (an older file lacks counters).
    const used: [keyof Counters, { id: number }[]][] = [
      ['user', s.users],
      ['department', s.departments],
      ['group', s.groups],
      ['catalog', s.catalog],
      ['ticket', s.tickets],
      ['conversation', s.conversations],
      ['approval', s.approvals],
      ['requestedItem', s.requestedItems],
      ['task', s.tasks],
      ['decision', s.approvals.map((a) => ({ id: a.decided_seq ?? 0 }))],
    ];
    for (const [kind, rows] of used)
      for (const r of rows) if (r.id > this.counters[kind]) this.counters[kind] = r.id;
  }

  // ---- users (requesters and agents) ----------------------------------------------------------------

  private putUser(u: UserRecord): void {
    const old = this.users.get(u.id);
    if (old) for (const e of emailsOf(old)) this.userByEmail.delete(e);
    this.users.set(u.id, u);
    for (const e of emailsOf(u)) this.userByEmail.set(e, u.id);
  }

  getUser(id: number): UserRecord | undefined {
    return this.users.get(id);
  }

  findUserByEmail(email: string): UserRecord | undefined {
    const id = this.userByEmail.get(email.trim().toLowerCase());
    return id === undefined ? undefined : this.users.get(id);
  }

  /** The agent an API key acts as: the first active agent (the account admin in the demo seed). */
  apiAgentId(): number | null {
    for (const u of this.users.values()) if (u.is_agent && u.active) return u.id;
    return null;
  }

  private checkEmailsFree(emails: string[], selfId?: number): void {
    for (const e of emails) {
      const owner = this.userByEmail.get(e.toLowerCase());
      if (owner !== undefined && owner !== selfId) {
        // UNCONFIRMED whether Freshservice answers 400 or 409; the sandbox answers 409 duplicate_value.
        throw new FsApiError(409, 'Validation failed', [
          { message: `It should be a unique value: ${e} is already in use`, code: 'duplicate_value' },
        ]);
      }
    }
  }

  private checkUserRefs(u: Partial<UserRecord>): void {
    for (const d of u.department_ids ?? []) {
      if (!this.departments.has(d))
        throw invalidValue('department_ids', `There is no department with id ${d}`);
    }
    if (
      u.reporting_manager_id !== undefined &&
      u.reporting_manager_id !== null &&
      !this.users.has(u.reporting_manager_id)
    ) {
      throw invalidValue('reporting_manager_id', `There is no user with id ${u.reporting_manager_id}`);
    }
  }

  createUser(input: NewUser): UserRecord {
    const now = this.now();
    const primary = input.primary_email?.trim().toLowerCase() ?? null;
    const secondary = (input.secondary_emails ?? []).map((e) => e.trim().toLowerCase());
    if (!primary && !input.work_phone_number && !input.mobile_phone_number) {
      throw validationError([
        {
          field: 'primary_email',
          message: 'One of primary_email, work_phone_number or mobile_phone_number is required',
          code: 'missing_field',
        },
      ]);
    }
    this.checkEmailsFree([...(primary ? [primary] : []), ...secondary]);
    this.checkUserRefs(input);
    const u: UserRecord = {
      id: this.next('user'),
      is_agent: input.is_agent ?? false,
      first_name: input.first_name,
      last_name: input.last_name ?? null,
      job_title: input.job_title ?? null,
      primary_email: primary,
      secondary_emails: secondary,
      work_phone_number: input.work_phone_number ?? null,
      mobile_phone_number: input.mobile_phone_number ?? null,
      department_ids: input.department_ids ?? [],
      can_see_all_tickets_from_associated_departments:
        input.can_see_all_tickets_from_associated_departments ?? false,
      reporting_manager_id: input.reporting_manager_id ?? null,
      address: input.address ?? null,
      time_zone: input.time_zone ?? 'Eastern Time (US & Canada)',
      time_format: input.time_format ?? '12h',
      language: input.language ?? 'en',
      location_id: input.location_id ?? null,
      background_information: input.background_information ?? null,
      custom_fields: input.custom_fields ?? {},
      active: input.active ?? true,
      has_logged_in: false,
      external_id: input.external_id ?? null,
      occasional: input.occasional ?? false,
      created_at: now,
      updated_at: now,
    };
    this.putUser(u);
    this.changed();
    return u;
  }

  /** Partial update. As documented, `can_see_all_tickets_from_associated_departments` resets unless sent. */
  updateUser(id: number, changes: Partial<Omit<UserRecord, 'id' | 'created_at' | 'updated_at'>>): UserRecord {
    const u = this.users.get(id);
    if (!u) throw notFound();
    const primary =
      changes.primary_email !== undefined
        ? (changes.primary_email?.trim().toLowerCase() ?? null)
        : u.primary_email;
    const secondary =
      changes.secondary_emails !== undefined
        ? changes.secondary_emails.map((e) => e.trim().toLowerCase())
        : u.secondary_emails;
    this.checkEmailsFree([...(primary ? [primary] : []), ...secondary], id);
    this.checkUserRefs(changes);
    const updated: UserRecord = {
      ...u,
      ...stripUndefined(changes),
      primary_email: primary,
      secondary_emails: secondary,
      can_see_all_tickets_from_associated_departments:
        changes.can_see_all_tickets_from_associated_departments ?? false,
      id,
      created_at: u.created_at,
      updated_at: this.now(),
    };
    this.putUser(updated);
    this.changed();
    return updated;
  }

  setUserActive(id: number, active: boolean): UserRecord {
    const u = this.users.get(id);
    if (!u) throw notFound();
    const updated = { ...u, active, updated_at: this.now() };
    this.putUser(updated);
    this.changed();
    return updated;
  }

  // ---- departments, groups, catalog -------------------------------------------------------------------

  createDepartment(
    input: Partial<Omit<DepartmentRecord, 'id' | 'created_at' | 'updated_at'>> & { name: string },
  ): DepartmentRecord {
    if (this.findDepartmentByName(input.name)) {
      throw new FsApiError(409, 'Validation failed', [
        { message: `It should be a unique value: ${input.name}`, code: 'duplicate_value' },
      ]);
    }
    const now = this.now();
    const d: DepartmentRecord = {
      id: this.next('department'),
      name: input.name,
      description: input.description ?? null,
      head_user_id: input.head_user_id ?? null,
      prime_user_id: input.prime_user_id ?? null,
      domains: input.domains ?? [],
      custom_fields: input.custom_fields ?? {},
      workspace_id: DEFAULT_WORKSPACE_ID,
      created_at: now,
      updated_at: now,
    };
    this.departments.set(d.id, d);
    this.changed();
    return d;
  }

  findDepartmentByName(name: string): DepartmentRecord | undefined {
    const wanted = name.trim().toLowerCase();
    for (const d of this.departments.values()) if (d.name.toLowerCase() === wanted) return d;
    return undefined;
  }

  createGroup(input: { name: string; description?: string | null; members?: number[] }): GroupRecord {
    const now = this.now();
    const g: GroupRecord = {
      id: this.next('group'),
      name: input.name,
      description: input.description ?? null,
      members: input.members ?? [],
      observers: [],
      leaders: [],
      workspace_id: DEFAULT_WORKSPACE_ID,
      created_at: now,
      updated_at: now,
    };
    this.groups.set(g.id, g);
    this.changed();
    return g;
  }

  addCatalogItem(input: Omit<CatalogItemRecord, 'id' | 'created_at' | 'updated_at'>): CatalogItemRecord {
    const now = this.now();
    const item: CatalogItemRecord = { ...input, id: this.next('catalog'), created_at: now, updated_at: now };
    this.catalog.set(item.id, item);
    this.catalogByDisplayId.set(item.display_id, item.id);
    this.changed();
    return item;
  }

  getCatalogItem(displayId: number): CatalogItemRecord | undefined {
    const id = this.catalogByDisplayId.get(displayId);
    return id === undefined ? undefined : this.catalog.get(id);
  }

  // ---- tickets ------------------------------------------------------------------------------------------

  getTicket(id: number): TicketRecord | undefined {
    const t = this.tickets.get(id);
    return t && !t.deleted ? t : undefined;
  }

  private mustTicket(id: number): TicketRecord {
    const t = this.getTicket(id);
    if (!t) throw notFound();
    return t;
  }

  private checkTicketRefs(t: Partial<NewTicket>): void {
    if (t.requester_id !== undefined && !this.users.has(t.requester_id)) {
      throw invalidValue('requester_id', `There is no contact matching the given requester_id`);
    }
    if (
      t.requested_for_id !== undefined &&
      t.requested_for_id !== null &&
      !this.users.has(t.requested_for_id)
    ) {
      throw invalidValue('requested_for_id', `There is no user with id ${t.requested_for_id}`);
    }
    if (
      t.responder_id !== undefined &&
      t.responder_id !== null &&
      !this.users.get(t.responder_id)?.is_agent
    ) {
      throw invalidValue('responder_id', 'There is no agent matching the given responder_id');
    }
    if (t.group_id !== undefined && t.group_id !== null && !this.groups.has(t.group_id)) {
      throw invalidValue('group_id', 'There is no group matching the given group_id');
    }
    if (t.department_id !== undefined && t.department_id !== null && !this.departments.has(t.department_id)) {
      throw invalidValue('department_id', 'There is no department matching the given department_id');
    }
  }

  /** Finds the requester for an email, creating one as Freshservice does for an unknown address. */
  requesterForEmail(email: string, name?: string): UserRecord {
    const existing = this.findUserByEmail(email);
    if (existing) return existing;
    const local = email.split('@')[0] ?? email;
    return this.createUser({ first_name: name ?? local, primary_email: email });
  }

  createTicket(input: NewTicket): TicketRecord {
    const t = this.insertTicket(input);
    this.emit({ event: 'ticket_created', ticketId: t.id });
    return t;
  }

  private insertTicket(input: NewTicket): TicketRecord {
    this.checkTicketRefs(input);
    const nowMs = this.clock();
    const now = fsNow(nowMs);
    const requester = this.users.get(input.requester_id);
    const t: TicketRecord = {
      id: this.next('ticket'),
      subject: input.subject ?? null,
      description: input.description ?? null,
      description_text: input.description ? htmlToText(input.description) : null,
      status: input.status,
      priority: input.priority,
      source: input.source ?? 2,
      type: input.type ?? 'Incident',
      requester_id: input.requester_id,
      requested_for_id: input.requested_for_id ?? input.requester_id,
      responder_id: input.responder_id ?? null,
      group_id: input.group_id ?? null,
      department_id: input.department_id ?? requester?.department_ids[0] ?? null,
      category: input.category ?? null,
      sub_category: input.sub_category ?? null,
      item_category: input.item_category ?? null,
      urgency: input.urgency ?? 1,
      impact: input.impact ?? 1,
      tags: dedupe(input.tags ?? []),
      cc_emails: input.cc_emails ?? [],
      fwd_emails: [],
      reply_cc_emails: input.cc_emails ?? [],
      to_emails: null,
      fr_escalated: false,
      is_escalated: false,
      spam: false,
      deleted: false,
      // Due dates come from SLA policies in a real account; the sandbox uses a fixed 1-day / 3-day SLA.
      due_by: input.due_by ?? fsNow(nowMs + 72 * HOUR),
      fr_due_by: input.fr_due_by ?? fsNow(nowMs + 24 * HOUR),
      custom_fields: input.custom_fields ?? {},
      attachments: [],
      workspace_id: DEFAULT_WORKSPACE_ID,
      resolution_notes: null,
      approval_status: input.type === 'Service Request' ? null : FS_TICKET_APPROVAL_STATUS.NOT_REQUESTED,
      approval_status_name: FS_TICKET_APPROVAL_STATUS_NAMES[FS_TICKET_APPROVAL_STATUS.NOT_REQUESTED],
      created_at: now,
      updated_at: now,
      stats: {
        opened_at: null,
        reopened_at: null,
        resolved_at: null,
        closed_at: null,
        pending_since: null,
        first_responded_at: null,
        agent_responded_at: null,
        requester_responded_at: null,
        status_updated_at: now,
      },
    };
    applyStatusStats(t, null, t.status, now);
    this.tickets.set(t.id, t);
    this.changed();
    return t;
  }

  /** Applies changed fields; `tags` replaces the list. No effective change: no bump, no event. */
  updateTicket(id: number, changes: TicketChanges): TicketRecord {
    const t = this.mustTicket(id);
    this.checkTicketRefs(changes);
    if (changes.requested_for_id !== undefined && t.type !== 'Service Request') {
      throw invalidValue('requested_for_id', 'requested_for_id can be set on Service Requests only');
    }
    const before = JSON.stringify(t);
    const oldStatus = t.status;
    const now = this.now();
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) continue;
      if (k === 'tags') t.tags = dedupe(v as string[]);
      else if (k === 'description') {
        t.description = v as string | null;
        t.description_text = typeof v === 'string' ? htmlToText(v) : null;
      } else if (k === 'custom_fields')
        t.custom_fields = { ...t.custom_fields, ...(v as Record<string, unknown>) };
      else (t as unknown as Record<string, unknown>)[k] = v;
    }
    if (t.status !== oldStatus) applyStatusStats(t, oldStatus, t.status, now);
    if (JSON.stringify(t) === before) return t;
    t.updated_at = now;
    this.changed();
    this.emit({ event: 'ticket_updated', ticketId: id, change: 'properties' });
    return t;
  }

  private touch(t: TicketRecord, change: TicketChange): void {
    t.updated_at = this.now();
    this.changed();
    this.emit({ event: 'ticket_updated', ticketId: t.id, change });
  }

  listTickets(): TicketRecord[] {
    return [...this.tickets.values()];
  }

  // ---- conversations ------------------------------------------------------------------------------------

  addConversation(
    ticketId: number,
    input: {
      kind: 'note' | 'reply';
      body: string;
      private?: boolean;
      incoming?: boolean;
      user_id?: number | null;
      to_emails?: string[];
      cc_emails?: string[];
      bcc_emails?: string[];
      from_email?: string | null;
    },
  ): ConversationRecord {
    const t = this.mustTicket(ticketId);
    if (input.user_id !== undefined && input.user_id !== null && !this.users.has(input.user_id)) {
      throw invalidValue('user_id', `There is no user with id ${input.user_id}`);
    }
    const now = this.now();
    const userId = input.user_id ?? this.apiAgentId();
    const c: ConversationRecord = {
      id: this.next('conversation'),
      ticket_id: ticketId,
      body: input.body,
      body_text: htmlToText(input.body),
      private: input.kind === 'note' ? (input.private ?? true) : false,
      incoming: input.incoming ?? false,
      source: input.kind === 'note' ? FS_CONVERSATION_SOURCE.NOTE : FS_CONVERSATION_SOURCE.EMAIL,
      user_id: userId,
      to_emails: input.to_emails ?? [],
      cc_emails: input.cc_emails ?? [],
      bcc_emails: input.bcc_emails ?? [],
      from_email: input.from_email ?? null,
      created_at: now,
      updated_at: now,
    };
    push(this.conversations, ticketId, c);
    const author = userId === null ? undefined : this.users.get(userId);
    if (author?.is_agent && !c.private) {
      t.stats.first_responded_at ??= now;
      t.stats.agent_responded_at = now;
    } else if (author && !author.is_agent) {
      t.stats.requester_responded_at = now;
    }
    this.touch(t, input.kind);
    return c;
  }

  conversationsOf(ticketId: number): ConversationRecord[] {
    this.mustTicket(ticketId);
    return this.conversations.get(ticketId) ?? [];
  }

  // ---- service requests ---------------------------------------------------------------------------------

  placeRequest(input: {
    item: CatalogItemRecord;
    requester: UserRecord;
    requestedFor: UserRecord;
    quantity: number;
    customFields: Record<string, unknown>;
    parentTicketId?: number;
  }): TicketRecord {
    if (input.parentTicketId !== undefined) this.mustTicket(input.parentTicketId);
    const ticket = this.insertTicket({
      subject:
        `Request for ${input.requestedFor.first_name} ${input.requestedFor.last_name ?? ''}: ${input.item.name}`.replace(
          /\s+:/,
          ':',
        ),
      description: `<div>${escapeHtml(input.item.name)}</div>`,
      status: FS_TICKET_STATUS.OPEN,
      priority: 2,
      source: 2,
      type: 'Service Request',
      requester_id: input.requester.id,
      requested_for_id: input.requestedFor.id,
      category: null,
    });
    const now = this.now();
    push(this.requestedItems, ticket.id, {
      id: this.next('requestedItem'),
      ticket_id: ticket.id,
      quantity: input.quantity,
      stage: 1,
      service_item_id: input.item.id,
      service_item_name: input.item.name,
      custom_fields: input.customFields,
      is_parent: true,
      remarks: null,
      created_at: now,
      updated_at: now,
    });
    this.changed();
    // The automator fires only once the requested items exist, so a receiver re-reading finds them.
    this.emit({ event: 'ticket_created', ticketId: ticket.id });
    return ticket;
  }

  requestedItemsOf(ticketId: number): RequestedItemRecord[] {
    this.mustTicket(ticketId);
    return this.requestedItems.get(ticketId) ?? [];
  }

  updateRequestedItem(ticketId: number, itemId: number, stage: number): RequestedItemRecord {
    const t = this.mustTicket(ticketId);
    const item = (this.requestedItems.get(ticketId) ?? []).find((r) => r.id === itemId);
    if (!item) throw notFound();
    if (item.stage === stage) return item;
    item.stage = stage;
    item.updated_at = this.now();
    this.touch(t, 'requested_item');
    return item;
  }

  // ---- approvals ----------------------------------------------------------------------------------------

  requestApproval(
    ticketId: number,
    input: { approver_id: number; approval_type: number; approval_group_id?: number; email_content?: string },
    /** Who asks: the API key's agent unless an agent at the console does. */
    requestedBy: number | null = this.apiAgentId(),
  ): ApprovalRecord {
    const t = this.mustTicket(ticketId);
    if (!this.users.has(input.approver_id)) {
      throw invalidValue('approver_id', `There is no user with id ${input.approver_id}`);
    }
    const now = this.now();
    const a: ApprovalRecord = {
      id: this.next('approval'),
      ticket_id: ticketId,
      approver_id: input.approver_id,
      user_id: requestedBy,
      level: 1,
      approval_type: input.approval_type,
      status: FS_APPROVAL_STATUS.REQUESTED,
      approval_group_id: input.approval_group_id ?? null,
      email_content: input.email_content ?? null,
      latest_remark: null,
      delegatee_id: null,
      reminders: 0,
      decided_seq: null,
      created_at: now,
      updated_at: now,
    };
    this.approvals.set(a.id, a);
    push(this.approvalsByTicket, ticketId, a);
    this.rollUpApprovals(t, now);
    this.changed();
    this.emit({ event: 'approval_changed', ticketId, approvalId: a.id });
    return a;
  }

  /** Every approval of live tickets (the account-wide `GET /approvals`). */
  allApprovals(): ApprovalRecord[] {
    return [...this.approvals.values()].filter((a) => this.getTicket(a.ticket_id) !== undefined);
  }

  approvalsOf(ticketId: number): ApprovalRecord[] {
    this.mustTicket(ticketId);
    return this.approvalsByTicket.get(ticketId) ?? [];
  }

  getApproval(id: number, ticketId?: number): ApprovalRecord {
    const a = this.approvals.get(id);
    if (!a || (ticketId !== undefined && a.ticket_id !== ticketId) || !this.getTicket(a.ticket_id))
      throw notFound();
    return a;
  }

  /** Approve, reject or cancel. Only a pending approval can change; anything else is a 409. */
  decideApproval(
    id: number,
    status: number,
    opts: { remark?: string; ticketId?: number } = {},
  ): ApprovalRecord {
    const a = this.getApproval(id, opts.ticketId);
    if (a.status !== FS_APPROVAL_STATUS.REQUESTED) {
      throw conflict(
        `The approval is already ${a.status === 1 ? 'approved' : a.status === 2 ? 'rejected' : 'cancelled'}`,
      );
    }
    const t = this.mustTicket(a.ticket_id);
    const now = this.now();
    a.status = status;
    if (status !== FS_APPROVAL_STATUS.CANCELLED) a.decided_seq = this.next('decision');
    if (opts.remark !== undefined) a.latest_remark = opts.remark;
    a.updated_at = now;
    this.rollUpApprovals(t, now);
    this.changed();
    this.emit({ event: 'approval_changed', ticketId: t.id, approvalId: a.id });
    return a;
  }

  remindApproval(id: number, ticketId: number): void {
    const a = this.getApproval(id, ticketId);
    if (a.status !== FS_APPROVAL_STATUS.REQUESTED) throw conflict('Only a pending approval can be reminded');
    a.reminders += 1;
    this.changed();
  }

  /** Keeps the ticket's approval_status in step with its approvals (rules: README of the sandbox). */
  private rollUpApprovals(t: TicketRecord, now: string): void {
    const all = this.approvalsByTicket.get(t.id) ?? [];
    const active = all.filter((a) => a.status !== FS_APPROVAL_STATUS.CANCELLED);
    let status: FsTicketApprovalStatus;
    if (all.length === 0) status = FS_TICKET_APPROVAL_STATUS.NOT_REQUESTED;
    else if (active.length === 0) status = FS_TICKET_APPROVAL_STATUS.CANCELLED;
    else {
      const type = active[active.length - 1]!.approval_type;
      const approved = active.filter((a) => a.status === FS_APPROVAL_STATUS.APPROVED).length;
      const rejected = active.filter((a) => a.status === FS_APPROVAL_STATUS.REJECTED).length;
      const n = active.length;
      status = FS_TICKET_APPROVAL_STATUS.REQUESTED;
      if (type === FS_APPROVAL_TYPE.EVERYONE) {
        if (rejected > 0) status = FS_TICKET_APPROVAL_STATUS.REJECTED;
        else if (approved === n) status = FS_TICKET_APPROVAL_STATUS.APPROVED;
      } else if (type === FS_APPROVAL_TYPE.MAJORITY) {
        if (approved * 2 > n) status = FS_TICKET_APPROVAL_STATUS.APPROVED;
        else if (rejected * 2 >= n) status = FS_TICKET_APPROVAL_STATUS.REJECTED;
      } else {
        // Anyone / First responder: the first decision settles it.
        const first = active
          .filter((a) => a.decided_seq !== null)
          .sort((x, y) => (x.decided_seq ?? 0) - (y.decided_seq ?? 0))[0];
        if (first) {
          status =
            first.status === FS_APPROVAL_STATUS.APPROVED
              ? FS_TICKET_APPROVAL_STATUS.APPROVED
              : FS_TICKET_APPROVAL_STATUS.REJECTED;
        }
      }
    }
    t.approval_status = status;
    t.approval_status_name = FS_TICKET_APPROVAL_STATUS_NAMES[status];
    t.updated_at = now;
  }

  // ---- tasks --------------------------------------------------------------------------------------------

  private checkTaskRefs(input: { agent_id?: number | null; group_id?: number | null }): void {
    if (
      input.agent_id !== undefined &&
      input.agent_id !== null &&
      !this.users.get(input.agent_id)?.is_agent
    ) {
      throw invalidValue('agent_id', 'There is no agent matching the given agent_id');
    }
    if (input.group_id !== undefined && input.group_id !== null && !this.groups.has(input.group_id)) {
      throw invalidValue('group_id', 'There is no group matching the given group_id');
    }
  }

  createTask(
    ticketId: number,
    input: Partial<Omit<TaskRecord, 'id' | 'ticket_id' | 'created_at' | 'updated_at' | 'closed_at'>> & {
      title: string;
    },
  ): TaskRecord {
    const t = this.mustTicket(ticketId);
    this.checkTaskRefs(input);
    const now = this.now();
    const status = input.status ?? FS_TASK_STATUS.OPEN;
    const task: TaskRecord = {
      id: this.next('task'),
      ticket_id: ticketId,
      agent_id: input.agent_id ?? null,
      group_id: input.group_id ?? null,
      status,
      due_date: input.due_date ?? fsNow(this.clock() + 24 * HOUR),
      notify_before: input.notify_before ?? 0,
      title: input.title,
      description: input.description ?? null,
      closed_at: status === FS_TASK_STATUS.COMPLETED ? now : null,
      workspace_id: DEFAULT_WORKSPACE_ID,
      created_at: now,
      updated_at: now,
    };
    push(this.tasks, ticketId, task);
    this.touch(t, 'task');
    return task;
  }

  tasksOf(ticketId: number): TaskRecord[] {
    this.mustTicket(ticketId);
    return this.tasks.get(ticketId) ?? [];
  }

  getTask(ticketId: number, taskId: number): TaskRecord {
    const task = this.tasksOf(ticketId).find((x) => x.id === taskId);
    if (!task) throw notFound();
    return task;
  }

  updateTask(ticketId: number, taskId: number, changes: Partial<TaskRecord>): TaskRecord {
    const task = this.getTask(ticketId, taskId);
    this.checkTaskRefs(changes);
    const now = this.now();
    Object.assign(task, stripUndefined(changes), { id: task.id, ticket_id: ticketId, updated_at: now });
    task.closed_at = task.status === FS_TASK_STATUS.COMPLETED ? (task.closed_at ?? now) : null;
    this.touch(this.mustTicket(ticketId), 'task');
    return task;
  }

  deleteTask(ticketId: number, taskId: number): void {
    this.getTask(ticketId, taskId);
    this.tasks.set(
      ticketId,
      (this.tasks.get(ticketId) ?? []).filter((x) => x.id !== taskId),
    );
    this.touch(this.mustTicket(ticketId), 'task');
  }
}

function applyStatusStats(t: TicketRecord, from: number | null, to: number, now: string): void {
  t.stats.status_updated_at = now;
  if (to === FS_TICKET_STATUS.OPEN) t.stats.opened_at ??= now;
  if (to === FS_TICKET_STATUS.PENDING) t.stats.pending_since = now;
  else t.stats.pending_since = null;
  if (to === FS_TICKET_STATUS.RESOLVED) t.stats.resolved_at = now;
  if (to === FS_TICKET_STATUS.CLOSED) {
    t.stats.closed_at = now;
    t.stats.resolved_at ??= now;
  }
  if (
    (from === FS_TICKET_STATUS.RESOLVED || from === FS_TICKET_STATUS.CLOSED) &&
    to <= FS_TICKET_STATUS.PENDING
  ) {
    t.stats.reopened_at = now;
    t.stats.resolved_at = null;
    t.stats.closed_at = null;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function emailsOf(u: UserRecord): string[] {
  return [...(u.primary_email ? [u.primary_email] : []), ...u.secondary_emails].map((e) => e.toLowerCase());
}

function dedupe(tags: string[]): string[] {
  return [...new Set(tags)];
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
