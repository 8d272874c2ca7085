// The JSON a client sees for each stored record, with Okta's `_links` as absolute URLs under the org's
// public URL. Secrets (hook auth values, passwords) never render.
import type {
  AccessRequestRecord,
  AppGroupRecord,
  AppRecord,
  AppUserRecord,
  CatalogEntryRecord,
  EventHookRecord,
  FactorRecord,
  GroupRecord,
  UserRecord,
} from './types';

const href = (base: string, path: string) => ({ href: `${base}${path}` });

export function renderUser(base: string, u: UserRecord): Record<string, unknown> {
  const self = `/api/v1/users/${u.id}`;
  const links: Record<string, unknown> = { self: href(base, self) };
  const life = (op: string) => ({ ...href(base, `${self}/lifecycle/${op}`), method: 'POST' });
  if (u.status === 'ACTIVE') {
    links.suspend = life('suspend');
    links.resetPassword = life('reset_password');
    links.expirePassword = life('expire_password');
    links.resetFactors = life('reset_factors');
  }
  if (u.status === 'SUSPENDED') links.unsuspend = life('unsuspend');
  if (u.status === 'LOCKED_OUT') links.unlock = life('unlock');
  if (u.status === 'STAGED' || u.status === 'DEPROVISIONED') links.activate = life('activate');
  if (u.status !== 'DEPROVISIONED') links.deactivate = life('deactivate');
  links.type = href(base, `/api/v1/meta/types/user/${u.typeId}`);
  links.schema = href(base, `/api/v1/meta/schemas/user/${u.typeId}`);
  return {
    id: u.id,
    status: u.status,
    created: u.created,
    activated: u.activated,
    statusChanged: u.statusChanged,
    lastLogin: u.lastLogin,
    lastUpdated: u.lastUpdated,
    passwordChanged: u.passwordChanged,
    type: { id: u.typeId },
    transitioningToStatus: null,
    profile: u.profile,
    credentials: {
      ...(u.hasPassword ? { password: {} } : {}),
      ...(u.hasRecoveryQuestion ? { recovery_question: { question: '[redacted]' } } : {}),
      provider: { type: 'OKTA', name: 'OKTA' },
    },
    _links: links,
  };
}

export function renderGroup(base: string, g: GroupRecord): Record<string, unknown> {
  return {
    id: g.id,
    created: g.created,
    lastUpdated: g.lastUpdated,
    lastMembershipUpdated: g.lastMembershipUpdated,
    objectClass: ['okta:user_group'],
    type: g.type,
    profile: g.profile,
    _links: {
      logo: [{ name: 'medium', href: `${base}/assets/img/logos/groups/okta-medium.png`, type: 'image/png' }],
      users: href(base, `/api/v1/groups/${g.id}/users`),
      apps: href(base, `/api/v1/groups/${g.id}/apps`),
    },
  };
}

export function renderApp(base: string, a: AppRecord): Record<string, unknown> {
  return {
    id: a.id,
    name: a.name,
    label: a.label,
    status: a.status,
    lastUpdated: a.lastUpdated,
    created: a.created,
    accessibility: a.accessibility ?? {
      selfService: false,
      errorRedirectUrl: null,
      loginRedirectUrl: null,
    },
    visibility: a.visibility ?? {
      autoSubmitToolbar: false,
      hide: { iOS: false, web: false },
      appLinks: { login: true },
    },
    features: a.features ?? [],
    signOnMode: a.signOnMode,
    credentials: {
      userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' },
      signing: {},
      ...a.credentials,
    },
    settings: renderAppSettings(a.settings),
    _links: {
      self: href(base, `/api/v1/apps/${a.id}`),
      users: href(base, `/api/v1/apps/${a.id}/users`),
      groups: href(base, `/api/v1/apps/${a.id}/groups`),
      appLinks: [{ name: 'login', href: `${base}/home/${a.name}/${a.id}/login`, type: 'text/html' }],
    },
  };
}

/**
 * `settings` as stored, with the parts Okta always returns (`app`, `notifications`) filled in. A SAML app's
 * empty `defaultRelayState` comes back as null, as Okta renders an unset relay state.
 */
function renderAppSettings(stored: Record<string, unknown> | undefined): Record<string, unknown> {
  const settings: Record<string, unknown> = { app: {}, notifications: {}, ...stored };
  const signOn = settings.signOn as Record<string, unknown> | undefined;
  if (signOn && signOn.defaultRelayState === '') settings.signOn = { ...signOn, defaultRelayState: null };
  return settings;
}

export function renderAppUser(base: string, appId: string, au: AppUserRecord): Record<string, unknown> {
  return {
    id: au.userId,
    externalId: null,
    created: au.created,
    lastUpdated: au.lastUpdated,
    scope: au.scope,
    status: au.status,
    statusChanged: au.statusChanged,
    passwordChanged: null,
    syncState: 'DISABLED',
    credentials: au.credentials,
    profile: au.profile,
    _links: {
      app: href(base, `/api/v1/apps/${appId}`),
      user: href(base, `/api/v1/users/${au.userId}`),
    },
  };
}

/** ApplicationGroupAssignment: `id` is the group's id. */
export function renderAppGroup(base: string, appId: string, ag: AppGroupRecord): Record<string, unknown> {
  return {
    id: ag.groupId,
    lastUpdated: ag.lastUpdated,
    priority: ag.priority,
    profile: ag.profile,
    _links: {
      app: href(base, `/api/v1/apps/${appId}`),
      group: href(base, `/api/v1/groups/${ag.groupId}`),
      self: href(base, `/api/v1/apps/${appId}/groups/${ag.groupId}`),
    },
  };
}

export function renderAppLink(base: string, a: AppRecord, au: AppUserRecord, sortOrder: number) {
  return {
    id: a.id,
    label: a.label,
    linkUrl: `${base}/home/${a.name}/${a.id}/login`,
    logoUrl: `${base}/assets/img/logos/default.png`,
    appName: a.name,
    appInstanceId: a.id,
    appAssignmentId: `0ua${a.id.slice(3, 10)}${au.userId.slice(3, 13)}`,
    credentialsSetup: false,
    hidden: false,
    sortOrder,
  };
}

export function renderFactor(base: string, userId: string, f: FactorRecord): Record<string, unknown> {
  return {
    id: f.id,
    factorType: f.factorType,
    provider: f.provider,
    vendorName: f.vendorName,
    status: f.status,
    created: f.created,
    lastUpdated: f.lastUpdated,
    profile: f.profile,
    _links: {
      self: href(base, `/api/v1/users/${userId}/factors/${f.id}`),
      user: href(base, `/api/v1/users/${userId}`),
    },
  };
}

export function renderHook(base: string, h: EventHookRecord): Record<string, unknown> {
  return {
    id: h.id,
    name: h.name,
    description: h.description,
    status: h.status,
    verificationStatus: h.verificationStatus,
    events: h.events,
    channel: {
      ...h.channel,
      config: {
        ...h.channel.config,
        // `authScheme.value` is write-only: Okta returns the type and header name, never the secret.
        authScheme: h.channel.config.authScheme
          ? { type: h.channel.config.authScheme.type, key: h.channel.config.authScheme.key }
          : null,
      },
    },
    created: h.created,
    createdBy: h.createdBy,
    lastUpdated: h.lastUpdated,
    _links: {
      self: href(base, `/api/v1/eventHooks/${h.id}`),
      verify: { ...href(base, `/api/v1/eventHooks/${h.id}/lifecycle/verify`), hints: { allow: ['POST'] } },
      deactivate: {
        ...href(base, `/api/v1/eventHooks/${h.id}/lifecycle/deactivate`),
        hints: { allow: ['POST'] },
      },
    },
  };
}

export function renderCatalogEntry(base: string, c: CatalogEntryRecord): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    label: c.label,
    description: c.description,
    parent: c.parent,
    requestable: c.requestable,
    _links: {
      self: href(base, `/governance/api/v2/catalogs/default/entries/${c.id}`),
      ...(c.resourceType === 'APPLICATION'
        ? { app: href(base, `/api/v1/apps/${c.resourceId}`) }
        : { group: href(base, `/api/v1/groups/${c.resourceId}`) }),
    },
  };
}

export function renderRequestV2(base: string, r: AccessRequestRecord): Record<string, unknown> {
  const decided = r.decisions[r.decisions.length - 1];
  const approvalStatus =
    r.status === 'APPROVED'
      ? 'APPROVED'
      : r.status === 'DENIED'
        ? 'DENIED'
        : r.status === 'PENDING'
          ? 'PENDING'
          : null;
  return {
    id: r.id,
    created: r.created,
    createdBy: r.createdBy,
    lastUpdated: r.lastUpdated,
    lastUpdatedBy: r.lastUpdatedBy,
    status: r.status,
    resolved: r.resolved,
    grantStatus: r.grantStatus,
    granted: r.granted,
    revocationStatus: r.revocationStatus,
    revoked: r.revoked,
    accessDuration: r.accessDuration,
    revocationScheduled: r.revocationScheduled,
    requestedBy: r.requestedBy,
    requestedFor: r.requestedFor,
    requested: {
      entryId: r.entryId,
      resourceId: r.resourceId,
      resourceType: r.resourceType,
      resourceName: r.resourceName,
      accessScopeId: r.resourceId,
      accessScopeType: r.resourceType,
    },
    requesterFieldValues: r.requesterFieldValues,
    requestApproval: {
      type: 'OKTA',
      providerName: 'Okta',
      externalRequestId: null,
      permalinkId: r.permalinkId,
      status: approvalStatus,
      decided: decided?.decided ?? null,
      decisions: r.decisions,
    },
    _links: {
      self: href(base, `/governance/api/v2/requests/${r.id}`),
      catalogEntry: href(base, `/governance/api/v2/catalogs/default/entries/${r.entryId}`),
    },
  };
}

export function renderRequestV1(base: string, r: AccessRequestRecord): Record<string, unknown> {
  const resolved = !['SUBMITTED', 'PENDING'].includes(r.status);
  const decided = r.decisions[r.decisions.length - 1];
  const action = r.resourceType === 'GROUP' ? 'ADD_USER_TO_GROUP' : 'ASSIGN_APP_TO_USER';
  return {
    id: r.v1Id,
    subject: `Access to ${r.resourceName}`,
    requestTypeId: null,
    created: r.created,
    createdBy: r.createdBy,
    lastUpdated: r.lastUpdated,
    lastUpdatedBy: r.lastUpdatedBy,
    permalinkId: r.permalinkId,
    resolved: r.resolved,
    requestStatus: resolved ? 'RESOLVED' : 'PENDING',
    requesterUserIds: [r.requestedFor.externalId],
    requesterFieldValues: r.requesterFieldValues.map((f) => ({
      id: f.id,
      prompt: f.label ?? f.id,
      required: false,
      type:
        f.type === 'ISO_DATE'
          ? 'DATE-TIME'
          : f.type === 'SELECT' || f.type === 'MULTISELECT'
            ? 'SELECT'
            : 'TEXT',
      value: f.value ?? f.values ?? null,
    })),
    approvals: decided
      ? [
          {
            status: 'COMPLETED',
            approvalId: `${r.v1Id.slice(0, 16)}00000001`,
            approverId: decided.deciderId,
            approverName: decided.deciderName,
            decision: decided.decision,
            decided: decided.decided,
            fieldValues: [],
          },
        ]
      : resolved
        ? []
        : [{ status: 'PENDING', approvalId: `${r.v1Id.slice(0, 16)}00000001` }],
    actions:
      r.status === 'APPROVED'
        ? [
            {
              status: r.grantStatus === 'GRANTED' || r.grantStatus === 'FAILED' ? 'COMPLETED' : 'PENDING',
              action,
              actionId: `${r.v1Id.slice(0, 16)}00000002`,
              actionStatus:
                r.grantStatus === 'FAILED' ? 'FAILED' : r.grantStatus === 'GRANTED' ? 'SUCCEEDED' : null,
              actionAttempted: r.granted,
              accessRemoved: r.revoked,
              resourceId: r.resourceId,
              resourceName: r.resourceName,
              resourceType: r.resourceType === 'GROUP' ? 'GROUP' : 'APP',
            },
          ]
        : [],
    type: 'ACCESS_REQUEST',
    _links: { self: href(base, `/governance/api/v1/requests/${r.v1Id}`) },
  };
}
