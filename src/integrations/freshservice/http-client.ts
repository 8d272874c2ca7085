// The axios implementation of FreshserviceClient: Basic auth with `<apikey>:X`, zod-parsed envelopes,
// pagination by the `link` header, a short pause when the rate budget runs low, and every failure mapped
// to a VendorError. It never retries: Temporal activities own retries, with the vendor's Retry-After.
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { z } from 'zod';
import type { Logger } from '../../logging';
import { parseEach, type SkippedElement } from '../lenient-list';
import type {
  FreshserviceClient,
  FsApprovalInput,
  FsCreateTicketInput,
  FsListTicketsQuery,
  FsNoteInput,
  FsPlaceRequestInput,
  FsRateLimitSnapshot,
  FsReplyInput,
  FsRequesterInput,
  FsTaskInput,
  FsTicketInclude,
  FsUpdateTicketInput,
} from './client';
import { FS_APPROVAL_STATUS, type FsRequestedItemStage } from './codes';
import { errorFromResponse, errorFromTransport, unexpectedResponse } from './errors';
import { nextLink, readRateLimit } from './http-headers';
import { fsQueryParam, fsString, fsTimestamp } from './query';
import {
  ZFsAgent,
  ZFsAgentGroup,
  ZFsAgentIdentity,
  ZFsApproval,
  ZFsCatalogItem,
  ZFsConversation,
  ZFsDepartment,
  ZFsRequestedItem,
  ZFsRequester,
  ZFsTask,
  ZFsTicket,
  type TFsAgent,
  type TFsAgentIdentity,
  type TFsApproval,
  type TFsRequester,
} from './schemas';

export type FreshserviceClientOptions = {
  /** `https://acme.freshservice.com` (or the sandbox URL); a trailing `/api/v2` is accepted. */
  baseUrl: string;
  apiKey: string;
  logger?: Logger;
  /** Per request; default 15 s. */
  timeoutMs?: number;
  /** Page size asked for on plain lists (Freshservice's maximum is 100). */
  perPage?: number;
  /**
   * When X-RateLimit-Remaining falls to `fraction` of X-RateLimit-Total or below (at least 2 calls), the
   * next call from this client waits `pauseMs` first. It smooths bursts from one worker; the cluster-wide
   * budget is Temporal's task-queue rate limit (DESIGN.md §4). Defaults: 5 %, 1000 ms.
   */
  lowBudget?: { fraction?: number; pauseMs?: number };
};

type Call = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Relative to /api/v2, or an absolute `link` URL of this account. */
  url: string;
  params?: Record<string, string | number | boolean | undefined>;
  data?: unknown;
};

/** The id of a ticket the schema refused, when it has a usable one (for the caller's log). */
const ZSkippedTicketId = z.looseObject({ id: z.number().int().positive() });

/** Filter endpoints page by 30 and report `total`; they may send no `link` header. */
const FILTER_PAGE_SIZE = 30;

export function createFreshserviceClient(opts: FreshserviceClientOptions): FreshserviceClient {
  const root = opts.baseUrl.replace(/\/+$/, '').replace(/\/api\/v2$/, '');
  const origin = new URL(root).origin;
  const apiBase = `${root}/api/v2`;
  const perPage = Math.min(100, Math.max(1, opts.perPage ?? 100));
  const lowFraction = opts.lowBudget?.fraction ?? 0.05;
  const pauseMs = opts.lowBudget?.pauseMs ?? 1000;
  const log = opts.logger?.child({ vendor: 'freshservice' });

  const http: AxiosInstance = axios.create({
    baseURL: apiBase,
    timeout: opts.timeoutMs ?? 15_000,
    auth: { username: opts.apiKey, password: 'X' },
    headers: { Accept: 'application/json' },
    // Every status comes back as a response; mapping happens in one place below.
    validateStatus: () => true,
    maxRedirects: 0,
    responseType: 'json',
  });

  let rate: FsRateLimitSnapshot | undefined;
  let notBefore = 0;

  const pathOf = (url: string): string => {
    const u = new URL(url, `${apiBase}/`);
    return u.pathname;
  };

  async function send(call: Call): Promise<AxiosResponse<unknown>> {
    const wait = notBefore - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const path = pathOf(call.url.startsWith('http') ? call.url : `${apiBase}${call.url}`);
    if (call.url.startsWith('http') && new URL(call.url).origin !== origin) {
      // A `link` to another host would receive our credentials: refuse it.
      throw unexpectedResponse({ method: call.method, path }, 200, 'pagination link points to another host');
    }
    const started = Date.now();
    let res: AxiosResponse<unknown>;
    try {
      res = await http.request({
        method: call.method,
        url: call.url,
        params: call.params,
        data: call.data,
        ...(call.data !== undefined ? { headers: { 'Content-Type': 'application/json' } } : {}),
      });
    } catch (err) {
      const mapped = errorFromTransport(err, { method: call.method, path });
      log?.warn(
        { method: call.method, path, ms: Date.now() - started, err: mapped.message },
        'freshservice call failed',
      );
      throw mapped;
    }
    const headers = res.headers as Record<string, unknown>;
    const budget = readRateLimit(headers);
    rate = { ...budget, at: Date.now() };
    if (budget.remaining !== undefined && budget.total !== undefined) {
      const threshold = Math.max(2, Math.floor(budget.total * lowFraction));
      if (budget.remaining <= threshold) notBefore = Date.now() + pauseMs;
    }
    log?.debug(
      {
        method: call.method,
        path,
        status: res.status,
        ms: Date.now() - started,
        rateRemaining: budget.remaining,
      },
      'freshservice call',
    );
    if (res.status >= 400 || res.status < 200) {
      throw errorFromResponse(res.status, res.data, headers, { method: call.method, path });
    }
    return res;
  }

  function parseEnvelope<T extends z.ZodType>(
    res: AxiosResponse<unknown>,
    call: Call,
    names: string[],
    schema: T,
  ): z.output<T> {
    const body = res.data;
    const path = pathOf(call.url.startsWith('http') ? call.url : `${apiBase}${call.url}`);
    if (!body || typeof body !== 'object')
      throw unexpectedResponse({ method: call.method, path }, res.status, 'not JSON');
    const key = names.find((n) => n in body);
    if (!key)
      throw unexpectedResponse(
        { method: call.method, path },
        res.status,
        `no "${names.join('" or "')}" envelope`,
      );
    const parsed = schema.safeParse((body as Record<string, unknown>)[key]);
    if (!parsed.success) {
      throw unexpectedResponse({ method: call.method, path }, res.status, z.prettifyError(parsed.error));
    }
    return parsed.data;
  }

  async function one<T extends z.ZodType>(call: Call, names: string[], schema: T): Promise<z.output<T>> {
    return parseEnvelope(await send(call), call, names, schema);
  }

  async function none(call: Call): Promise<void> {
    await send(call);
  }

  /**
   * Follows `link` rel="next"; for filter endpoints without a link, pages on by `total`. With `onSkipped`
   * each element is parsed on its own and a refused one is reported instead of failing the page.
   */
  async function* pages<T extends z.ZodType>(
    first: Call,
    envelope: string,
    schema: T,
    opts: { byTotal?: boolean; onSkipped?: (skipped: SkippedElement) => void } = {},
  ): AsyncGenerator<z.output<T>> {
    let call: Call | undefined = first;
    let page = 1;
    while (call) {
      const res = await send(call);
      let items: z.output<T>[];
      let received: number;
      if (opts.onSkipped) {
        const elements = parseEnvelope(res, call, [envelope], z.array(z.unknown()));
        const { parsed, skipped } = parseEach(schema, elements);
        for (const s of skipped) opts.onSkipped(s);
        items = parsed;
        received = elements.length;
      } else {
        items = parseEnvelope(res, call, [envelope], z.array(schema));
        received = items.length;
      }
      for (const item of items) yield item;
      const next = nextLink((res.headers as Record<string, unknown>)['link']);
      if (next) {
        call = { method: 'GET', url: next };
      } else if (opts.byTotal && received >= FILTER_PAGE_SIZE) {
        const total = z.object({ total: z.number() }).safeParse(res.data);
        page += 1;
        call =
          total.success && (page - 1) * FILTER_PAGE_SIZE < total.data.total
            ? { ...first, params: { ...first.params, page } }
            : undefined;
      } else {
        call = undefined;
      }
    }
  }

  async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  }

  const t = (id: number) => `/tickets/${encodeURIComponent(id)}`;

  return {
    createTicket: (input: FsCreateTicketInput) =>
      one({ method: 'POST', url: '/tickets', data: input }, ['ticket'], ZFsTicket),

    getTicket: (id: number, include: FsTicketInclude[] = []) =>
      one(
        { method: 'GET', url: t(id), params: include.length ? { include: include.join(',') } : undefined },
        ['ticket'],
        ZFsTicket,
      ),

    updateTicket: (id: number, changes: FsUpdateTicketInput) =>
      one({ method: 'PUT', url: t(id), data: changes }, ['ticket'], ZFsTicket),

    listTickets: ({ onSkipped, ...q }: FsListTicketsQuery = {}) =>
      pages(
        {
          method: 'GET',
          url: '/tickets',
          params: {
            updated_since: q.updatedSince !== undefined ? fsTimestamp(q.updatedSince) : undefined,
            requester_id: q.requesterId,
            email: q.email,
            type: q.type,
            order_type: q.orderType,
            include: q.include?.length ? q.include.join(',') : undefined,
            per_page: q.perPage ?? perPage,
          },
        },
        'tickets',
        ZFsTicket,
        onSkipped
          ? {
              onSkipped: (s) =>
                onSkipped({
                  id: ZSkippedTicketId.safeParse(s.element).data?.id,
                  reason: s.reason,
                  ticket: s.element,
                }),
            }
          : {},
      ),

    filterTickets: (query: string) =>
      pages(
        { method: 'GET', url: '/tickets/filter', params: { query: fsQueryParam(query) } },
        'tickets',
        ZFsTicket,
        { byTotal: true },
      ),

    addNote: (ticketId: number, note: FsNoteInput) =>
      one({ method: 'POST', url: `${t(ticketId)}/notes`, data: note }, ['conversation'], ZFsConversation),

    reply: (ticketId: number, reply: FsReplyInput) =>
      one({ method: 'POST', url: `${t(ticketId)}/reply`, data: reply }, ['conversation'], ZFsConversation),

    listConversations: (ticketId: number) =>
      pages(
        { method: 'GET', url: `${t(ticketId)}/conversations`, params: { per_page: perPage } },
        'conversations',
        ZFsConversation,
      ),

    listCatalogItems: (o: { categoryId?: number } = {}) =>
      pages(
        {
          method: 'GET',
          url: '/service_catalog/items',
          params: { category_id: o.categoryId, per_page: perPage },
        },
        'service_items',
        ZFsCatalogItem,
      ),

    getCatalogItem: (displayId: number) =>
      one(
        { method: 'GET', url: `/service_catalog/items/${encodeURIComponent(displayId)}` },
        ['service_item'],
        ZFsCatalogItem,
      ),

    placeRequest: (displayId: number, input: FsPlaceRequestInput) =>
      one(
        {
          method: 'POST',
          url: `/service_catalog/items/${encodeURIComponent(displayId)}/place_request`,
          data: { quantity: 1, ...input },
        },
        ['service_request', 'ticket'],
        ZFsTicket,
      ),

    listRequestedItems: (ticketId: number) =>
      collect(
        pages(
          { method: 'GET', url: `${t(ticketId)}/requested_items`, params: { per_page: perPage } },
          'requested_items',
          ZFsRequestedItem,
        ),
      ),

    updateRequestedItem: (ticketId: number, itemId: number, changes: { stage: FsRequestedItemStage }) =>
      one(
        { method: 'PUT', url: `${t(ticketId)}/requested_items/${encodeURIComponent(itemId)}`, data: changes },
        ['requested_item'],
        ZFsRequestedItem,
      ),

    requestApproval: async (ticketId: number, input: FsApprovalInput): Promise<TFsApproval[]> => {
      const call: Call = { method: 'POST', url: `${t(ticketId)}/approvals`, data: input };
      const res = await send(call);
      // Documented as `{"approvals":[…]}`; a single `{"approval":{…}}` is read too.
      if (res.data && typeof res.data === 'object' && 'approval' in res.data) {
        return [parseEnvelope(res, call, ['approval'], ZFsApproval)];
      }
      return parseEnvelope(res, call, ['approvals'], z.array(ZFsApproval));
    },

    listApprovals: (ticketId: number) =>
      collect(pages({ method: 'GET', url: `${t(ticketId)}/approvals` }, 'approvals', ZFsApproval)),

    getApproval: (ticketId: number, approvalId: number) =>
      one(
        { method: 'GET', url: `${t(ticketId)}/approvals/${encodeURIComponent(approvalId)}` },
        ['approval'],
        ZFsApproval,
      ),

    remindApproval: (ticketId: number, approvalId: number) =>
      none({ method: 'PUT', url: `${t(ticketId)}/approvals/${encodeURIComponent(approvalId)}/remind` }),

    cancelApproval: (ticketId: number, approvalId: number) =>
      one(
        {
          method: 'PUT',
          url: `${t(ticketId)}/approvals/${encodeURIComponent(approvalId)}`,
          data: { approval_status: { id: FS_APPROVAL_STATUS.CANCELLED } },
        },
        ['approval'],
        ZFsApproval,
      ),

    createTask: (ticketId: number, input: FsTaskInput) =>
      one({ method: 'POST', url: `${t(ticketId)}/tasks`, data: input }, ['task'], ZFsTask),

    listTasks: (ticketId: number) =>
      pages({ method: 'GET', url: `${t(ticketId)}/tasks`, params: { per_page: perPage } }, 'tasks', ZFsTask),

    getTask: (ticketId: number, taskId: number) =>
      one({ method: 'GET', url: `${t(ticketId)}/tasks/${encodeURIComponent(taskId)}` }, ['task'], ZFsTask),

    updateTask: (ticketId: number, taskId: number, changes: Partial<FsTaskInput>) =>
      one(
        { method: 'PUT', url: `${t(ticketId)}/tasks/${encodeURIComponent(taskId)}`, data: changes },
        ['task'],
        ZFsTask,
      ),

    deleteTask: (ticketId: number, taskId: number) =>
      none({ method: 'DELETE', url: `${t(ticketId)}/tasks/${encodeURIComponent(taskId)}` }),

    createRequester: (input: FsRequesterInput) =>
      one({ method: 'POST', url: '/requesters', data: input }, ['requester'], ZFsRequester),

    getRequester: (id: number) =>
      one({ method: 'GET', url: `/requesters/${encodeURIComponent(id)}` }, ['requester'], ZFsRequester),

    findRequesterByEmail: async (email: string): Promise<TFsRequester | undefined> => {
      const found = await one(
        { method: 'GET', url: '/requesters', params: { email } },
        ['requesters'],
        z.array(ZFsRequester),
      );
      const wanted = email.toLowerCase();
      return (
        found.find(
          (r) =>
            r.primary_email?.toLowerCase() === wanted ||
            r.secondary_emails.some((e) => e.toLowerCase() === wanted),
        ) ?? found[0]
      );
    },

    filterRequesters: (query: string) =>
      pages(
        { method: 'GET', url: '/requesters', params: { query: fsQueryParam(query) } },
        'requesters',
        ZFsRequester,
        { byTotal: true },
      ),

    listRequesters: (o: { includeAgents?: boolean } = {}) =>
      pages(
        { method: 'GET', url: '/requesters', params: { include_agents: o.includeAgents, per_page: perPage } },
        'requesters',
        ZFsRequester,
      ),

    updateRequester: (id: number, changes: Partial<FsRequesterInput>) =>
      one(
        { method: 'PUT', url: `/requesters/${encodeURIComponent(id)}`, data: changes },
        ['requester'],
        ZFsRequester,
      ),

    deactivateRequester: (id: number) =>
      none({ method: 'DELETE', url: `/requesters/${encodeURIComponent(id)}` }),

    reactivateRequester: (id: number) =>
      one(
        { method: 'PUT', url: `/requesters/${encodeURIComponent(id)}/reactivate` },
        ['requester'],
        ZFsRequester,
      ),

    findAgentByEmail: async (email: string, o: { active?: boolean } = {}): Promise<TFsAgent | undefined> => {
      const found = await one(
        { method: 'GET', url: '/agents', params: { email, active: o.active } },
        ['agents'],
        z.array(ZFsAgent),
      );
      return found.find((a) => a.email.toLowerCase() === email.toLowerCase());
    },

    getAgent: (id: number) =>
      one({ method: 'GET', url: `/agents/${encodeURIComponent(id)}` }, ['agent'], ZFsAgent),

    async getCurrentAgent(): Promise<TFsAgentIdentity> {
      // Not in the published API reference, but what integrations call to learn whose key they hold; the
      // answer is the agent record, enveloped as every Freshservice v2 record ({"agent":{…}}) or bare.
      const call: Call = { method: 'GET', url: '/agents/me' };
      const res = await send(call);
      const body: unknown = res.data;
      const record = body && typeof body === 'object' && 'agent' in body ? body.agent : body;
      const parsed = ZFsAgentIdentity.safeParse(record);
      if (!parsed.success)
        throw unexpectedResponse(
          { method: call.method, path: pathOf(`${apiBase}${call.url}`) },
          res.status,
          z.prettifyError(parsed.error),
        );
      return parsed.data;
    },

    listAgents: (o: { active?: boolean } = {}) =>
      pages(
        { method: 'GET', url: '/agents', params: { active: o.active, per_page: perPage } },
        'agents',
        ZFsAgent,
      ),

    listDepartments: () =>
      pages(
        { method: 'GET', url: '/departments', params: { per_page: perPage } },
        'departments',
        ZFsDepartment,
      ),

    findDepartmentByName: async (name: string) => {
      const wanted = name.toLowerCase();
      for await (const d of pages(
        { method: 'GET', url: '/departments', params: { query: fsQueryParam(`name:${fsString(name)}`) } },
        'departments',
        ZFsDepartment,
        { byTotal: true },
      )) {
        if (d.name.toLowerCase() === wanted) return d;
      }
      return undefined;
    },

    listAgentGroups: () =>
      pages({ method: 'GET', url: '/groups', params: { per_page: perPage } }, 'groups', ZFsAgentGroup),

    getAgentGroup: (id: number) =>
      one({ method: 'GET', url: `/groups/${encodeURIComponent(id)}` }, ['group'], ZFsAgentGroup),

    lastRateLimit: () => rate,
  };
}
