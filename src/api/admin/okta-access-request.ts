// Admin routes of the OIG request flow: read a request's whole correlation record by its Okta id.
import type { Router } from 'express';
import { oktaRequestWorkflowId } from '../../workflows/okta-access-request/contract';
import { parseOr400 } from '../validation';
import { describeWithState, ZOktaRequestId, type AdminContext } from './common';

export function mountOktaAccessRequestAdmin(router: Router, { client }: AdminContext): void {
  router.get('/requests/okta/:requestId', async (req, res) => {
    const requestId = parseOr400(ZOktaRequestId, req.params.requestId, 'requestId');
    const view = await describeWithState(client, client.workflow.getHandle(oktaRequestWorkflowId(requestId)));
    res.json(view);
  });
}
