// The sandbox Okta's stored records. They hold what a real org keeps; the JSON a client sees is rendered
// from them (render.ts), so internal fields (seq, flags) never leak onto the wire.
import { OKTA_USER_STATUSES } from '../../integrations/okta/codes';

/** Okta's user statuses, as the product's client knows them. */
export const USER_STATUSES = OKTA_USER_STATUSES;
export type UserStatus = (typeof USER_STATUSES)[number];

export type UserProfile = {
  login: string;
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  [attr: string]: unknown;
};

export type UserRecord = {
  /** Insertion order; list cursors point at it. */
  seq: number;
  id: string;
  status: UserStatus;
  created: string;
  activated: string | null;
  statusChanged: string | null;
  lastLogin: string | null;
  lastUpdated: string;
  passwordChanged: string | null;
  typeId: string;
  profile: UserProfile;
  hasPassword: boolean;
  hasRecoveryQuestion: boolean;
};

export type GroupType = 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN';

export type GroupRecord = {
  seq: number;
  id: string;
  type: GroupType;
  created: string;
  lastUpdated: string;
  lastMembershipUpdated: string;
  profile: { name: string; description: string | null };
  members: string[];
};

export type AppUserRecord = {
  userId: string;
  /**
   * USER when the user was assigned directly (whether or not a group also grants the app); GROUP when
   * only group memberships grant it, so the record goes when the last granting membership does.
   */
  scope: 'USER' | 'GROUP';
  status: 'ACTIVE' | 'PROVISIONED' | 'INACTIVE';
  created: string;
  lastUpdated: string;
  statusChanged: string;
  credentials: { userName: string };
  profile: Record<string, unknown>;
};

/**
 * A group assigned to an app (Okta's ApplicationGroupAssignment). Its members hold the app through an
 * AppUser with scope GROUP; `priority` (0 is highest) picks whose `profile` a member's AppUser starts from.
 */
export type AppGroupRecord = {
  groupId: string;
  priority: number;
  profile: Record<string, unknown>;
  lastUpdated: string;
};

export type AppRecord = {
  seq: number;
  id: string;
  name: string;
  label: string;
  status: 'ACTIVE' | 'INACTIVE';
  signOnMode: string;
  created: string;
  lastUpdated: string;
  /** Direct (scope USER) and group-granted (scope GROUP) assignments, one per user. */
  users: AppUserRecord[];
  groups: AppGroupRecord[];
  /**
   * The app body as created or replaced through the API (`settings.app`, `settings.signOn`,
   * `settings.oauthClient`…), rendered back as sent. Seeded apps and older snapshots have none.
   */
  settings?: Record<string, unknown>;
  credentials?: Record<string, unknown>;
  visibility?: Record<string, unknown>;
  accessibility?: Record<string, unknown>;
  features?: unknown[];
};

export type FactorRecord = {
  id: string;
  factorType: string;
  provider: string;
  vendorName: string;
  status: 'ACTIVE' | 'PENDING_ACTIVATION' | 'INACTIVE';
  created: string;
  lastUpdated: string;
  profile: Record<string, unknown>;
};

export type LogActor = {
  id: string;
  type: string;
  alternateId: string;
  displayName: string;
  detailEntry: Record<string, unknown> | null;
};

export type LogTarget = LogActor & { changeDetails?: { from?: unknown; to?: unknown } };

export type LogEvent = {
  uuid: string;
  published: string;
  eventType: string;
  legacyEventType: string | null;
  version: '0';
  displayMessage: string;
  severity: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  outcome: { result: string; reason: string | null };
  actor: LogActor;
  client: {
    userAgent: { rawUserAgent: string; os: string; browser: string };
    zone: string;
    device: string;
    id: string | null;
    ipAddress: string;
    geographicalContext: {
      city: string | null;
      state: string | null;
      country: string | null;
      postalCode: string | null;
      geolocation: { lat: number; lon: number } | null;
    };
  };
  request: { ipChain: { ip: string; version: string }[] };
  target: LogTarget[];
  transaction: { type: string; id: string; detail: Record<string, unknown> };
  debugContext: { debugData: Record<string, unknown> };
  authenticationContext: {
    authenticationProvider: string | null;
    credentialProvider: string | null;
    credentialType: string | null;
    issuer: unknown;
    externalSessionId: string;
    interface: string | null;
    authenticationStep: number;
  };
  securityContext: {
    asNumber: number | null;
    asOrg: string | null;
    isp: string | null;
    domain: string | null;
    isProxy: boolean | null;
    risk?: { level: string; reasons: string } | null;
  };
};

/** A System Log row plus its position, which `after` cursors refer to. */
export type StoredLogEvent = { seq: number; event: LogEvent };

export type EventHookRecord = {
  id: string;
  name: string;
  description: string | null;
  status: 'ACTIVE' | 'INACTIVE';
  verificationStatus: 'UNVERIFIED' | 'VERIFIED';
  events: { type: 'EVENT_TYPE'; items: string[]; filter?: unknown };
  channel: {
    type: 'HTTP';
    version: string;
    config: {
      uri: string;
      headers: { key: string; value: string }[];
      authScheme: { type: 'HEADER'; key: string; value: string } | null;
    };
  };
  created: string;
  createdBy: string;
  lastUpdated: string;
};

export type CatalogEntryRecord = {
  id: string;
  name: string;
  label: string;
  description: string | null;
  parent: string | null;
  requestable: boolean;
  resourceType: 'GROUP' | 'APPLICATION';
  resourceId: string;
  /** Default time-bound access, as a request condition would set it (ISO 8601 duration). */
  accessDuration: string | null;
};

export type RequestStatus =
  'SUBMITTED' | 'REJECTED' | 'PENDING' | 'APPROVED' | 'DENIED' | 'CANCELED' | 'EXPIRED';

export type RequestFieldValue = {
  id: string;
  label?: string;
  type: string;
  value?: unknown;
  values?: unknown[];
};

export type AccessRequestRecord = {
  seq: number;
  id: string;
  /** The same request as the v1 API names it (24 hex characters). */
  v1Id: string;
  permalinkId: number;
  created: string;
  createdBy: string;
  lastUpdated: string;
  lastUpdatedBy: string;
  status: RequestStatus;
  resolved: string | null;
  grantStatus: 'PENDING' | 'GRANTED' | 'FAILED' | 'MANUAL_REQUIRED' | null;
  granted: string | null;
  revocationStatus: 'PENDING' | 'REVOKED' | 'FAILED' | null;
  revoked: string | null;
  accessDuration: string | null;
  revocationScheduled: string | null;
  requestedBy: { type: 'OKTA_USER' | 'UNKNOWN'; externalId: string };
  requestedFor: { type: 'OKTA_USER'; externalId: string };
  entryId: string;
  resourceId: string;
  resourceType: 'GROUP' | 'APPLICATION';
  resourceName: string;
  requesterFieldValues: RequestFieldValue[];
  decisions: { deciderId: string; deciderName: string; decision: string; decided: string }[];
  messages: { id: string; message: string; created: string; createdBy: string; api: 'v1' | 'v2' }[];
};

export type OAuthClientRecord = {
  clientId: string;
  name: string;
  publicJwk: Record<string, unknown>;
  scopes: string[];
};
