// Freshservice's numeric code tables (API-CONTRACTS.md §9), named once so the client, the sandbox, the
// activities and the workflows never spell a magic number. Values are wire values: never renumber.

export const FS_TICKET_STATUS = { OPEN: 2, PENDING: 3, RESOLVED: 4, CLOSED: 5 } as const;
export type FsTicketStatus = (typeof FS_TICKET_STATUS)[keyof typeof FS_TICKET_STATUS];
export const FS_TICKET_STATUS_NAMES: Readonly<Record<FsTicketStatus, string>> = {
  2: 'Open',
  3: 'Pending',
  4: 'Resolved',
  5: 'Closed',
};

/**
 * A ticket's status in the product's words. `custom`: a status an admin added (Freshservice numbers them from
 * 6); what it means is the admin's, so no flow reads it as open.
 */
export type TicketStanding = 'open' | 'pending' | 'resolved' | 'closed' | 'custom';

const TICKET_STANDINGS: ReadonlyMap<number, TicketStanding> = new Map<number, TicketStanding>([
  [FS_TICKET_STATUS.OPEN, 'open'],
  [FS_TICKET_STATUS.PENDING, 'pending'],
  [FS_TICKET_STATUS.RESOLVED, 'resolved'],
  [FS_TICKET_STATUS.CLOSED, 'closed'],
]);

/** The words for a ticket's `status` code. */
export function ticketStanding(status: number): TicketStanding {
  return TICKET_STANDINGS.get(status) ?? 'custom';
}

export const FS_PRIORITY = { LOW: 1, MEDIUM: 2, HIGH: 3, URGENT: 4 } as const;
export type FsPriority = (typeof FS_PRIORITY)[keyof typeof FS_PRIORITY];

/** urgency and impact share the 1..3 scale (Low, Medium, High). */
export const FS_URGENCY = { LOW: 1, MEDIUM: 2, HIGH: 3 } as const;

export const FS_TICKET_SOURCE = {
  EMAIL: 1,
  PORTAL: 2,
  PHONE: 3,
  CHAT: 4,
  FEEDBACK_WIDGET: 5,
  YAMMER: 6,
  AWS_CLOUDWATCH: 7,
  PAGERDUTY: 8,
  WALKUP: 9,
  SLACK: 10,
  CHATBOT: 11,
  WORKPLACE: 12,
  EMPLOYEE_ONBOARDING: 13,
  ALERTS: 14,
  MS_TEAMS: 15,
  EMPLOYEE_OFFBOARDING: 18,
} as const;

export const FS_TICKET_TYPES = ['Incident', 'Service Request'] as const;
export type FsTicketType = (typeof FS_TICKET_TYPES)[number];

/** Status of one approval. */
export const FS_APPROVAL_STATUS = { REQUESTED: 0, APPROVED: 1, REJECTED: 2, CANCELLED: 3 } as const;
export type FsApprovalStatus = (typeof FS_APPROVAL_STATUS)[keyof typeof FS_APPROVAL_STATUS];
export const FS_APPROVAL_STATUS_NAMES: Readonly<Record<FsApprovalStatus, string>> = {
  0: 'Requested',
  1: 'Approved',
  2: 'Rejected',
  3: 'Cancelled',
};

export const FS_APPROVAL_TYPE = { EVERYONE: 1, ANYONE: 2, MAJORITY: 3, FIRST_RESPONDER: 4 } as const;
export type FsApprovalType = (typeof FS_APPROVAL_TYPE)[keyof typeof FS_APPROVAL_TYPE];

/**
 * The ticket-level approval status. Only 1 Approved, 2 Rejected and 4 Not Requested are documented; the
 * other values (0 Requested, 3 Cancelled) are UNCONFIRMED and mirror the per-approval table. A Service
 * Request placed through place_request starts with `null` ("Not Requested").
 */
export const FS_TICKET_APPROVAL_STATUS = {
  REQUESTED: 0,
  APPROVED: 1,
  REJECTED: 2,
  CANCELLED: 3,
  NOT_REQUESTED: 4,
} as const;
export type FsTicketApprovalStatus =
  (typeof FS_TICKET_APPROVAL_STATUS)[keyof typeof FS_TICKET_APPROVAL_STATUS];
export const FS_TICKET_APPROVAL_STATUS_NAMES: Readonly<Record<FsTicketApprovalStatus, string>> = {
  0: 'Requested',
  1: 'Approved',
  2: 'Rejected',
  3: 'Cancelled',
  4: 'Not Requested',
};

export const FS_REQUESTED_ITEM_STAGE = {
  REQUESTED: 1,
  DELIVERED: 2,
  CANCELLED: 3,
  FULFILLED: 4,
  PARTIALLY_FULFILLED: 5,
} as const;
export type FsRequestedItemStage = (typeof FS_REQUESTED_ITEM_STAGE)[keyof typeof FS_REQUESTED_ITEM_STAGE];

export const FS_TASK_STATUS = { OPEN: 1, IN_PROGRESS: 2, COMPLETED: 3, BLOCKED: 4 } as const;
export type FsTaskStatus = (typeof FS_TASK_STATUS)[keyof typeof FS_TASK_STATUS];

/** Conversation `source`. */
export const FS_CONVERSATION_SOURCE = {
  EMAIL: 0,
  FORM: 1,
  NOTE: 2,
  STATUS: 3,
  META: 4,
  FEEDBACK: 5,
  FORWARD_EMAIL: 6,
} as const;

/** Error `code` values Freshservice sends in `errors[].code`. */
export const FS_ERROR_CODES = [
  'missing_field',
  'invalid_value',
  'duplicate_value',
  'datatype_mismatch',
  'invalid_field',
  'invalid_json',
  'invalid_credentials',
  'access_denied',
  'require_feature',
  'account_suspended',
  'ssl_required',
  'readonly_field',
  'password_lockout',
  'password_expired',
  'no_content_required',
  'inaccessible_field',
  'incompatible_field',
  'unsupported_authentication_type',
  'access_token_expired',
  'access_token_invalid',
] as const;
export type FsErrorCode = (typeof FS_ERROR_CODES)[number];
