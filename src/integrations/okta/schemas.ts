// zod schemas for the Okta and OIG responses access-bridge reads: the fields the product uses are typed,
// everything else passes through (loose objects), so a new vendor field never breaks a parse.
import { z } from 'zod';

/** The user statuses Okta documents today (codes.ts). */
export { OKTA_USER_STATUSES } from './codes';

const nstr = z.string().nullish();

export const ZOktaUserProfile = z.looseObject({
  login: z.string(),
  email: z.string(),
  firstName: nstr,
  lastName: nstr,
  title: nstr,
  department: nstr,
  manager: nstr,
  managerId: nstr,
  employeeNumber: nstr,
  mobilePhone: nstr,
  primaryPhone: nstr,
});
export type TOktaUserProfile = z.infer<typeof ZOktaUserProfile>;

export const ZOktaUser = z.looseObject({
  id: z.string(),
  /**
   * Any status string: a status Okta adds later must not make every list of users unreadable; the
   * eligibility check refuses a status it does not list (`account-not-eligible`, naming it).
   */
  status: z.string().min(1),
  created: z.string(),
  activated: nstr,
  statusChanged: nstr,
  lastLogin: nstr,
  lastUpdated: z.string(),
  passwordChanged: nstr,
  transitioningToStatus: nstr,
  profile: ZOktaUserProfile,
});
export type TOktaUser = z.infer<typeof ZOktaUser>;

export const ZOktaGroup = z.looseObject({
  id: z.string(),
  type: z.enum(['OKTA_GROUP', 'APP_GROUP', 'BUILT_IN']),
  created: nstr,
  lastUpdated: nstr,
  lastMembershipUpdated: nstr,
  profile: z.looseObject({ name: z.string(), description: nstr }),
});
export type TOktaGroup = z.infer<typeof ZOktaGroup>;

export const ZOktaApp = z.looseObject({
  id: z.string(),
  name: z.string(),
  label: z.string(),
  status: z.string(),
  signOnMode: nstr,
  created: nstr,
  lastUpdated: nstr,
});
export type TOktaApp = z.infer<typeof ZOktaApp>;

export const ZOktaAppUser = z.looseObject({
  id: z.string(),
  scope: nstr,
  status: nstr,
  externalId: nstr,
  syncState: nstr,
  created: nstr,
  lastUpdated: nstr,
  credentials: z.looseObject({ userName: nstr }).nullish(),
  profile: z.record(z.string(), z.unknown()).nullish(),
});
export type TOktaAppUser = z.infer<typeof ZOktaAppUser>;

/** ApplicationGroupAssignment: `id` is the group's id. */
export const ZOktaAppGroupAssignment = z.looseObject({
  id: z.string(),
  priority: z.number().nullish(),
  profile: z.record(z.string(), z.unknown()).nullish(),
  lastUpdated: nstr,
});
export type TOktaAppGroupAssignment = z.infer<typeof ZOktaAppGroupAssignment>;

export const ZOktaAppLink = z.looseObject({
  id: z.string(),
  label: z.string(),
  linkUrl: z.string(),
  appName: z.string(),
  appInstanceId: z.string(),
  appAssignmentId: nstr,
  hidden: z.boolean().nullish(),
  sortOrder: z.number().nullish(),
});
export type TOktaAppLink = z.infer<typeof ZOktaAppLink>;

export const ZOktaFactor = z.looseObject({
  id: z.string(),
  factorType: z.string(),
  provider: z.string(),
  status: z.string(),
  vendorName: nstr,
  created: nstr,
  lastUpdated: nstr,
  profile: z.record(z.string(), z.unknown()).nullish(),
});
export type TOktaFactor = z.infer<typeof ZOktaFactor>;

const ZLogPrincipal = z.looseObject({
  id: z.string(),
  type: z.string(),
  alternateId: nstr,
  displayName: nstr,
  detailEntry: z.record(z.string(), z.unknown()).nullish(),
});

export const ZOktaLogEvent = z.looseObject({
  uuid: z.string(),
  published: z.string(),
  eventType: z.string(),
  legacyEventType: nstr,
  version: nstr,
  displayMessage: nstr,
  severity: z.string(),
  outcome: z.looseObject({ result: z.string(), reason: nstr }).nullish(),
  actor: ZLogPrincipal,
  client: z
    .looseObject({
      ipAddress: nstr,
      userAgent: z.looseObject({ rawUserAgent: nstr }).nullish(),
      geographicalContext: z.looseObject({ city: nstr, state: nstr, country: nstr }).nullish(),
    })
    .nullish(),
  target: z
    .array(
      ZLogPrincipal.extend({
        changeDetails: z.looseObject({ from: z.unknown().optional(), to: z.unknown().optional() }).nullish(),
      }),
    )
    .nullish()
    .transform((t) => t ?? []),
  transaction: z.looseObject({ type: nstr, id: nstr }).nullish(),
  debugContext: z.looseObject({ debugData: z.record(z.string(), z.unknown()).nullish() }).nullish(),
  securityContext: z.record(z.string(), z.unknown()).nullish(),
});
export type TOktaLogEvent = z.infer<typeof ZOktaLogEvent>;

/** The body Okta POSTs to an event hook. */
export const ZOktaEventHookDelivery = z.looseObject({
  eventType: z.string(),
  eventTypeVersion: nstr,
  cloudEventsVersion: nstr,
  source: nstr,
  eventId: z.string(),
  eventTime: z.string(),
  contentType: nstr,
  data: z.looseObject({ events: z.array(ZOktaLogEvent) }),
});
export type TOktaEventHookDelivery = z.infer<typeof ZOktaEventHookDelivery>;

export const ZOktaEventHook = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.enum(['ACTIVE', 'INACTIVE']),
  verificationStatus: z.enum(['UNVERIFIED', 'VERIFIED']),
  events: z.looseObject({ type: z.string(), items: z.array(z.string()) }),
  channel: z.looseObject({
    type: z.string(),
    version: z.string(),
    config: z.looseObject({
      uri: z.string(),
      headers: z.array(z.looseObject({ key: z.string(), value: nstr })).nullish(),
      authScheme: z.looseObject({ type: z.string(), key: z.string(), value: nstr }).nullish(),
    }),
  }),
  created: nstr,
  lastUpdated: nstr,
});
export type TOktaEventHook = z.infer<typeof ZOktaEventHook>;

/** The v2 request statuses Okta documents today. */
export const ACCESS_REQUEST_STATUSES = [
  'SUBMITTED',
  'REJECTED',
  'PENDING',
  'APPROVED',
  'DENIED',
  'CANCELED',
  'EXPIRED',
] as const;
export type AccessRequestStatus = (typeof ACCESS_REQUEST_STATUSES)[number];

export const ZAccessRequest = z.looseObject({
  id: z.string(),
  /**
   * Any status string: one Okta adds later is the workflow's to classify (it ends the flow as
   * `unknown-status` with a note), not an unreadable answer that would refuse the whole read.
   */
  status: z.string().min(1),
  created: z.string(),
  createdBy: nstr,
  lastUpdated: nstr,
  lastUpdatedBy: nstr,
  resolved: nstr,
  grantStatus: nstr,
  granted: nstr,
  revocationStatus: nstr,
  revoked: nstr,
  accessDuration: nstr,
  revocationScheduled: nstr,
  requestedBy: z.looseObject({ type: z.string(), externalId: z.string() }).nullish(),
  requestedFor: z.looseObject({ type: z.string(), externalId: z.string() }),
  requested: z.looseObject({
    entryId: nstr,
    resourceId: nstr,
    resourceType: nstr,
    resourceName: nstr,
    accessScopeId: nstr,
    accessScopeType: nstr,
  }),
  requesterFieldValues: z
    .array(z.looseObject({ id: z.string(), type: nstr, label: nstr, value: z.unknown().optional() }))
    .nullish()
    .transform((v) => v ?? []),
  requestApproval: z
    .looseObject({
      status: nstr,
      decided: nstr,
      decisions: z
        .array(z.looseObject({ deciderId: nstr, deciderName: nstr, decision: nstr, decided: nstr }))
        .nullish(),
    })
    .nullish(),
});
export type TAccessRequest = z.infer<typeof ZAccessRequest>;

export const ZAccessRequestV1 = z.looseObject({
  id: z.string(),
  subject: nstr,
  requestTypeId: nstr,
  requestStatus: z.string(),
  created: nstr,
  lastUpdated: nstr,
  resolved: nstr,
  requesterUserIds: z.array(z.string()).nullish(),
  approvals: z
    .array(
      z.looseObject({
        status: z.string(),
        decision: nstr,
        approverId: nstr,
        approverName: nstr,
        decided: nstr,
      }),
    )
    .nullish(),
  actions: z
    .array(
      z.looseObject({ status: nstr, action: nstr, actionStatus: nstr, resourceId: nstr, resourceType: nstr }),
    )
    .nullish(),
  type: nstr,
});
export type TAccessRequestV1 = z.infer<typeof ZAccessRequestV1>;

export const ZCatalogEntry = z.looseObject({
  id: z.string(),
  name: nstr,
  label: nstr,
  description: nstr,
  parent: nstr,
  requestable: z.boolean().nullish(),
});
export type TCatalogEntry = z.infer<typeof ZCatalogEntry>;

/** Okta's management error body. */
export const ZOktaErrorBody = z.looseObject({
  errorCode: z.string(),
  errorSummary: z.string(),
  errorId: nstr,
  errorCauses: z.array(z.looseObject({ errorSummary: z.string() })).nullish(),
});

/** The org authorization server's token response and error. */
export const ZTokenResponse = z.looseObject({
  token_type: z.string(),
  access_token: z.string(),
  expires_in: z.number(),
  scope: nstr,
});
export const ZOAuthErrorBody = z.looseObject({ error: z.string(), error_description: nstr });

export const ZResetPasswordResult = z.looseObject({ resetPasswordUrl: nstr });
export const ZActivationResult = z.looseObject({ activationUrl: nstr, activationToken: nstr });
