// /api/v2/service_catalog: the items (with their custom field definitions) and place_request, which
// raises a Service Request ticket carrying the requested item and the values the requester filled in.
import { Router } from 'express';
import { renderCatalogItem, renderTicket } from '../render';
import { ZPlaceRequestBody } from '../request-schemas';
import { placeServiceRequest } from '../service-requests';
import { invalidValue, notFound, paginate, parseOr400, readPaging } from '../wire';
import { created, methodNotAllowed, pathId, type SandboxContext } from './context';

export function createCatalogRouter(ctx: SandboxContext): Router {
  const { store } = ctx;
  const r = Router();

  r.route('/service_catalog/items')
    .get((req, res) => {
      const raw = req.query.category_id;
      let category: number | undefined;
      if (raw !== undefined) {
        if (typeof raw !== 'string' || !/^\d+$/.test(raw))
          throw invalidValue('category_id', 'It should be a Positive Integer');
        category = Number(raw);
      }
      const paging = readPaging(req);
      const items = [...store.catalog.values()].filter(
        (i) => !i.deleted && (category === undefined || i.category_id === category),
      );
      res.json({ service_items: paginate(req, res, ctx.publicUrl(), items, paging).map(renderCatalogItem) });
    })
    .all(methodNotAllowed);

  r.route('/service_catalog/items/:displayId')
    .get((req, res) => {
      const item = store.getCatalogItem(pathId(req, 'displayId'));
      if (!item || item.deleted) throw notFound();
      res.json({ service_item: renderCatalogItem(item) });
    })
    .all(methodNotAllowed);

  r.route('/service_catalog/items/:displayId/place_request')
    .post((req, res) => {
      const b = parseOr400(ZPlaceRequestBody, req.body ?? {});
      const t = placeServiceRequest(store, pathId(req, 'displayId'), {
        ...(b.email !== undefined ? { requesterEmail: b.email } : {}),
        ...(b.requested_for !== undefined ? { requestedForEmail: b.requested_for } : {}),
        ...(b.quantity !== undefined ? { quantity: b.quantity } : {}),
        ...(b.custom_fields !== undefined ? { customFields: b.custom_fields } : {}),
        ...(b.parent_ticket_id !== undefined ? { parentTicketId: b.parent_ticket_id } : {}),
      });
      created(res, ctx, `/api/v2/tickets/${t.id}`, { service_request: renderTicket(t, store) });
    })
    .all(methodNotAllowed);

  return r;
}
