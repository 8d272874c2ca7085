// GET /api/v1/logs: the System Log query, with Link headers whose `next` follows the polling rule.
import { Router } from 'express';
import { z } from 'zod';
import { requireScope } from '../auth';
import { setLinkHeaders } from '../pagination';
import { queryLogs } from '../system-log';
import { parseBody, qs, type RouteDeps } from './common';

const ZSortOrder = z.enum(['ASCENDING', 'DESCENDING']).optional();

export function logsRouter(d: RouteDeps): Router {
  const r = Router();
  r.get('/api/v1/logs', requireScope('okta.logs.read'), (req, res) => {
    const rawLimit = qs(req, 'limit');
    const query = {
      since: qs(req, 'since'),
      until: qs(req, 'until'),
      filter: qs(req, 'filter'),
      q: qs(req, 'q'),
      limit: rawLimit === undefined ? undefined : Number(rawLimit),
      sortOrder: parseBody(z.object({ sortOrder: ZSortOrder }), { sortOrder: qs(req, 'sortOrder') })
        .sortOrder,
      after: qs(req, 'after'),
    };
    const store = d.tenant.store;
    const page = queryLogs(store.logs, query, store.seq);
    const { after: _a, ...linkQuery } = query;
    setLinkHeaders(res, d.publicUrl(), req.path, { ...linkQuery, limit: rawLimit }, page.nextAfter);
    res.json(page.events);
  });
  return r;
}
