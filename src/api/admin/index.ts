// Operator routes under /admin: read a request's whole correlation record (its workflow's `state` query
// plus the run's status) and act on a ticket's access with updates whose validators answer at once, so
// an extension the policy refuses is a 409 with the reason, not a silent no-op. An accepted update whose
// handler outlives the API's wait (a revocation re-reading Okta) is a 202 with where to follow it, not an
// outage. Bearer-token auth. Without ADMIN_API_TOKEN the admin API does not exist: every /admin route
// answers 404, so an unconfigured deployment exposes no operator surface (and no token to guess). Each
// capability's routes live in admin/<capability>.ts; this file gates them and mounts them.
import { Router } from 'express';
import { bearerToken, headerValue, requireAuth, secretMatches } from '../auth';
import { AppError } from '../errors';
import { mountCatalogAccessAdmin } from './catalog-access';
import { ADMIN_UPDATE_WAITS, temporalUiNamespaceUrl, type AdminContext, type AdminDeps } from './common';
import { mountOktaAccessRequestAdmin } from './okta-access-request';
import { mountTicketRouterAdmin } from './ticket-router';

export { ADMIN_UPDATE_WAITS, type AdminDeps, type AdminUpdateWaits } from './common';

/** Each capability's admin routes; a new capability adds its own file and a line here. */
const CAPABILITY_ROUTES = [mountOktaAccessRequestAdmin, mountTicketRouterAdmin, mountCatalogAccessAdmin];

export function createAdminRouter(deps: AdminDeps): Router {
  const { temporal, config } = deps;
  const ctx: AdminContext = {
    client: temporal.client,
    config,
    waits: { ...ADMIN_UPDATE_WAITS, ...deps.updateWaits },
    temporalUi: temporalUiNamespaceUrl(config),
  };
  const router = Router();

  router.use((_req, _res, next) => {
    next(config.admin.token ? undefined : new AppError('NOT_FOUND', 'The admin API is not enabled'));
  });
  router.use(
    requireAuth(
      (headers) => secretMatches(bearerToken(headerValue(headers.authorization)), config.admin.token),
      'Bearer realm="access-bridge-admin"',
    ),
  );
  for (const mount of CAPABILITY_ROUTES) mount(router, ctx);
  return router;
}
