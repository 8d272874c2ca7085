// Vendor event → workflow: the one intake table and the routing the webhook handlers and reconcilers share.
export {
  ACCESS_REQUEST_LOG_FILTER,
  accessRequestIdOf,
  isAccessRequestEvent,
  planOktaEvents,
  type IgnoredOktaEvent,
  type OktaIntakePlan,
  type RoutableOktaEvent,
} from './okta-events';
export { nudgeTicket, routeOktaEvents, type OktaIntakeResult } from './signal';
export {
  OKTA_EVENT_ROUTES,
  OKTA_HOOK_EVENT_TYPES,
  OKTA_SYSTEM_LOG_FILTER,
  oktaRouteFor,
  TICKET_NUDGE_ROUTE,
  type OktaEventRoute,
} from './table';
