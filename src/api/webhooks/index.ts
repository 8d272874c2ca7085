// Mounts the inbound webhook routers under /webhooks: Okta event hooks and Freshservice automator calls.
// Each authenticates, parses with zod and signals a workflow by its business key (DESIGN.md section 5).
import { Router } from 'express';
import type { Config } from '../../config';
import type { Logger } from '../../logging';
import type { TemporalGateway } from '../temporal-gateway';
import { createFreshserviceWebhookRouter } from './freshservice';
import { createOktaWebhookRouter } from './okta';

export type WebhookDeps = { temporal: TemporalGateway; config: Config; logger: Logger };

export function createWebhookRouter(deps: WebhookDeps): Router {
  const router = Router();
  router.use('/okta', createOktaWebhookRouter(deps));
  router.use('/freshservice', createFreshserviceWebhookRouter(deps));
  return router;
}
