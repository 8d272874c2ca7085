// Renders stored records as Freshservice's wire objects: every documented field present (null when
// blank), the ticket's `include=` embeds, agents with `email` and requesters with `primary_email`.
import { FS_APPROVAL_STATUS_NAMES, type FsApprovalStatus } from '../../integrations/freshservice/codes';
import type {
  ApprovalRecord,
  CatalogItemRecord,
  ConversationRecord,
  DepartmentRecord,
  GroupRecord,
  RequestedItemRecord,
  TaskRecord,
  TicketRecord,
  UserRecord,
} from './records';
import type { FreshserviceStore } from './store';

export const TICKET_INCLUDES = [
  'requester',
  'requested_for',
  'stats',
  'conversations',
  'tags',
  'assets',
] as const;
export type TicketInclude = (typeof TICKET_INCLUDES)[number];

const fullName = (u: UserRecord): string => [u.first_name, u.last_name].filter(Boolean).join(' ');

function embeddedUser(u: UserRecord | undefined): Record<string, unknown> | null {
  if (!u) return null;
  return {
    id: u.id,
    name: fullName(u),
    email: u.primary_email,
    mobile: u.mobile_phone_number,
    phone: u.work_phone_number,
  };
}

export function renderConversation(c: ConversationRecord): Record<string, unknown> {
  return {
    id: c.id,
    body: c.body,
    body_text: c.body_text,
    private: c.private,
    incoming: c.incoming,
    source: c.source,
    user_id: c.user_id,
    ticket_id: c.ticket_id,
    to_emails: c.to_emails,
    cc_emails: c.cc_emails,
    bcc_emails: c.bcc_emails,
    from_email: c.from_email,
    support_email: null,
    attachments: [],
    created_at: c.created_at,
    updated_at: c.updated_at,
  };
}

export function renderTicket(
  t: TicketRecord,
  store: FreshserviceStore,
  include: readonly TicketInclude[] = [],
): Record<string, unknown> {
  const { stats, ...wire } = t;
  const out: Record<string, unknown> = { ...wire, tags: [...t.tags], custom_fields: { ...t.custom_fields } };
  if (include.includes('requester')) out.requester = embeddedUser(store.getUser(t.requester_id));
  if (include.includes('requested_for')) {
    out.requested_for = t.requested_for_id === null ? null : embeddedUser(store.getUser(t.requested_for_id));
  }
  if (include.includes('stats')) {
    out.stats = { ...stats, created_at: t.created_at, updated_at: t.updated_at };
  }
  if (include.includes('conversations')) {
    out.conversations = store.conversationsOf(t.id).map(renderConversation);
  }
  if (include.includes('assets')) out.assets = [];
  return out;
}

export function renderRequester(u: UserRecord): Record<string, unknown> {
  return {
    id: u.id,
    is_agent: u.is_agent,
    first_name: u.first_name,
    last_name: u.last_name,
    job_title: u.job_title,
    primary_email: u.primary_email,
    secondary_emails: u.secondary_emails,
    work_phone_number: u.work_phone_number,
    mobile_phone_number: u.mobile_phone_number,
    department_ids: u.department_ids,
    department_names: null,
    can_see_all_tickets_from_associated_departments: u.can_see_all_tickets_from_associated_departments,
    reporting_manager_id: u.reporting_manager_id,
    address: u.address,
    time_zone: u.time_zone,
    time_format: u.time_format,
    language: u.language,
    location_id: u.location_id,
    location_name: null,
    background_information: u.background_information,
    custom_fields: u.custom_fields,
    active: u.active,
    has_logged_in: u.has_logged_in,
    external_id: u.external_id,
    created_at: u.created_at,
    updated_at: u.updated_at,
  };
}

export function renderAgent(u: UserRecord, store: FreshserviceStore): Record<string, unknown> {
  return {
    id: u.id,
    first_name: u.first_name,
    last_name: u.last_name,
    email: u.primary_email,
    occasional: u.occasional,
    active: u.active,
    job_title: u.job_title,
    work_phone_number: u.work_phone_number,
    mobile_phone_number: u.mobile_phone_number,
    department_ids: u.department_ids,
    reporting_manager_id: u.reporting_manager_id,
    address: u.address,
    time_zone: u.time_zone,
    time_format: u.time_format,
    language: u.language,
    location_id: u.location_id,
    background_information: u.background_information,
    scoreboard_level_id: null,
    member_of: [...store.groups.values()].filter((g) => g.members.includes(u.id)).map((g) => g.id),
    observer_of: [],
    roles: [],
    last_login_at: null,
    last_active_at: null,
    has_logged_in: u.has_logged_in,
    custom_fields: u.custom_fields,
    external_id: u.external_id,
    created_at: u.created_at,
    updated_at: u.updated_at,
  };
}

export function renderDepartment(d: DepartmentRecord): Record<string, unknown> {
  return { ...d, domains: [...d.domains] };
}

export function renderGroup(g: GroupRecord): Record<string, unknown> {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    escalate_to: null,
    unassigned_for: null,
    business_hours_id: null,
    members: g.members,
    observers: g.observers,
    leaders: g.leaders,
    members_pending_approval: [],
    leaders_pending_approval: [],
    observers_pending_approval: [],
    restricted: false,
    approval_required: false,
    auto_ticket_assign: false,
    workspace_id: g.workspace_id,
    created_at: g.created_at,
    updated_at: g.updated_at,
  };
}

export function renderCatalogItem(i: CatalogItemRecord): Record<string, unknown> {
  return {
    id: i.id,
    display_id: i.display_id,
    name: i.name,
    description: i.description,
    short_description: i.short_description,
    category_id: i.category_id,
    product_id: null,
    quantity: null,
    deleted: i.deleted,
    icon_name: null,
    group_visibility: 1,
    item_type: 1,
    ci_type_id: null,
    visibility: i.visibility,
    cost_visibility: true,
    delivery_time_visibility: true,
    cost: i.cost,
    delivery_time: i.delivery_time,
    botified: false,
    allow_attachments: false,
    allow_quantity: false,
    is_bundle: false,
    create_child: false,
    configs: {},
    workspace_id: i.workspace_id,
    custom_fields: i.custom_fields.map((f) => ({
      name: f.name,
      label: f.label,
      field_type: f.field_type,
      required: f.required,
      choices: f.choices.map((c) => [c, c]),
    })),
    created_at: i.created_at,
    updated_at: i.updated_at,
  };
}

export function renderRequestedItem(r: RequestedItemRecord): Record<string, unknown> {
  return {
    id: r.id,
    created_at: r.created_at,
    updated_at: r.updated_at,
    quantity: r.quantity,
    stage: r.stage,
    loaned: false,
    cost_per_request: 0,
    remarks: r.remarks,
    delivery_time: null,
    is_parent: r.is_parent,
    service_item_id: r.service_item_id,
    service_item_name: r.service_item_name,
    custom_fields: r.custom_fields,
  };
}

export function renderApproval(a: ApprovalRecord, store: FreshserviceStore): Record<string, unknown> {
  const approver = store.getUser(a.approver_id);
  const group = a.approval_group_id === null ? undefined : store.groups.get(a.approval_group_id);
  const delegatee = a.delegatee_id === null ? undefined : store.getUser(a.delegatee_id);
  return {
    id: a.id,
    approver_id: a.approver_id,
    approver_name: approver ? fullName(approver) : null,
    user_id: a.user_id,
    level: a.level,
    approval_type: a.approval_type,
    parent_id: a.ticket_id,
    parent_type: 'Helpdesk::Ticket',
    approval_status: { id: a.status, name: FS_APPROVAL_STATUS_NAMES[a.status as FsApprovalStatus] ?? null },
    approval_group:
      a.approval_group_id === null
        ? null
        : { id: a.approval_group_id, name: group?.name ?? null, rule: null },
    delegatee: delegatee ? { id: delegatee.id, name: fullName(delegatee) } : null,
    latest_remark: a.latest_remark,
    created_at: a.created_at,
    updated_at: a.updated_at,
  };
}

export function renderTask(t: TaskRecord): Record<string, unknown> {
  return {
    id: t.id,
    agent_id: t.agent_id,
    status: t.status,
    due_date: t.due_date,
    notify_before: t.notify_before,
    title: t.title,
    description: t.description,
    created_at: t.created_at,
    updated_at: t.updated_at,
    closed_at: t.closed_at,
    group_id: t.group_id,
    workspace_id: t.workspace_id,
  };
}
