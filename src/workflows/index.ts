// The workflow bundle's entry: every workflow the worker runs is exported here, and nothing else that the
// bundle does not need. Capabilities add their workflow modules as they land.
export { oktaAccessRequest } from './okta-access-request/workflow';
export { freshserviceTicket } from './ticket-router/workflow';
export { catalogAccessRequest } from './catalog-access/workflow';
export { reconciler } from './reconcilers/workflow';
