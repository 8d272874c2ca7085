// /api/v1/users: create, read (by id, login or shortname), list with search/filter/q, partial and full
// update, lifecycle operations, delete, sessions, and the user's groups, app links and factors.
import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { principalOf, requireScope } from '../auth';
import { oktaErrors } from '../errors';
import { pageOf, parseLimit, setLinkHeaders } from '../pagination';
import { renderAppLink, renderFactor, renderGroup, renderUser } from '../render';
import { evaluateScim, scimAttributes } from '../scim-filter';
import { DEFAULT_USER_TYPE_ID } from '../tenant';
import type { LogActor, UserRecord } from '../types';
import { callContext, param, parseBody, qs, qsBool, type RouteDeps, compileSearch } from './common';

const ZProfile = z.looseObject({
  login: z.string().default(''),
  email: z.string().default(''),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
});

const ZCreateUser = z.object({
  profile: ZProfile,
  credentials: z
    .object({
      password: z.object({ value: z.string().optional() }).loose().optional(),
      recovery_question: z.object({ question: z.string(), answer: z.string() }).optional(),
      provider: z.object({ type: z.string(), name: z.string().optional() }).optional(),
    })
    .optional(),
  groupIds: z.array(z.string()).optional(),
  type: z.object({ id: z.string() }).optional(),
});

/** The admin an API token acts as: a stored user when the org holds one with that id, else made up here. */
function apiTokenAdminUser(stored: UserRecord | undefined, actor: LogActor): UserRecord {
  if (stored) return stored;
  const [firstName, ...rest] = actor.displayName.split(' ');
  return {
    seq: 0,
    id: actor.id,
    status: 'ACTIVE',
    created: '2020-01-01T00:00:00.000Z',
    activated: '2020-01-01T00:00:00.000Z',
    statusChanged: '2020-01-01T00:00:00.000Z',
    lastLogin: null,
    lastUpdated: '2020-01-01T00:00:00.000Z',
    passwordChanged: null,
    typeId: DEFAULT_USER_TYPE_ID,
    profile: {
      login: actor.alternateId,
      email: actor.alternateId,
      firstName: firstName ?? null,
      lastName: rest.join(' ') || null,
    },
    hasPassword: true,
    hasRecoveryQuestion: false,
  };
}

const ZUpdateUser = z.object({
  profile: z.record(z.string(), z.unknown()).optional(),
  credentials: z.unknown().optional(),
});

/** `filter=` covers only these fields (API-CONTRACTS.md §5); `search=` takes any property. */
const FILTERABLE = new Set([
  'status',
  'lastUpdated',
  'id',
  'profile.login',
  'profile.email',
  'profile.firstName',
  'profile.lastName',
]);

function searchable(u: UserRecord) {
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
    profile: u.profile,
  };
}

function etag(u: UserRecord): string {
  return `W/"${createHash('sha1').update(`${u.id}:${u.lastUpdated}:${u.status}`).digest('hex').slice(0, 16)}"`;
}

const PASSWORD_RULE = 'Password requirements were not met. Password requirements: at least 8 characters.';

export function usersRouter(d: RouteDeps): Router {
  const r = Router();
  const base = d.publicUrl;
  const read = requireScope('okta.users.read');
  const manage = requireScope('okta.users.manage');

  r.get('/api/v1/users', read, (req, res) => {
    const search = qs(req, 'search');
    const filter = qs(req, 'filter');
    const q = qs(req, 'q');
    const users = d.tenant.store.users.values();
    if (q !== undefined && !search && !filter) {
      // q: a prefix match on first name, last name and email, capped by limit, without paging.
      const limit = parseLimit(qs(req, 'limit'), 10, 200);
      const needle = q.toLowerCase();
      const hits: UserRecord[] = [];
      for (const u of users) {
        if (hits.length >= limit) break;
        if (u.status === 'DEPROVISIONED') continue;
        const p = u.profile;
        if (
          [p.firstName, p.lastName, p.email].some(
            (v) => typeof v === 'string' && v.toLowerCase().startsWith(needle),
          )
        )
          hits.push(u);
      }
      setLinkHeaders(res, base(), req.path, { q, limit: qs(req, 'limit') }, undefined);
      res.json(hits.map((u) => renderUser(base(), u)));
      return;
    }
    const limit = parseLimit(qs(req, 'limit'), 200, 200);
    let predicate: (u: UserRecord) => boolean = (u) => u.status !== 'DEPROVISIONED';
    if (search) {
      const node = compileSearch(search);
      // search covers every status, DEPROVISIONED included.
      predicate = (u) => evaluateScim(node, searchable(u));
    } else if (filter) {
      const node = compileSearch(filter);
      const bad = scimAttributes(node).filter((a) => !FILTERABLE.has(a));
      if (bad.length) throw oktaErrors.invalidSearch(`filter does not support ${bad.join(', ')}; use search`);
      const mentionsStatus = scimAttributes(node).includes('status');
      predicate = (u) =>
        (mentionsStatus || u.status !== 'DEPROVISIONED') && evaluateScim(node, searchable(u));
    }
    const matching = (function* () {
      for (const u of users) if (predicate(u)) yield u;
    })();
    const { page, nextAfter } = pageOf(matching, qs(req, 'after'), limit);
    setLinkHeaders(res, base(), req.path, { search, filter, limit: qs(req, 'limit') }, nextAfter);
    res.json(page.map((u) => renderUser(base(), u)));
  });

  r.post('/api/v1/users', manage, (req, res) => {
    const body = parseBody(ZCreateUser, req.body);
    const password = body.credentials?.password?.value;
    if (password !== undefined && password.length < 8)
      throw oktaErrors.validation('password', [`password: ${PASSWORD_RULE}`]);
    const u = d.tenant.createUser(
      {
        profile: body.profile,
        password,
        recoveryQuestion: Boolean(body.credentials?.recovery_question),
        groupIds: body.groupIds,
        activate: qsBool(req, 'activate', true),
      },
      callContext(req, res),
    );
    res.setHeader('ETag', etag(u));
    res.status(200).json(renderUser(base(), u));
  });

  // The caller's own user: an API token acts as the admin who created it. A service app's access token
  // has no user behind it, so Okta finds none (UNCONFIRMED: the exact error a real org answers).
  r.get('/api/v1/users/me', read, (_req, res) => {
    const p = principalOf(res);
    if (p.kind !== 'ssws') throw oktaErrors.notFound('Resource not found: me (User)');
    const u = apiTokenAdminUser(d.tenant.store.resolveUser(p.actor.id), p.actor);
    res.setHeader('ETag', etag(u));
    res.json(renderUser(base(), u));
  });

  r.get('/api/v1/users/:idOrLogin', read, (req, res) => {
    const u = d.tenant.user(param(req, 'idOrLogin'));
    res.setHeader('ETag', etag(u));
    res.json(renderUser(base(), u));
  });

  const update = (replace: boolean) => (req: Request, res: Response) => {
    const body = parseBody(ZUpdateUser, req.body);
    const u = d.tenant.user(param(req, 'id'));
    const updated = body.profile
      ? d.tenant.updateProfile(u.id, body.profile, replace, callContext(req, res))
      : u;
    res.setHeader('ETag', etag(updated));
    res.json(renderUser(base(), updated));
  };
  r.post('/api/v1/users/:id', manage, update(false));
  r.put('/api/v1/users/:id', manage, update(true));

  r.delete('/api/v1/users/:id', manage, (req, res) => {
    d.tenant.deleteUser(param(req, 'id'), callContext(req, res));
    res.status(204).end();
  });

  r.post('/api/v1/users/:id/lifecycle/:op', manage, (req, res) => {
    const id = param(req, 'id');
    const ctx = callContext(req, res);
    switch (param(req, 'op')) {
      case 'activate':
        res.json(d.tenant.activate(id, qsBool(req, 'sendEmail', true), ctx, base()));
        return;
      case 'reactivate':
        res.json(d.tenant.activate(id, qsBool(req, 'sendEmail', true), ctx, base()));
        return;
      case 'deactivate':
        d.tenant.deactivate(id, ctx);
        break;
      case 'suspend':
        d.tenant.suspend(id, ctx);
        break;
      case 'unsuspend':
        d.tenant.unsuspend(id, ctx);
        break;
      case 'unlock':
        d.tenant.unlock(id, ctx);
        break;
      case 'reset_factors':
        d.tenant.resetFactors(id, ctx);
        break;
      case 'reset_password': {
        const sendEmail = qs(req, 'sendEmail');
        if (sendEmail === undefined) throw oktaErrors.missingParameter('sendEmail');
        res.json(d.tenant.resetPassword(id, qsBool(req, 'sendEmail', true), ctx, base()));
        return;
      }
      case 'expire_password':
        res.json(renderUser(base(), d.tenant.expirePassword(id, ctx)));
        return;
      case 'expire_password_with_temp_password': {
        // `revokeSessions` is accepted (the sandbox keeps no sessions); the body is only the password.
        qsBool(req, 'revokeSessions', false);
        res.json({ tempPassword: d.tenant.expirePasswordWithTemp(id, ctx).tempPassword });
        return;
      }
      default:
        throw oktaErrors.notFound(`Resource not found: ${req.path}`);
    }
    res.status(200).end();
  });

  r.delete('/api/v1/users/:id/sessions', manage, (req, res) => {
    d.tenant.clearSessions(param(req, 'id'), callContext(req, res));
    res.status(204).end();
  });

  r.get('/api/v1/users/:id/groups', read, (req, res) => {
    const u = d.tenant.user(param(req, 'id'));
    const groups = d.tenant.store
      .groupIdsOf(u.id)
      .flatMap((gid) => d.tenant.store.groups.get(gid) ?? [])
      .sort((a, b) => a.seq - b.seq);
    res.json(groups.map((g) => renderGroup(base(), g)));
  });

  r.get('/api/v1/users/:id/appLinks', read, (req, res) => {
    const u = d.tenant.user(param(req, 'id'));
    const links = d.tenant.store.appIdsOf(u.id).flatMap((aid, i) => {
      const a = d.tenant.store.apps.get(aid);
      const au = a?.users.find((x) => x.userId === u.id);
      return a && au ? [renderAppLink(base(), a, au, i)] : [];
    });
    res.json(links);
  });

  r.get('/api/v1/users/:id/factors', read, (req, res) => {
    const id = param(req, 'id');
    res.json(d.tenant.factors(id).map((f) => renderFactor(base(), d.tenant.user(id).id, f)));
  });

  r.delete('/api/v1/users/:id/factors/:factorId', manage, (req, res) => {
    d.tenant.deleteFactor(param(req, 'id'), param(req, 'factorId'), callContext(req, res));
    res.status(204).end();
  });

  return r;
}
