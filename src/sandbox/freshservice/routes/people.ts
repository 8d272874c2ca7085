// /api/v2 requesters, agents, departments and agent groups: lookups by email and filter query, create,
// partial update, deactivate/reactivate. Agents and requesters share one id space; each endpoint sees its own.
import { Router } from 'express';
import { matchesFilter, parseFilterQuery, type FieldValue } from '../filter-query';
import type { UserRecord } from '../records';
import { renderAgent, renderDepartment, renderGroup, renderRequester } from '../render';
import {
  ZDepartmentBody,
  ZListAgentsQuery,
  ZListRequestersQuery,
  ZRequesterBody,
  ZRequesterUpdateBody,
} from '../request-schemas';
import { notFound, paginate, parseOr400, readPaging } from '../wire';
import { created, methodNotAllowed, pathId, type SandboxContext } from './context';

const REQUESTER_FIELDS = new Set([
  'first_name',
  'last_name',
  'name',
  'job_title',
  'primary_email',
  'work_phone_number',
  'mobile_phone_number',
  'department_id',
  'reporting_manager_id',
  'time_zone',
  'language',
  'location_id',
  'created_at',
  'updated_at',
]);
const PEOPLE_DATE_FIELDS = new Set(['created_at', 'updated_at']);

function userField(u: UserRecord, field: string): FieldValue {
  switch (field) {
    case 'name':
      return [u.first_name, u.last_name].filter(Boolean).join(' ');
    case 'department_id':
      return u.department_ids;
    case 'email':
      return u.primary_email;
    default:
      if (field in u) return (u as unknown as Record<string, FieldValue>)[field];
      return (u.custom_fields[field] ?? null) as FieldValue;
  }
}

const hasEmail = (u: UserRecord, email: string): boolean => {
  const e = email.trim().toLowerCase();
  return u.primary_email === e || u.secondary_emails.includes(e);
};

export function createPeopleRouter(ctx: SandboxContext): Router {
  const { store } = ctx;
  const r = Router();

  const mustRequester = (id: number): UserRecord => {
    const u = store.getUser(id);
    if (!u || u.is_agent) throw notFound();
    return u;
  };

  r.route('/requesters')
    .get((req, res) => {
      const q = parseOr400(ZListRequestersQuery, req.query);
      // Requester filter queries allow at most page 40.
      const paging = readPaging(req, q.query !== undefined ? { maxPage: 40 } : {});
      const tree =
        q.query !== undefined
          ? parseFilterQuery(q.query, {
              fields: REQUESTER_FIELDS,
              dateFields: PEOPLE_DATE_FIELDS,
              isCustomField: (name) => /^[a-z][a-z0-9_]*$/i.test(name),
            })
          : undefined;
      const list = [...store.users.values()].filter(
        (u) =>
          (q.include_agents === true || !u.is_agent) &&
          (q.email === undefined || hasEmail(u, q.email)) &&
          (q.mobile_phone_number === undefined || u.mobile_phone_number === q.mobile_phone_number) &&
          (q.work_phone_number === undefined || u.work_phone_number === q.work_phone_number) &&
          (tree === undefined || matchesFilter(tree, (f) => userField(u, f), PEOPLE_DATE_FIELDS)),
      );
      res.json({ requesters: paginate(req, res, ctx.publicUrl(), list, paging).map(renderRequester) });
    })
    .post((req, res) => {
      const b = parseOr400(ZRequesterBody, req.body ?? {});
      const u = store.createUser({ ...b, is_agent: false });
      created(res, ctx, `/api/v2/requesters/${u.id}`, { requester: renderRequester(u) });
    })
    .all(methodNotAllowed);

  r.route('/requesters/:id')
    .get((req, res) => {
      res.json({ requester: renderRequester(mustRequester(pathId(req, 'id'))) });
    })
    .put((req, res) => {
      const id = pathId(req, 'id');
      mustRequester(id);
      const b = parseOr400(ZRequesterUpdateBody, req.body ?? {});
      res.json({ requester: renderRequester(store.updateUser(id, b)) });
    })
    .delete((req, res) => {
      const id = pathId(req, 'id');
      mustRequester(id);
      store.setUserActive(id, false);
      res.status(204).end();
    })
    .all(methodNotAllowed);

  r.route('/requesters/:id/reactivate')
    .put((req, res) => {
      const id = pathId(req, 'id');
      mustRequester(id);
      res.json({ requester: renderRequester(store.setUserActive(id, true)) });
    })
    .all(methodNotAllowed);

  r.route('/agents')
    .get((req, res) => {
      const q = parseOr400(ZListAgentsQuery, req.query);
      const paging = readPaging(req);
      const list = [...store.users.values()].filter(
        (u) =>
          u.is_agent &&
          (q.email === undefined || hasEmail(u, q.email)) &&
          (q.active === undefined || u.active === q.active) &&
          (q.state === undefined || u.occasional === (q.state === 'occasional')),
      );
      res.json({
        agents: paginate(req, res, ctx.publicUrl(), list, paging).map((u) => renderAgent(u, store)),
      });
    })
    .all(methodNotAllowed);

  // Whose API key this is: the agent every API call acts as (user_id of its notes, replies and approvals).
  // Registered before /agents/:id so "me" is never read as an id.
  r.route('/agents/me')
    .get((_req, res) => {
      const id = store.apiAgentId();
      const u = id === null ? undefined : store.getUser(id);
      if (!u) throw notFound();
      res.json({ agent: renderAgent(u, store) });
    })
    .all(methodNotAllowed);

  r.route('/agents/:id')
    .get((req, res) => {
      const u = store.getUser(pathId(req, 'id'));
      if (!u?.is_agent) throw notFound();
      res.json({ agent: renderAgent(u, store) });
    })
    .all(methodNotAllowed);

  r.route('/departments')
    .get((req, res) => {
      const raw = req.query.query;
      const paging = readPaging(req);
      const tree =
        raw !== undefined
          ? parseFilterQuery(raw, { fields: new Set(['name']), dateFields: new Set() })
          : undefined;
      const list = [...store.departments.values()].filter(
        (d) => tree === undefined || matchesFilter(tree, (f) => (f === 'name' ? d.name : null), new Set()),
      );
      res.json({ departments: paginate(req, res, ctx.publicUrl(), list, paging).map(renderDepartment) });
    })
    .post((req, res) => {
      const b = parseOr400(ZDepartmentBody, req.body ?? {});
      const d = store.createDepartment(b);
      created(res, ctx, `/api/v2/departments/${d.id}`, { department: renderDepartment(d) });
    })
    .all(methodNotAllowed);

  r.route('/departments/:id')
    .get((req, res) => {
      const d = store.departments.get(pathId(req, 'id'));
      if (!d) throw notFound();
      res.json({ department: renderDepartment(d) });
    })
    .all(methodNotAllowed);

  r.route('/groups')
    .get((req, res) => {
      const paging = readPaging(req);
      res.json({
        groups: paginate(req, res, ctx.publicUrl(), [...store.groups.values()], paging).map(renderGroup),
      });
    })
    .all(methodNotAllowed);

  r.route('/groups/:id')
    .get((req, res) => {
      const g = store.groups.get(pathId(req, 'id'));
      if (!g) throw notFound();
      res.json({ group: renderGroup(g) });
    })
    .all(methodNotAllowed);

  return r;
}
