// The sandbox Freshservice's public surface: start it, or build its Express app; the store, automator and
// seed for tests and the demo.
export {
  startFreshserviceSandbox,
  type FreshserviceSandboxOptions,
  type RunningFreshserviceSandbox,
} from './server';
export { createFreshserviceSandboxApp, type FreshserviceSandboxParts } from './app';
export { FreshserviceStore, type StoreEvent, type TicketChange } from './store';
export {
  Automator,
  ZAutomatorRule,
  ZDeliverySettings,
  type TAutomatorRule,
  type TDeliverySettings,
  type DeliveryRecord,
} from './automator';
export { ZRateLimits, type TRateLimits, type RateLimitsInput } from './rate-limits';
export { seedDemo, ACCESS_REQUEST_FIELDS, DEMO_AGENT_GROUPS, DEMO_CATALOG_CATEGORIES } from './seed';
