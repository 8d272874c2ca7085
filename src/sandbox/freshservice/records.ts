// The sandbox Freshservice's stored records. They hold the vendor's wire field names so rendering is a
// pick, plus the few internal fields (stats, decision order) a real account keeps out of sight.

export type UserRecord = {
  id: number;
  /** Agents and requesters share one id space, as in Freshservice. */
  is_agent: boolean;
  first_name: string;
  last_name: string | null;
  job_title: string | null;
  primary_email: string | null;
  secondary_emails: string[];
  work_phone_number: string | null;
  mobile_phone_number: string | null;
  department_ids: number[];
  can_see_all_tickets_from_associated_departments: boolean;
  reporting_manager_id: number | null;
  address: string | null;
  time_zone: string;
  time_format: '12h' | '24h';
  language: string;
  location_id: number | null;
  background_information: string | null;
  custom_fields: Record<string, unknown>;
  active: boolean;
  has_logged_in: boolean;
  external_id: string | null;
  occasional: boolean;
  created_at: string;
  updated_at: string;
};

export type DepartmentRecord = {
  id: number;
  name: string;
  description: string | null;
  head_user_id: number | null;
  prime_user_id: number | null;
  domains: string[];
  custom_fields: Record<string, unknown>;
  workspace_id: number;
  created_at: string;
  updated_at: string;
};

export type GroupRecord = {
  id: number;
  name: string;
  description: string | null;
  members: number[];
  observers: number[];
  leaders: number[];
  workspace_id: number;
  created_at: string;
  updated_at: string;
};

export type CatalogFieldType =
  | 'custom_text'
  | 'custom_paragraph'
  | 'custom_dropdown'
  | 'custom_number'
  | 'custom_date'
  | 'custom_checkbox';

export type CatalogFieldDef = {
  name: string;
  label: string;
  field_type: CatalogFieldType;
  required: boolean;
  /** Dropdown choices. */
  choices: string[];
  /** Sandbox-only refinement of a text field: the value must be an email address. */
  format?: 'email';
  /** Sandbox-only: fields that may not be filled in together with this one. */
  excludes?: string[];
};

export type CatalogItemRecord = {
  id: number;
  display_id: number;
  name: string;
  description: string | null;
  short_description: string | null;
  category_id: number;
  visibility: number;
  deleted: boolean;
  cost: number | null;
  delivery_time: number | null;
  workspace_id: number;
  custom_fields: CatalogFieldDef[];
  created_at: string;
  updated_at: string;
};

export type TicketStats = {
  opened_at: string | null;
  reopened_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  pending_since: string | null;
  first_responded_at: string | null;
  agent_responded_at: string | null;
  requester_responded_at: string | null;
  status_updated_at: string | null;
};

export type TicketRecord = {
  id: number;
  subject: string | null;
  description: string | null;
  description_text: string | null;
  status: number;
  priority: number;
  source: number;
  type: string;
  requester_id: number;
  requested_for_id: number | null;
  responder_id: number | null;
  group_id: number | null;
  department_id: number | null;
  category: string | null;
  sub_category: string | null;
  item_category: string | null;
  urgency: number;
  impact: number;
  tags: string[];
  cc_emails: string[];
  fwd_emails: string[];
  reply_cc_emails: string[];
  to_emails: string[] | null;
  fr_escalated: boolean;
  is_escalated: boolean;
  spam: boolean;
  deleted: boolean;
  due_by: string | null;
  fr_due_by: string | null;
  custom_fields: Record<string, unknown>;
  attachments: unknown[];
  workspace_id: number;
  resolution_notes: string | null;
  approval_status: number | null;
  approval_status_name: string | null;
  created_at: string;
  updated_at: string;
  stats: TicketStats;
};

export type ConversationRecord = {
  id: number;
  ticket_id: number;
  body: string;
  body_text: string;
  private: boolean;
  incoming: boolean;
  source: number;
  user_id: number | null;
  to_emails: string[];
  cc_emails: string[];
  bcc_emails: string[];
  from_email: string | null;
  created_at: string;
  updated_at: string;
};

export type ApprovalRecord = {
  id: number;
  ticket_id: number;
  approver_id: number;
  /** Who requested the approval. */
  user_id: number | null;
  level: number;
  approval_type: number;
  status: number;
  approval_group_id: number | null;
  email_content: string | null;
  latest_remark: string | null;
  delegatee_id: number | null;
  reminders: number;
  /** Order in which decisions were made, for the "Anyone"/"First responder" rules. */
  decided_seq: number | null;
  created_at: string;
  updated_at: string;
};

export type RequestedItemRecord = {
  id: number;
  ticket_id: number;
  quantity: number;
  stage: number;
  service_item_id: number;
  service_item_name: string;
  custom_fields: Record<string, unknown>;
  is_parent: boolean;
  remarks: string | null;
  created_at: string;
  updated_at: string;
};

export type TaskRecord = {
  id: number;
  ticket_id: number;
  agent_id: number | null;
  group_id: number | null;
  status: number;
  due_date: string | null;
  notify_before: number;
  title: string;
  description: string | null;
  closed_at: string | null;
  workspace_id: number;
  created_at: string;
  updated_at: string;
};

/**
 * The last id handed out of each kind, persisted with the records so a restart never hands one out again.
 * `decision` orders approval decisions; `webhookDelivery` and `faultRule` number the automator's deliveries
 * and the sandbox's fault rules (neither list is persisted, but their ids stay unique across restarts).
 */
export type Counters = {
  user: number;
  department: number;
  group: number;
  catalog: number;
  ticket: number;
  conversation: number;
  approval: number;
  requestedItem: number;
  task: number;
  decision: number;
  webhookDelivery: number;
  faultRule: number;
};

/** What the store persists: flat arrays, indexes are rebuilt on load. */
export type StoreSnapshot = {
  version: 1;
  /** A file written before a counter existed lacks it; restore recovers it from the records. */
  counters: Partial<Counters>;
  users: UserRecord[];
  departments: DepartmentRecord[];
  groups: GroupRecord[];
  catalog: CatalogItemRecord[];
  tickets: TicketRecord[];
  conversations: ConversationRecord[];
  approvals: ApprovalRecord[];
  requestedItems: RequestedItemRecord[];
  tasks: TaskRecord[];
};
