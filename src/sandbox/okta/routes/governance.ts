// Okta Identity Governance endpoints: v2 access requests (create 202, read, list with `{data, _links}`,
// messages 201), the v1 view of the same requests, and the default resource catalog.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { requireOAuth, requireScope } from '../auth';
import { oktaErrors } from '../errors';
import { absoluteUrl, pageOf, parseLimit } from '../pagination';
import { renderCatalogEntry, renderRequestV1, renderRequestV2 } from '../render';
import { evaluateScim } from '../scim-filter';
import type { AccessRequestRecord } from '../types';
import { callContext, param, parseBody, qs, type RouteDeps, compileSearch } from './common';

const FIELD_TYPES = ['TEXT', 'SELECT', 'MULTISELECT', 'ISO_DATE', 'DURATION', 'OKTA_USER_ID'] as const;

const ZCreateRequestV2 = z.object({
  requested: z.object({ type: z.literal('CATALOG_ENTRY'), entryId: z.string().min(1) }),
  requestedFor: z.object({ type: z.literal('OKTA_USER'), externalId: z.string().min(1) }),
  requestedBy: z.object({ type: z.string(), externalId: z.string().min(1) }).optional(),
  requesterFieldValues: z
    .array(
      z.object({
        id: z.string().min(1),
        type: z.enum(FIELD_TYPES),
        label: z.string().optional(),
        value: z.unknown().optional(),
        values: z.array(z.unknown()).optional(),
      }),
    )
    .optional(),
});

export const ZRequestMessage = z.object({ message: z.string().min(1).max(5000) });

const v2View = (r: AccessRequestRecord) => ({
  id: r.id,
  status: r.status,
  created: r.created,
  lastUpdated: r.lastUpdated,
  requestedFor: r.requestedFor.externalId,
  requestedBy: r.requestedBy.externalId,
  resourceId: r.resourceId,
  resourceType: r.resourceType,
  accessScopeId: r.resourceId,
  accessScopeType: r.resourceType,
  grantStatus: r.grantStatus,
  revocationStatus: r.revocationStatus,
});

const v1View = (r: AccessRequestRecord) => ({
  id: r.v1Id,
  requestStatus: ['SUBMITTED', 'PENDING'].includes(r.status) ? 'PENDING' : 'RESOLVED',
  created: r.created,
  lastUpdated: r.lastUpdated,
  requesterUserIds: r.requestedFor.externalId,
  type: 'ACCESS_REQUEST',
});

export function governanceRouter(d: RouteDeps): Router {
  const r = Router();
  const base = d.publicUrl;
  const store = d.tenant.store;
  const v2Read = requireScope('okta.accessRequests.request.read');
  const v2Manage = requireScope('okta.accessRequests.request.manage');
  const v1Read = requireScope('okta.governance.accessRequests.read');
  const v1Manage = requireScope('okta.governance.accessRequests.manage');
  const catalogRead = requireScope('okta.accessRequests.catalog.read');
  const oauthOnly = requireOAuth(d.oigListRequiresOAuth);

  /** OIG list bodies: `{data, _links: {self, next?}}`, cursors in the links only. */
  const listBody = <T extends { seq: number }>(
    req: Request,
    res: Response,
    rows: T[],
    render: (x: T) => unknown,
    query: Record<string, unknown>,
  ) => {
    const limit = parseLimit(qs(req, 'limit'), 20, 200);
    const orderBy = qs(req, 'orderBy') ?? 'created asc';
    if (!/^created (asc|desc)$/i.test(orderBy))
      throw oktaErrors.validation('orderBy', ['orderBy: use "created asc" or "created desc"']);
    const desc = /desc$/i.test(orderBy);
    const ordered = desc ? [...rows].reverse() : rows;
    const { page, nextAfter } = pageOf(ordered, qs(req, 'after'), limit, desc);
    const q = { ...query, orderBy: qs(req, 'orderBy'), limit: qs(req, 'limit') };
    const self = absoluteUrl(base(), req.path, { ...q, after: qs(req, 'after') });
    const links: Record<string, { href: string }> = { self: { href: self } };
    if (nextAfter) links.next = { href: absoluteUrl(base(), req.path, { ...q, after: nextAfter }) };
    res.setHeader('Link', [
      `<${self}>; rel="self"`,
      ...(links.next ? [`<${links.next.href}>; rel="next"`] : []),
    ]);
    res.json({ data: page.map(render), _links: links });
  };

  // ---- v2
  r.post('/governance/api/v2/requests', v2Manage, (req, res) => {
    const body = parseBody(ZCreateRequestV2, req.body);
    const ctx = callContext(req, res);
    const created = d.governance.create(
      {
        entryId: body.requested.entryId,
        requestedForId: body.requestedFor.externalId,
        requestedById: body.requestedBy?.externalId ?? ctx.actor.id,
        requesterFieldValues: body.requesterFieldValues,
        actor: ctx.actor,
      },
      ctx,
    );
    res.status(202).json(renderRequestV2(base(), created));
  });

  r.get('/governance/api/v2/requests', oauthOnly, v2Read, (req, res) => {
    const filter = qs(req, 'filter');
    const node = filter ? compileSearch(filter) : undefined;
    const rows = [...store.requests.values()].filter((x) => !node || evaluateScim(node, v2View(x)));
    listBody(req, res, rows, (x) => renderRequestV2(base(), x), { filter });
  });

  r.get('/governance/api/v2/requests/:id', v2Read, (req, res) => {
    res.json(renderRequestV2(base(), d.governance.request(param(req, 'id'))));
  });

  r.post('/governance/api/v2/requests/:id/messages', v2Manage, (req, res) => {
    const body = parseBody(ZRequestMessage, req.body);
    const rec = d.governance.request(param(req, 'id'));
    d.governance.addMessage(rec, body.message, callContext(req, res).actor.id, 'v2');
    res.status(201).end();
  });

  // ---- v1 (the same requests as the request-types API shows them)
  r.get('/governance/api/v1/requests', oauthOnly, v1Read, (req, res) => {
    const filter = qs(req, 'filter');
    const node = filter ? compileSearch(filter) : undefined;
    const rows = [...store.requests.values()].filter((x) => !node || evaluateScim(node, v1View(x)));
    listBody(req, res, rows, (x) => renderRequestV1(base(), x), { filter });
  });

  r.get('/governance/api/v1/requests/:id', v1Read, (req, res) => {
    res.json(renderRequestV1(base(), d.governance.requestV1(param(req, 'id'))));
  });

  r.post('/governance/api/v1/requests/:id/messages', v1Manage, (req, res) => {
    const body = parseBody(ZRequestMessage, req.body);
    const rec = d.governance.requestV1(param(req, 'id'));
    d.governance.addMessage(rec, body.message, callContext(req, res).actor.id, 'v1');
    res.status(201).end();
  });

  // ---- catalog
  r.get('/governance/api/v2/catalogs/default/entries', catalogRead, (req, res) => {
    const filter = qs(req, 'filter');
    if (!filter) throw oktaErrors.missingParameter('filter');
    const node = compileSearch(filter);
    const rows = [...store.catalog.values()]
      .map((c, i) => ({ seq: i + 1, c }))
      .filter(({ c }) => evaluateScim(node, c));
    listBody(req, res, rows, ({ c }) => renderCatalogEntry(base(), c), { filter });
  });

  r.get('/governance/api/v2/catalogs/default/entries/:entryId', catalogRead, (req, res) => {
    const c = store.catalog.get(param(req, 'entryId'));
    if (!c) throw oktaErrors.notFound(`Resource not found: ${param(req, 'entryId')} (CatalogEntry)`);
    res.json(renderCatalogEntry(base(), c));
  });

  return r;
}
