// zod schemas of the Freshservice v2 objects access-bridge reads (API-CONTRACTS.md §8–10). Fields we use
// are typed; everything else passes through (loose objects), so a tenant with extra fields never breaks
// parsing. A field documented as "null when blank" is accepted when omitted too and normalised to null.
import { z } from 'zod';

/** `null` or absent → `null`, so callers test one value only. */
const nul = <T extends z.ZodType>(schema: T) =>
  schema.nullish().transform((v): z.output<T> | null => (v === undefined ? null : (v as z.output<T> | null)));

const list = <T extends z.ZodType>(schema: T) =>
  z
    .array(schema)
    .nullish()
    .transform((v): z.output<T>[] => (v ?? []) as z.output<T>[]);

const record = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((v) => v ?? {});

/** An embedded requester / requested_for (`include=requester,requested_for`). */
export const ZFsEmbeddedUser = z.looseObject({
  id: z.number().int(),
  name: nul(z.string()),
  email: nul(z.string()),
  mobile: nul(z.string()),
  phone: nul(z.string()),
});
export type TFsEmbeddedUser = z.infer<typeof ZFsEmbeddedUser>;

export const ZFsConversation = z.looseObject({
  id: z.number().int(),
  body: nul(z.string()),
  body_text: nul(z.string()),
  private: z.boolean(),
  incoming: z.boolean().default(false),
  source: nul(z.number().int()),
  user_id: nul(z.number().int()),
  ticket_id: z.number().int(),
  to_emails: nul(z.array(z.string())),
  created_at: z.string(),
  updated_at: z.string(),
});
export type TFsConversation = z.infer<typeof ZFsConversation>;

export const ZFsTicketStats = z.looseObject({
  resolved_at: nul(z.string()),
  closed_at: nul(z.string()),
  first_responded_at: nul(z.string()),
  status_updated_at: nul(z.string()),
});

export const ZFsTicket = z.looseObject({
  id: z.number().int(),
  subject: nul(z.string()),
  description: nul(z.string()),
  description_text: nul(z.string()),
  status: z.number().int(),
  priority: z.number().int(),
  source: nul(z.number().int()),
  type: nul(z.string()),
  requester_id: z.number().int(),
  requested_for_id: nul(z.number().int()),
  responder_id: nul(z.number().int()),
  group_id: nul(z.number().int()),
  department_id: nul(z.number().int()),
  category: nul(z.string()),
  sub_category: nul(z.string()),
  item_category: nul(z.string()),
  urgency: nul(z.number().int()),
  impact: nul(z.number().int()),
  tags: list(z.string()),
  cc_emails: list(z.string()),
  custom_fields: record,
  due_by: nul(z.string()),
  fr_due_by: nul(z.string()),
  workspace_id: nul(z.number().int()),
  resolution_notes: nul(z.string()),
  approval_status: nul(z.number().int()),
  approval_status_name: nul(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
  // Present only with `include=`.
  requester: ZFsEmbeddedUser.optional(),
  requested_for: ZFsEmbeddedUser.optional(),
  stats: ZFsTicketStats.optional(),
  conversations: z.array(ZFsConversation).optional(),
});
export type TFsTicket = z.infer<typeof ZFsTicket>;

export const ZFsCatalogField = z.looseObject({
  name: z.string(),
  label: nul(z.string()),
  field_type: nul(z.string()),
  required: z.boolean().default(false),
  choices: list(z.unknown()),
});
export type TFsCatalogField = z.infer<typeof ZFsCatalogField>;

export const ZFsCatalogItem = z.looseObject({
  id: z.number().int(),
  display_id: z.number().int(),
  name: z.string(),
  description: nul(z.string()),
  short_description: nul(z.string()),
  category_id: nul(z.number().int()),
  visibility: nul(z.number().int()),
  deleted: z.boolean().default(false),
  custom_fields: list(ZFsCatalogField),
  created_at: z.string(),
  updated_at: z.string(),
});
export type TFsCatalogItem = z.infer<typeof ZFsCatalogItem>;

export const ZFsRequestedItem = z.looseObject({
  id: z.number().int(),
  quantity: nul(z.number()),
  stage: z.number().int(),
  service_item_id: z.number().int(),
  service_item_name: nul(z.string()),
  is_parent: z.boolean().default(true),
  custom_fields: record,
  remarks: nul(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
});
export type TFsRequestedItem = z.infer<typeof ZFsRequestedItem>;

const ZIdName = z.looseObject({ id: z.number().int(), name: nul(z.string()) });

export const ZFsApproval = z.looseObject({
  id: z.number().int(),
  approver_id: z.number().int(),
  approver_name: nul(z.string()),
  user_id: nul(z.number().int()),
  level: nul(z.number().int()),
  approval_type: nul(z.number().int()),
  approval_status: z.looseObject({ id: z.number().int(), name: nul(z.string()) }),
  approval_group: nul(z.looseObject({ id: z.number().int(), name: nul(z.string()), rule: nul(z.unknown()) })),
  delegatee: nul(ZIdName),
  latest_remark: nul(z.string()),
  parent_id: nul(z.number().int()),
  created_at: z.string(),
  updated_at: z.string(),
});
export type TFsApproval = z.infer<typeof ZFsApproval>;

export const ZFsTask = z.looseObject({
  id: z.number().int(),
  agent_id: nul(z.number().int()),
  group_id: nul(z.number().int()),
  status: z.number().int(),
  due_date: nul(z.string()),
  notify_before: nul(z.number().int()),
  title: z.string(),
  description: nul(z.string()),
  closed_at: nul(z.string()),
  workspace_id: nul(z.number().int()),
  created_at: z.string(),
  updated_at: z.string(),
});
export type TFsTask = z.infer<typeof ZFsTask>;

export const ZFsRequester = z.looseObject({
  id: z.number().int(),
  is_agent: z.boolean().default(false),
  first_name: z.string(),
  last_name: nul(z.string()),
  job_title: nul(z.string()),
  primary_email: nul(z.string()),
  secondary_emails: list(z.string()),
  work_phone_number: nul(z.string()),
  mobile_phone_number: nul(z.string()),
  department_ids: list(z.number().int()),
  reporting_manager_id: nul(z.number().int()),
  address: nul(z.string()),
  time_zone: nul(z.string()),
  language: nul(z.string()),
  location_id: nul(z.number().int()),
  custom_fields: record,
  active: z.boolean(),
  external_id: nul(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
});
export type TFsRequester = z.infer<typeof ZFsRequester>;

export const ZFsAgent = z.looseObject({
  id: z.number().int(),
  first_name: z.string(),
  last_name: nul(z.string()),
  email: z.string(),
  occasional: z.boolean().default(false),
  active: z.boolean(),
  job_title: nul(z.string()),
  department_ids: list(z.number().int()),
  reporting_manager_id: nul(z.number().int()),
  created_at: z.string(),
  updated_at: z.string(),
});
export type TFsAgent = z.infer<typeof ZFsAgent>;

/** Who an API key acts as (`GET /api/v2/agents/me`): only the id is relied on. */
export const ZFsAgentIdentity = z.looseObject({ id: z.number().int(), email: z.string().optional() });
export type TFsAgentIdentity = z.infer<typeof ZFsAgentIdentity>;

export const ZFsDepartment = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  description: nul(z.string()),
  head_user_id: nul(z.number().int()),
  prime_user_id: nul(z.number().int()),
  domains: list(z.string()),
  custom_fields: record,
  created_at: z.string(),
  updated_at: z.string(),
});
export type TFsDepartment = z.infer<typeof ZFsDepartment>;

export const ZFsAgentGroup = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  description: nul(z.string()),
  members: list(z.number().int()),
  created_at: z.string(),
  updated_at: z.string(),
});
export type TFsAgentGroup = z.infer<typeof ZFsAgentGroup>;

/**
 * Freshservice's error body. The documented shape is `{description, errors:[{field?, message, code}]}`;
 * authentication failures on Freshworks products are also seen as a bare `{code, message}`, so both parse.
 */
export const ZFsErrorBody = z.looseObject({
  description: z.string().optional(),
  errors: z
    .array(
      z.looseObject({
        field: z.string().optional(),
        message: z.string().optional(),
        code: z.string().optional(),
      }),
    )
    .optional(),
  code: z.string().optional(),
  message: z.string().optional(),
});
export type TFsErrorBody = z.infer<typeof ZFsErrorBody>;
