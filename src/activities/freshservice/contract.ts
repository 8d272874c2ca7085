// What workflows may ask of Freshservice, in the product's words, and the plain views the answers come in:
// only the fields the flows decide on, so histories stay small and independent of Freshservice's full
// objects. Workflows import these types only; the area files beside this one implement them. Activity names
// are stored in histories: never rename. Every effect that is not idempotent by nature (a ticket, a note, a
// reply, an approval) is looked up before it is made again, so a retry after a lost answer never repeats it.

import type { TicketStanding } from '../../integrations/freshservice/codes';

export type TicketView = {
  id: number;
  type: string;
  subject: string | null;
  status: number;
  statusName: string;
  /**
   * The status in the product's words, what the flows decide on. Absent only in views recorded before the
   * activity reported it; workflows then read it from the code (integrations/freshservice/codes.ts).
   */
  standing?: TicketStanding;
  tags: string[];
  requesterId: number | null;
  requesterEmail: string | null;
  requestedForEmail: string | null;
  approvalStatus: number | null;
  updatedAt: string;
  /** Requested items of a service request with the fields the requester filled in. */
  requestedItems: {
    id: number;
    serviceItemId: number | null;
    stage: number | null;
    fields: Record<string, unknown>;
  }[];
  /** Whether one requested item is the configured access-request catalog item. */
  isAccessRequest: boolean;
};

export type FsPerson = {
  id: number;
  email: string;
  name: string;
  department: string | null;
  reportingManagerId: number | null;
  isAgent: boolean;
};

export type ApprovalView = {
  id: number;
  approverId: number;
  approverName: string | null;
  status: 'requested' | 'approved' | 'rejected' | 'cancelled';
  remark: string | null;
  updatedAt: string | null;
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

/** The ticket statuses a workflow may set, by name. */
export type TicketStatusName = 'open' | 'pending' | 'resolved' | 'closed';

export interface FreshserviceActivities {
  /** The ticket with its requester, requested-for person and requested items. */
  readTicket(ticketId: number): Promise<TicketView>;
  /** Opens the ticket once: a retry after a lost response finds the first one by its marker tag. */
  openTicketOnce(input: OpenTicketInput): Promise<{ ticketId: number; created: boolean }>;
  /**
   * Sets the ticket status (idempotent). With `unlessSettledByAgent`, a ticket already Resolved or Closed
   * is left as it is: access-bridge never moves a ticket out of a status an agent chose.
   */
  setTicketStatus(input: {
    ticketId: number;
    status: TicketStatusName;
    unlessSettledByAgent?: boolean;
  }): Promise<void>;
  /** Moves every requested item of the ticket to `stage` (idempotent). */
  setRequestedItemsStage(input: {
    ticketId: number;
    stage: 'fulfilled' | 'cancelled' | 'delivered';
  }): Promise<void>;

  /** Posts a note once per step: a retry finds the earlier note by its step marker. */
  addNoteOnce(input: { ticketId: number; stepId: string; html: string; private?: boolean }): Promise<void>;
  /** Replies to the requester once per step (same lookup as notes). */
  replyOnce(input: { ticketId: number; stepId: string; html: string }): Promise<void>;

  /**
   * Requests approval from each approver (any one decides) unless this request already has one from
   * that approver: created since `notBeforeMs` and not among `knownApprovalIds` (the flow's earlier
   * levels, escalations and extensions). A retry after a lost response, or a replay, adopts it whatever
   * its status: the approver may have decided while the worker was down, and that decision counts. Only
   * a cancelled one is never adopted. Answers the approval ids, one per approver.
   */
  requestApprovalsOnce(input: {
    ticketId: number;
    approverIds: number[];
    emailContent: string;
    notBeforeMs: number;
    /** Absent in activities scheduled by workers older than this field; then nothing is excluded. */
    knownApprovalIds?: number[];
  }): Promise<number[]>;
  /** The approvals among `approvalIds` as they stand now. */
  readApprovals(input: { ticketId: number; approvalIds: number[] }): Promise<ApprovalView[]>;
  /** Reminds the still-open approvals; one decided meanwhile (Freshservice answers 409) is skipped. */
  remindApprovals(input: { ticketId: number; approvalIds: number[] }): Promise<void>;
  /**
   * Cancels the still-open approvals among `approvalIds` (idempotent) and answers how they all stand
   * afterwards. An approver may decide between the read and the cancel (Freshservice answers 409): that
   * approval keeps its decision, and the caller sees it in the answer, so a check-then-act never fails a run
   * and never hides a decision that landed first.
   */
  cancelApprovals(input: { ticketId: number; approvalIds: number[] }): Promise<ApprovalView[]>;

  /** The requester (else the agent) with this email; null when Freshservice has neither. */
  findPersonByEmail(email: string): Promise<FsPerson | null>;
  /** The requester (else the agent) with this id; null when Freshservice has neither. */
  getPerson(id: number): Promise<FsPerson | null>;
  /** Members of a Freshservice agent group (name compared case-insensitively), as people who can approve. */
  agentGroupMembers(groupName: string): Promise<FsPerson[]>;
}

export type TicketPassInput = {
  /** Newest `updated_at` handled by the previous pass (ISO); null on the first pass. */
  since: string | null;
  /** Tickets already nudged whose `updated_at` equals `since` (the API filter is inclusive, to the second). */
  seenAtSince: number[];
  lookbackMinutes: number;
};

export type TicketPassResult = {
  since: string | null;
  seenAtSince: number[];
  received: number;
  nudged: number;
  /**
   * Listed tickets without a usable `id` or `updated_at` (each logged with its reason); not nudged. A
   * ticket the client's schema refuses for any other field is still nudged: the nudge needs no more.
   */
  skipped: number;
};

/** The Freshservice reconciler's one activity, on the Freshservice task queue. */
export interface FreshserviceReconcileActivities {
  reconcileFreshserviceTickets: (input: TicketPassInput) => Promise<TicketPassResult>;
}
