// The axios implementation of OktaClient: each method is one documented Okta call (or a paged series of
// them), responses parsed with the schemas in schemas.ts, failures surfaced as VendorError by the transport.
import { z } from 'zod';
import { VendorError } from '../errors';
import { parseEach, stringFieldOf } from '../lenient-list';
import type {
  LogPage,
  LogQuery,
  NewAccessRequest,
  NewEventHook,
  NewOktaUserProfile,
  OktaClient,
} from './client';
import {
  ZAccessRequest,
  ZAccessRequestV1,
  ZCatalogEntry,
  ZOktaApp,
  ZOktaAppGroupAssignment,
  ZOktaAppLink,
  ZOktaAppUser,
  ZOktaEventHook,
  ZOktaFactor,
  ZOktaGroup,
  ZOktaLogEvent,
  ZOktaUser,
  ZResetPasswordResult,
} from './schemas';
import { OktaTransport, type TransportOptions } from './transport';

export type OktaClientOptions = TransportOptions;

const enc = encodeURIComponent;
/** SCIM string literal: quotes and backslashes escaped. */
const lit = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

const ZOigPage = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    data: z.array(item),
    _links: z.looseObject({ next: z.looseObject({ href: z.string() }).nullish() }).nullish(),
  });

export function createOktaClient(opts: OktaClientOptions): OktaClient {
  const t = new OktaTransport(opts);

  const get = async <S extends z.ZodType>(
    url: string,
    schema: S,
    params?: Record<string, string | number | boolean | undefined>,
  ) => (await t.request({ method: 'GET', url, params }, schema)).data;
  const send = async (
    method: 'POST' | 'PUT' | 'DELETE',
    url: string,
    params?: Record<string, string | number | boolean | undefined>,
    body?: unknown,
  ) => {
    await t.request({ method, url, params, body }, undefined);
  };
  const post = async <S extends z.ZodType>(
    url: string,
    schema: S,
    body?: unknown,
    params?: Record<string, string | number | boolean | undefined>,
  ) => (await t.request({ method: 'POST', url, params, body }, schema)).data;

  /** Follows `Link rel="next"` until it runs out; cursor URLs are used verbatim, never built. */
  async function* pages<S extends z.ZodType>(
    url: string,
    item: S,
    params?: Record<string, string | number | boolean | undefined>,
  ): AsyncGenerator<z.infer<S>> {
    let next: string | undefined = url;
    let first = true;
    while (next) {
      const res: { data: z.infer<S>[]; next: string | undefined } = await t.request(
        { method: 'GET', url: next, params: first ? params : undefined },
        z.array(item),
      );
      first = false;
      for (const x of res.data) yield x;
      next = res.next;
    }
  }

  /** OIG lists carry their cursor in the body (`_links.next.href`) as well as in Link. */
  async function* oigPages<S extends z.ZodType>(
    url: string,
    item: S,
    params?: Record<string, string | number | boolean | undefined>,
  ): AsyncGenerator<z.infer<S>> {
    const page = ZOigPage(item);
    let next: string | undefined = url;
    let first = true;
    while (next) {
      const res: { data: z.infer<typeof page>; next: string | undefined } = await t.request(
        { method: 'GET', url: next, params: first ? params : undefined },
        page,
      );
      first = false;
      for (const x of res.data.data) yield x;
      next = res.data._links?.next?.href ?? res.next;
    }
  }

  const orUndefinedOn404 = async <T>(p: Promise<T>): Promise<T | undefined> => {
    try {
      return await p;
    } catch (err) {
      if (err instanceof VendorError && err.type === 'NOT_FOUND') return undefined;
      throw err;
    }
  };

  const user = (id: string) => `/api/v1/users/${enc(id)}`;
  const lifecycle = (
    id: string,
    op: string,
    params?: Record<string, string | number | boolean | undefined>,
  ) => send('POST', `${user(id)}/lifecycle/${op}`, params);

  const client: OktaClient = {
    getUser: (idOrLogin) => get(user(idOrLogin), ZOktaUser),

    async findUserByLogin(login) {
      const u = await orUndefinedOn404(get(user(login), ZOktaUser));
      // GET /users/{x} also resolves ids and login shortnames; only an exact login counts here.
      return u && u.profile.login.toLowerCase() === login.toLowerCase() ? u : undefined;
    },

    async findUserByEmail(email) {
      for await (const u of pages(`/api/v1/users`, ZOktaUser, {
        search: `profile.email eq ${lit(email)}`,
        limit: 10,
      })) {
        if (u.profile.email.toLowerCase() === email.toLowerCase()) return u;
      }
      return undefined;
    },

    searchUsers: (search, o) => pages('/api/v1/users', ZOktaUser, { search, limit: o?.limit }),

    createUser: (profile: NewOktaUserProfile, o = {}) =>
      post(
        '/api/v1/users',
        ZOktaUser,
        {
          profile,
          ...(o.password ? { credentials: { password: { value: o.password } } } : {}),
          ...(o.groupIds?.length ? { groupIds: o.groupIds } : {}),
        },
        { activate: o.activate ?? true },
      ),

    updateUserProfile: (userId, profile) => post(user(userId), ZOktaUser, { profile }),

    activateUser: async (userId, o) => {
      await t.request(
        {
          method: 'POST',
          url: `${user(userId)}/lifecycle/activate`,
          params: { sendEmail: o?.sendEmail ?? false },
        },
        undefined,
      );
    },
    deactivateUser: (userId, o) => lifecycle(userId, 'deactivate', { sendEmail: o?.sendEmail ?? false }),
    suspendUser: (userId) => lifecycle(userId, 'suspend'),
    unsuspendUser: (userId) => lifecycle(userId, 'unsuspend'),
    unlockUser: (userId) => lifecycle(userId, 'unlock'),
    async resetPassword(userId, o) {
      const r = await post(`${user(userId)}/lifecycle/reset_password`, ZResetPasswordResult, undefined, {
        sendEmail: o.sendEmail,
      });
      return r.resetPasswordUrl ? { resetPasswordUrl: r.resetPasswordUrl } : {};
    },
    expirePassword: (userId) => post(`${user(userId)}/lifecycle/expire_password`, ZOktaUser),
    resetFactors: (userId) => lifecycle(userId, 'reset_factors'),
    deleteUser: (userId) => send('DELETE', user(userId)),
    clearSessions: (userId, o) =>
      send('DELETE', `${user(userId)}/sessions`, { oauthTokens: o?.oauthTokens ?? true }),
    listUserGroups: (userId) => get(`${user(userId)}/groups`, z.array(ZOktaGroup)),
    listUserAppLinks: (userId) => get(`${user(userId)}/appLinks`, z.array(ZOktaAppLink)),
    listUserApps: (userId) =>
      pages('/api/v1/apps', ZOktaApp, { filter: `user.id eq ${lit(userId)}`, limit: 200 }),
    listFactors: (userId) => get(`${user(userId)}/factors`, z.array(ZOktaFactor)),
    deleteFactor: (userId, factorId) => send('DELETE', `${user(userId)}/factors/${enc(factorId)}`),

    async findGroupByName(name) {
      for await (const g of pages('/api/v1/groups', ZOktaGroup, {
        search: `profile.name eq ${lit(name)}`,
        limit: 200,
      })) {
        if (g.profile.name === name) return g;
      }
      return undefined;
    },
    getGroup: (groupId) => get(`/api/v1/groups/${enc(groupId)}`, ZOktaGroup),
    listGroupMembers: (groupId, o) =>
      pages(`/api/v1/groups/${enc(groupId)}/users`, ZOktaUser, { limit: o?.limit }),
    addUserToGroup: (groupId, userId) => send('PUT', `/api/v1/groups/${enc(groupId)}/users/${enc(userId)}`),
    removeUserFromGroup: (groupId, userId) =>
      send('DELETE', `/api/v1/groups/${enc(groupId)}/users/${enc(userId)}`),

    async findAppByLabelOrName(labelOrName) {
      const wanted = labelOrName.toLowerCase();
      for await (const a of pages('/api/v1/apps', ZOktaApp, { q: labelOrName, limit: 200 })) {
        if (a.label.toLowerCase() === wanted || a.name.toLowerCase() === wanted) return a;
      }
      return undefined;
    },
    getApp: (appId) => get(`/api/v1/apps/${enc(appId)}`, ZOktaApp),
    assignUserToApp: (appId, userId, o) =>
      post(`/api/v1/apps/${enc(appId)}/users`, ZOktaAppUser, {
        id: userId,
        scope: 'USER',
        ...(o?.userName ? { credentials: { userName: o.userName } } : {}),
        ...(o?.profile ? { profile: o.profile } : {}),
      }),
    async unassignUserFromApp(appId, userId) {
      // A 404 here means the assignment is already gone: the goal state holds.
      await orUndefinedOn404(
        send('DELETE', `/api/v1/apps/${enc(appId)}/users/${enc(userId)}`, { sendEmail: false }),
      );
    },
    getAppUser: (appId, userId) =>
      orUndefinedOn404(get(`/api/v1/apps/${enc(appId)}/users/${enc(userId)}`, ZOktaAppUser)),
    listAppUsers: (appId, o) => pages(`/api/v1/apps/${enc(appId)}/users`, ZOktaAppUser, { limit: o?.limit }),
    listAppGroups: (appId, o) =>
      pages(`/api/v1/apps/${enc(appId)}/groups`, ZOktaAppGroupAssignment, { limit: o?.limit }),
    // An empty body: the product only needs the grant; priority and profile stay Okta's to choose.
    assignGroupToApp: (appId, groupId) =>
      send('PUT', `/api/v1/apps/${enc(appId)}/groups/${enc(groupId)}`, undefined, {}),
    async unassignGroupFromApp(appId, groupId) {
      // A 404 here means the group is not assigned: the goal state holds.
      await orUndefinedOn404(send('DELETE', `/api/v1/apps/${enc(appId)}/groups/${enc(groupId)}`));
    },

    async listLogs(q: LogQuery): Promise<LogPage> {
      // Only the page itself must be an array: each event is parsed on its own (see LogPage.skipped).
      const res = q.nextUrl
        ? await t.request({ method: 'GET', url: q.nextUrl }, z.array(z.unknown()))
        : await t.request(
            {
              method: 'GET',
              url: '/api/v1/logs',
              params: {
                since: q.since,
                until: q.until,
                filter: q.filter,
                q: q.q,
                limit: q.limit,
                sortOrder: q.sortOrder,
              },
            },
            z.array(z.unknown()),
          );
      const { parsed, skipped } = parseEach(ZOktaLogEvent, res.data);
      return {
        events: parsed,
        skipped: skipped.map((s) => ({
          uuid: stringFieldOf(s.element, 'uuid'),
          reason: s.reason,
          event: s.element,
        })),
        nextUrl: res.next,
      };
    },

    createEventHook: (h: NewEventHook) =>
      post('/api/v1/eventHooks', ZOktaEventHook, {
        name: h.name,
        ...(h.description ? { description: h.description } : {}),
        events: { type: 'EVENT_TYPE', items: h.eventTypes },
        channel: {
          type: 'HTTP',
          version: '1.0.0',
          config: {
            uri: h.uri,
            headers: h.headers ?? [],
            ...(h.auth ? { authScheme: { type: 'HEADER', key: h.auth.key, value: h.auth.value } } : {}),
          },
        },
      }),
    listEventHooks: () => get('/api/v1/eventHooks', z.array(ZOktaEventHook)),
    getEventHook: (id) => get(`/api/v1/eventHooks/${enc(id)}`, ZOktaEventHook),
    activateEventHook: (id) => post(`/api/v1/eventHooks/${enc(id)}/lifecycle/activate`, ZOktaEventHook),
    deactivateEventHook: (id) => post(`/api/v1/eventHooks/${enc(id)}/lifecycle/deactivate`, ZOktaEventHook),
    verifyEventHook: (id) => post(`/api/v1/eventHooks/${enc(id)}/lifecycle/verify`, ZOktaEventHook),
    deleteEventHook: (id) => send('DELETE', `/api/v1/eventHooks/${enc(id)}`),

    getAccessRequest: (id) => get(`/governance/api/v2/requests/${enc(id)}`, ZAccessRequest),
    listAccessRequests: (filter, o) =>
      oigPages('/governance/api/v2/requests', ZAccessRequest, {
        filter,
        orderBy: o?.orderBy,
        limit: o?.limit,
      }),
    createAccessRequest: (r: NewAccessRequest) =>
      post('/governance/api/v2/requests', ZAccessRequest, {
        requested: { type: 'CATALOG_ENTRY', entryId: r.entryId },
        requestedFor: { type: 'OKTA_USER', externalId: r.requestedForUserId },
        ...(r.requestedByUserId
          ? { requestedBy: { type: 'OKTA_USER', externalId: r.requestedByUserId } }
          : {}),
        ...(r.requesterFieldValues ? { requesterFieldValues: r.requesterFieldValues } : {}),
      }),
    postRequestMessage: (id, message) =>
      send('POST', `/governance/api/v2/requests/${enc(id)}/messages`, undefined, { message }),
    getAccessRequestV1: (id) => get(`/governance/api/v1/requests/${enc(id)}`, ZAccessRequestV1),
    postRequestMessageV1: (id, message) =>
      send('POST', `/governance/api/v1/requests/${enc(id)}/messages`, undefined, { message }),
    listCatalogEntries: (filter, o) =>
      oigPages('/governance/api/v2/catalogs/default/entries', ZCatalogEntry, { filter, limit: o?.limit }),
    getCatalogEntry: (id) => get(`/governance/api/v2/catalogs/default/entries/${enc(id)}`, ZCatalogEntry),
  };
  return client;
}
