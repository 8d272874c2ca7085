// /api/v1/groups: list (q, search, filter), create, read, replace (OKTA_GROUP only), delete (not BUILT_IN),
// members, membership changes (204, only for OKTA_GROUP groups), and the apps assigned to a group.
import { Router } from 'express';
import { z } from 'zod';
import { requireScope } from '../auth';
import { pageOf, parseLimit, setLinkHeaders } from '../pagination';
import { renderApp, renderGroup, renderUser } from '../render';
import { evaluateScim } from '../scim-filter';
import type { GroupRecord } from '../types';
import { callContext, param, parseBody, qs, type RouteDeps, compileSearch } from './common';

const ZCreateGroup = z.object({
  profile: z.object({ name: z.string().min(1).max(255), description: z.string().max(1024).nullish() }),
});

const view = (g: GroupRecord) => ({
  id: g.id,
  type: g.type,
  created: g.created,
  lastUpdated: g.lastUpdated,
  lastMembershipUpdated: g.lastMembershipUpdated,
  profile: g.profile,
});

export function groupsRouter(d: RouteDeps): Router {
  const r = Router();
  const base = d.publicUrl;
  const read = requireScope('okta.groups.read');
  const manage = requireScope('okta.groups.manage');

  r.get('/api/v1/groups', read, (req, res) => {
    const q = qs(req, 'q');
    const expr = qs(req, 'search') ?? qs(req, 'filter');
    const groups = d.tenant.store.groups.values();
    if (q !== undefined && !expr) {
      // q: a name prefix match, without paging.
      const limit = parseLimit(qs(req, 'limit'), 300, 10000);
      const needle = q.toLowerCase();
      const hits: GroupRecord[] = [];
      for (const g of groups) {
        if (hits.length >= limit) break;
        if (g.profile.name.toLowerCase().startsWith(needle)) hits.push(g);
      }
      setLinkHeaders(res, base(), req.path, { q, limit: qs(req, 'limit') }, undefined);
      res.json(hits.map((g) => renderGroup(base(), g)));
      return;
    }
    const limit = parseLimit(qs(req, 'limit'), 10000, 10000);
    const node = expr ? compileSearch(expr) : undefined;
    const matching = (function* () {
      for (const g of groups) if (!node || evaluateScim(node, view(g))) yield g;
    })();
    const { page, nextAfter } = pageOf(matching, qs(req, 'after'), limit);
    setLinkHeaders(
      res,
      base(),
      req.path,
      { search: qs(req, 'search'), filter: qs(req, 'filter'), limit: qs(req, 'limit') },
      nextAfter,
    );
    res.json(page.map((g) => renderGroup(base(), g)));
  });

  r.post('/api/v1/groups', manage, (req, res) => {
    const body = parseBody(ZCreateGroup, req.body);
    res.json(renderGroup(base(), d.tenant.createGroup(body.profile, callContext(req, res))));
  });

  r.get('/api/v1/groups/:id', read, (req, res) => {
    res.json(renderGroup(base(), d.tenant.group(param(req, 'id'))));
  });

  r.put('/api/v1/groups/:id', manage, (req, res) => {
    const body = parseBody(ZCreateGroup, req.body);
    res.json(
      renderGroup(base(), d.tenant.replaceGroup(param(req, 'id'), body.profile, callContext(req, res))),
    );
  });

  r.delete('/api/v1/groups/:id', manage, (req, res) => {
    d.tenant.deleteGroup(param(req, 'id'), callContext(req, res));
    res.status(204).end();
  });

  r.get('/api/v1/groups/:id/users', read, (req, res) => {
    const g = d.tenant.group(param(req, 'id'));
    const limit = parseLimit(qs(req, 'limit'), 1000, 1000);
    const store = d.tenant.store;
    const members = store
      .memberIds(g.id)
      .flatMap((uid) => store.users.get(uid) ?? [])
      .sort((a, b) => a.seq - b.seq);
    const { page, nextAfter } = pageOf(members, qs(req, 'after'), limit);
    setLinkHeaders(res, base(), req.path, { limit: qs(req, 'limit') }, nextAfter);
    res.json(page.map((u) => renderUser(base(), u)));
  });

  r.get('/api/v1/groups/:id/apps', read, (req, res) => {
    const g = d.tenant.group(param(req, 'id'));
    const limit = parseLimit(qs(req, 'limit'), 20, 200);
    const store = d.tenant.store;
    const apps = store
      .appIdsOfGroup(g.id)
      .flatMap((aid) => store.apps.get(aid) ?? [])
      .sort((a, b) => a.seq - b.seq);
    const { page, nextAfter } = pageOf(apps, qs(req, 'after'), limit);
    setLinkHeaders(res, base(), req.path, { limit: qs(req, 'limit') }, nextAfter);
    res.json(page.map((a) => renderApp(base(), a)));
  });

  r.put('/api/v1/groups/:id/users/:userId', manage, (req, res) => {
    d.tenant.addMember(param(req, 'id'), param(req, 'userId'), callContext(req, res));
    res.status(204).end();
  });

  r.delete('/api/v1/groups/:id/users/:userId', manage, (req, res) => {
    d.tenant.removeMember(param(req, 'id'), param(req, 'userId'), callContext(req, res));
    res.status(204).end();
  });

  return r;
}
