// zod schemas of every request body and query the sandbox accepts. Objects are strict because Freshservice
// rejects unknown fields (invalid_field); messages follow its wording ("It should be one of these values").
import { z } from 'zod';
import { FS_TICKET_SOURCE } from '../../integrations/freshservice/codes';
import { parseTimestamp } from './wire';

const oneOf = (values: readonly number[]) =>
  z
    .number()
    .int()
    .refine((v) => values.includes(v), {
      message: `It should be one of these values: '${values.join(',')}'`,
    });

const id = () => z.number().int().positive();
const email = () => z.email({ message: 'It should be a valid email address' });
const timestamp = () =>
  z.string().refine((v) => parseTimestamp(v) !== undefined, {
    message: 'It should be in the YYYY-MM-DDTHH:MM:SSZ format',
  });

export const ZTicketStatus = oneOf([2, 3, 4, 5]);
export const ZPriority = oneOf([1, 2, 3, 4]);
const ZLevel = oneOf([1, 2, 3]);
const ZSource = oneOf(Object.values(FS_TICKET_SOURCE));

const ticketFields = {
  subject: z.string().max(255).nullable().optional(),
  description: z.string(),
  status: ZTicketStatus,
  priority: ZPriority,
  source: ZSource.optional(),
  responder_id: id().nullable().optional(),
  group_id: id().nullable().optional(),
  department_id: id().nullable().optional(),
  category: z.string().nullable().optional(),
  sub_category: z.string().nullable().optional(),
  item_category: z.string().nullable().optional(),
  urgency: ZLevel.optional(),
  impact: ZLevel.optional(),
  tags: z.array(z.string().min(1).max(255)).optional(),
  cc_emails: z.array(email()).optional(),
  custom_fields: z.record(z.string(), z.unknown()).optional(),
  due_by: timestamp().optional(),
  fr_due_by: timestamp().optional(),
  workspace_id: id().optional(),
  assets: z.array(z.strictObject({ display_id: id() })).optional(),
};

export const ZCreateTicketBody = z
  .strictObject({
    ...ticketFields,
    requester_id: id().optional(),
    email: email().optional(),
    phone: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    // API v2 creates Incidents only; Service Requests come from place_request.
    type: z.literal('Incident', { message: "It should be one of these values: 'Incident'" }).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.requester_id === undefined && b.email === undefined && b.phone === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['requester_id'],
        message: 'Please fill at least 1 of requester_id, phone, email fields',
      });
    } else if (b.requester_id === undefined && b.email === undefined && b.name === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: 'It should be present when only phone is given',
      });
    }
  });
export type TCreateTicketBody = z.infer<typeof ZCreateTicketBody>;

export const ZUpdateTicketBody = z
  .strictObject({
    ...ticketFields,
    requester_id: id(),
    requested_for_id: id(),
    resolution_notes: z.string().nullable(),
  })
  .partial();

export const ZNoteBody = z.strictObject({
  body: z.string().min(1, { message: 'It should not be blank' }),
  private: z.boolean().optional(),
  incoming: z.boolean().optional(),
  notify_emails: z.array(email()).optional(),
  user_id: id().optional(),
});

export const ZReplyBody = z.strictObject({
  body: z.string().min(1, { message: 'It should not be blank' }),
  cc_emails: z.array(email()).optional(),
  bcc_emails: z.array(email()).optional(),
  from_email: email().optional(),
  user_id: id().optional(),
});

export const ZPlaceRequestBody = z.strictObject({
  email: email().optional(),
  requested_for: email().optional(),
  quantity: z.number().int().min(1).max(1000).optional(),
  custom_fields: z.record(z.string(), z.unknown()).optional(),
  child_items: z.array(z.unknown()).optional(),
  parent_ticket_id: id().optional(),
});

export const ZRequestedItemBody = z.strictObject({ stage: oneOf([1, 2, 3, 4, 5]) });

export const ZApprovalBody = z.strictObject({
  approver_id: id(),
  approval_type: oneOf([1, 2, 3, 4]),
  email_content: z.string().optional(),
  approval_group_id: id().optional(),
});

/** Cancelling is the only change the API allows on an approval. */
export const ZApprovalUpdateBody = z.strictObject({
  approval_status: z.strictObject({
    id: z.literal(3, { message: "It should be one of these values: '3' (only cancellation is allowed)" }),
  }),
});

const taskFields = {
  title: z.string().min(1),
  description: z.string().nullable().optional(),
  status: oneOf([1, 2, 3, 4]).optional(),
  due_date: timestamp().optional(),
  notify_before: z.number().int().min(0).optional(),
  agent_id: id().nullable().optional(),
  group_id: id().nullable().optional(),
};
export const ZTaskBody = z.strictObject(taskFields);
export const ZTaskUpdateBody = z.strictObject(taskFields).partial();

const requesterFields = {
  first_name: z.string().min(1).max(255),
  last_name: z.string().max(255).nullable().optional(),
  job_title: z.string().max(255).nullable().optional(),
  primary_email: email().optional(),
  secondary_emails: z.array(email()).optional(),
  work_phone_number: z.string().nullable().optional(),
  mobile_phone_number: z.string().nullable().optional(),
  department_ids: z.array(id()).optional(),
  can_see_all_tickets_from_associated_departments: z.boolean().optional(),
  reporting_manager_id: id().nullable().optional(),
  address: z.string().nullable().optional(),
  time_zone: z.string().optional(),
  time_format: z.enum(['12h', '24h']).optional(),
  language: z.string().optional(),
  location_id: id().nullable().optional(),
  background_information: z.string().nullable().optional(),
  custom_fields: z.record(z.string(), z.unknown()).optional(),
  external_id: z.string().nullable().optional(),
};
export const ZRequesterBody = z.strictObject(requesterFields);
export const ZRequesterUpdateBody = z.strictObject(requesterFields).partial();

export const ZDepartmentBody = z.strictObject({
  name: z.string().min(1).max(255),
  description: z.string().nullable().optional(),
  head_user_id: id().nullable().optional(),
  prime_user_id: id().nullable().optional(),
  domains: z.array(z.string()).optional(),
  custom_fields: z.record(z.string(), z.unknown()).optional(),
});

const boolParam = z.enum(['true', 'false']).transform((v) => v === 'true');
const intParam = z.string().regex(/^\d+$/, { message: 'It should be a Positive Integer' }).transform(Number);

/** GET /tickets; unknown parameters are ignored, as Freshservice ignores them. */
export const ZListTicketsQuery = z.object({
  filter: z.enum(['new_and_my_open', 'watching', 'spam', 'deleted']).optional(),
  requester_id: intParam.optional(),
  email: email().optional(),
  updated_since: timestamp().optional(),
  type: z
    .enum(['Incident', 'Service Request'], {
      message: "It should be one of these values: 'Incident,Service Request'",
    })
    .optional(),
  order_type: z.enum(['asc', 'desc']).optional(),
  include: z.string().optional(),
  workspace_id: intParam.optional(),
});

export const ZListRequestersQuery = z.object({
  email: z.string().optional(),
  mobile_phone_number: z.string().optional(),
  work_phone_number: z.string().optional(),
  include_agents: boolParam.optional(),
  query: z.string().optional(),
});

export const ZListAgentsQuery = z.object({
  email: z.string().optional(),
  active: boolParam.optional(),
  state: z.enum(['fulltime', 'occasional']).optional(),
  query: z.string().optional(),
});

export const ZAccountApprovalsQuery = z.object({
  parent: z.literal('ticket').optional(),
  status: z.enum(['requested', 'approved', 'rejected', 'cancelled']).optional(),
  approver_id: intParam.optional(),
  parent_id: intParam.optional(),
});

// ---- sandbox-only actor bodies (a test or the demo acting as a person) ----------------------------------

export const ZActorDecisionBody = z.strictObject({
  remark: z.string().max(2000).optional(),
  approverEmail: email().optional(),
});

export const ZActorNoteBody = z.strictObject({
  body: z.string().min(1),
  private: z.boolean().optional(),
  userEmail: email().optional(),
});

/** A requester's emailed answer to the ticket. */
export const ZActorReplyBody = z.strictObject({
  body: z.string().min(1),
  userEmail: email(),
});

/** An agent asking for an approval at the agent console. */
export const ZActorApprovalRequestBody = z.strictObject({
  agentEmail: email(),
  approverEmail: email(),
});

export const ZActorResolveBody = z.strictObject({
  resolution_notes: z.string().optional(),
  status: z.union([z.literal(4), z.literal(5)]).optional(),
});

export const ZActorCatalogRequestBody = z.strictObject({
  requesterEmail: email(),
  requestedForEmail: email().optional(),
  quantity: z.number().int().min(1).max(1000).optional(),
  custom_fields: z.record(z.string(), z.unknown()).default({}),
});
