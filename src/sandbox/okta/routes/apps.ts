// /api/v1/apps: create, list (q, filter incl. `user.id eq`), read, replace, activate/deactivate, delete
// (INACTIVE only), user assignments (assign 200 with the AppUser, list with `q`, read, unassign 204 or 403
// while a group grants the app) and group assignments (list, read, PUT, DELETE).
import { Router } from 'express';
import { z } from 'zod';
import { requireScope } from '../auth';
import { oktaErrors } from '../errors';
import { pageOf, parseLimit, setLinkHeaders } from '../pagination';
import { renderApp, renderAppGroup, renderAppUser, renderGroup } from '../render';
import { evaluateScim } from '../scim-filter';
import type { AppRecord, AppUserRecord } from '../types';
import { callContext, param, parseBody, qs, qsBool, type RouteDeps, compileSearch } from './common';

const ZAssign = z.object({
  id: z.string().min(1),
  scope: z.enum(['USER', 'GROUP']).optional(),
  credentials: z.object({ userName: z.string().optional() }).loose().optional(),
  profile: z.record(z.string(), z.unknown()).optional(),
});

/**
 * An Application body (POST and PUT). The SDK sends the whole model back on PUT, read-only parts included;
 * those are dropped here. The type-specific `settings` and `credentials` are kept as sent.
 */
const ZApplication = z.object({
  name: z.string().min(1).optional(),
  label: z.string().min(1).max(100),
  signOnMode: z.string().min(1),
  settings: z.record(z.string(), z.unknown()).optional(),
  credentials: z.record(z.string(), z.unknown()).optional(),
  visibility: z.record(z.string(), z.unknown()).optional(),
  accessibility: z.record(z.string(), z.unknown()).optional(),
  features: z.array(z.unknown()).optional(),
});

const ZAssignGroup = z.object({
  priority: z.number().int().min(0).max(100).optional(),
  profile: z.record(z.string(), z.unknown()).optional(),
});

export function appsRouter(d: RouteDeps): Router {
  const r = Router();
  const base = d.publicUrl;
  const read = requireScope('okta.apps.read');
  const manage = requireScope('okta.apps.manage');
  const store = d.tenant.store;

  // `user.id` and `group.id` filter on assignments, as Okta's app filter does.
  const view = (a: AppRecord) => ({
    id: a.id,
    name: a.name,
    label: a.label,
    status: a.status,
    signOnMode: a.signOnMode,
    lastUpdated: a.lastUpdated,
    user: a.users.map((u) => ({ id: u.userId })),
    group: a.groups.map((g) => ({ id: g.groupId })),
  });

  r.get('/api/v1/apps', read, (req, res) => {
    const q = qs(req, 'q')?.toLowerCase();
    const filter = qs(req, 'filter');
    const node = filter ? compileSearch(filter) : undefined;
    const limit = parseLimit(qs(req, 'limit'), 20, 200);
    const expand = qs(req, 'expand');
    const expandUser = expand?.startsWith('user/') ? expand.slice('user/'.length) : undefined;
    const matching = (function* () {
      for (const a of store.apps.values()) {
        if (q && !a.name.toLowerCase().startsWith(q) && !a.label.toLowerCase().startsWith(q)) continue;
        if (node && !evaluateScim(node, view(a))) continue;
        yield a;
      }
    })();
    const { page, nextAfter } = pageOf(matching, qs(req, 'after'), limit);
    setLinkHeaders(
      res,
      base(),
      req.path,
      { q: qs(req, 'q'), filter, expand, limit: qs(req, 'limit') },
      nextAfter,
    );
    res.json(
      page.map((a) => {
        const body = renderApp(base(), a);
        const au = expandUser ? a.users.find((u) => u.userId === expandUser) : undefined;
        return au ? { ...body, _embedded: { user: renderAppUser(base(), a.id, au) } } : body;
      }),
    );
  });

  r.post('/api/v1/apps', manage, (req, res) => {
    const body = parseBody(ZApplication, req.body);
    const a = d.tenant.createApp(body, qsBool(req, 'activate', true), callContext(req, res));
    res.json(renderApp(base(), a));
  });

  r.get('/api/v1/apps/:id', read, (req, res) => {
    res.json(renderApp(base(), d.tenant.app(param(req, 'id'))));
  });

  r.put('/api/v1/apps/:id', manage, (req, res) => {
    const body = parseBody(ZApplication, req.body);
    res.json(renderApp(base(), d.tenant.replaceApp(param(req, 'id'), body, callContext(req, res))));
  });

  r.delete('/api/v1/apps/:id', manage, (req, res) => {
    d.tenant.deleteApp(param(req, 'id'), callContext(req, res));
    res.status(204).end();
  });

  // Both answer 200 with an empty object, as Okta does.
  r.post('/api/v1/apps/:id/lifecycle/activate', manage, (req, res) => {
    d.tenant.setAppStatus(param(req, 'id'), 'ACTIVE', callContext(req, res));
    res.json({});
  });

  r.post('/api/v1/apps/:id/lifecycle/deactivate', manage, (req, res) => {
    d.tenant.setAppStatus(param(req, 'id'), 'INACTIVE', callContext(req, res));
    res.json({});
  });

  r.post('/api/v1/apps/:id/users', manage, (req, res) => {
    const body = parseBody(ZAssign, req.body);
    const appId = param(req, 'id');
    const rec = d.tenant.assignApp(appId, body, callContext(req, res));
    res.json(renderAppUser(base(), appId, rec));
  });

  r.get('/api/v1/apps/:id/users', read, (req, res) => {
    const a = d.tenant.app(param(req, 'id'));
    const limit = parseLimit(qs(req, 'limit'), 50, 500);
    const q = qs(req, 'q');
    const needle = q?.toLowerCase();
    // q: a prefix match on the app user's userName, firstName, lastName and email (Okta's queryAppUserQ).
    const matches = (au: AppUserRecord) =>
      !needle ||
      [au.credentials.userName, au.profile.firstName, au.profile.lastName, au.profile.email].some(
        (v) => typeof v === 'string' && v.toLowerCase().startsWith(needle),
      );
    const rows = a.users
      .filter(matches)
      .map((u) => ({ seq: store.users.get(u.userId)?.seq ?? 0, u }))
      .sort((x, y) => x.seq - y.seq);
    const { page, nextAfter } = pageOf(rows, qs(req, 'after'), limit);
    setLinkHeaders(res, base(), req.path, { q, limit: qs(req, 'limit') }, nextAfter);
    res.json(page.map(({ u }) => renderAppUser(base(), a.id, u)));
  });

  r.get('/api/v1/apps/:id/users/:userId', read, (req, res) => {
    const a = d.tenant.app(param(req, 'id'));
    const userId = param(req, 'userId');
    const au = a.users.find((u) => u.userId === userId);
    if (!au) throw oktaErrors.notFound(`Resource not found: ${userId} (AppUser)`);
    res.json(renderAppUser(base(), a.id, au));
  });

  r.delete('/api/v1/apps/:id/users/:userId', manage, (req, res) => {
    d.tenant.unassignApp(param(req, 'id'), param(req, 'userId'), callContext(req, res));
    res.status(204).end();
  });

  r.get('/api/v1/apps/:id/groups', read, (req, res) => {
    const a = d.tenant.app(param(req, 'id'));
    const limit = parseLimit(qs(req, 'limit'), 20, 200);
    // q: a prefix match on the assigned group's name; expand=group embeds the Group.
    const q = qs(req, 'q');
    const needle = q?.toLowerCase();
    const expand = qs(req, 'expand');
    const rows = a.groups
      .flatMap((ag) => {
        const g = store.groups.get(ag.groupId);
        return g && (!needle || g.profile.name.toLowerCase().startsWith(needle))
          ? [{ seq: g.seq, ag, g }]
          : [];
      })
      .sort((x, y) => x.seq - y.seq);
    const { page, nextAfter } = pageOf(rows, qs(req, 'after'), limit);
    setLinkHeaders(res, base(), req.path, { q, expand, limit: qs(req, 'limit') }, nextAfter);
    res.json(
      page.map(({ ag, g }) => {
        const body = renderAppGroup(base(), a.id, ag);
        return expand === 'group' ? { ...body, _embedded: { group: renderGroup(base(), g) } } : body;
      }),
    );
  });

  r.get('/api/v1/apps/:id/groups/:groupId', read, (req, res) => {
    const appId = param(req, 'id');
    res.json(renderAppGroup(base(), appId, d.tenant.appGroup(appId, param(req, 'groupId'))));
  });

  r.put('/api/v1/apps/:id/groups/:groupId', manage, (req, res) => {
    // The body is optional: an empty PUT assigns with the next priority and an empty profile.
    const body = parseBody(ZAssignGroup, req.body ?? {});
    const appId = param(req, 'id');
    const rec = d.tenant.assignGroupToApp(appId, param(req, 'groupId'), body, callContext(req, res));
    res.json(renderAppGroup(base(), appId, rec));
  });

  r.delete('/api/v1/apps/:id/groups/:groupId', manage, (req, res) => {
    d.tenant.unassignGroupFromApp(param(req, 'id'), param(req, 'groupId'), callContext(req, res));
    res.status(204).end();
  });

  return r;
}
