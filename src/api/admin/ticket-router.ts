// Admin routes keyed by a Freshservice ticket: read the workflow that holds the ticket's record, the
// catalog access flow when there is one, else the ticket's router (forwarding, ignored).
import type { Router } from 'express';
import { catalogAccessWorkflowId } from '../../workflows/catalog-access/contract';
import { ticketWorkflowId } from '../../workflows/ticket-router/contract';
import { AppError } from '../errors';
import { parseOr400 } from '../validation';
import { describeWithState, isNotFound, ZTicketParam, type AdminContext } from './common';

export function mountTicketRouterAdmin(router: Router, { client }: AdminContext): void {
  router.get('/requests/tickets/:ticketId', async (req, res) => {
    const ticketId = parseOr400(ZTicketParam, req.params.ticketId, 'ticketId');
    // The catalog access workflow holds the access record; the router holds the rest (forwarding, ignored).
    for (const workflowId of [catalogAccessWorkflowId(ticketId), ticketWorkflowId(ticketId)]) {
      try {
        res.json(await describeWithState(client, client.workflow.getHandle(workflowId)));
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    throw new AppError('NOT_FOUND', `No workflow for ticket ${ticketId}`, { ticketId });
  });
}
