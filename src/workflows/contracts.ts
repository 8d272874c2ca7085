// Every capability's contract, for the operator CLI (replay and export list runs by workflow type and read
// their `state` through these) and the ticket router (each contract's claim on Freshservice tickets). A new
// capability adds its contract here and its workflow to index.ts.
import { CATALOG_ACCESS_WORKFLOW_TYPE, catalogAccessContract } from './catalog-access/contract';
import type * as bundle from './index';
import { OKTA_ACCESS_REQUEST_WORKFLOW_TYPE, oktaAccessRequestContract } from './okta-access-request/contract';
import { RECONCILER_WORKFLOW_TYPE, reconcilerContract } from './reconcilers/contract';
import type { CapabilityContract } from './shared/contract';
import { TICKET_ROUTER_WORKFLOW_TYPE, ticketRouterContract } from './ticket-router/contract';

export const CAPABILITY_CONTRACTS: readonly CapabilityContract[] = [
  oktaAccessRequestContract,
  ticketRouterContract,
  catalogAccessContract,
  reconcilerContract,
];

/** Every capability's claim on Freshservice tickets, in this order (the ticket router routes by them). */
export const TICKET_CLAIMS = CAPABILITY_CONTRACTS.flatMap((c) => (c.ticketClaim ? [c.ticketClaim] : []));

/** The contract of a workflow type, if a capability owns it. */
export const contractOf = (workflowType: string) =>
  CAPABILITY_CONTRACTS.find((c) => c.workflowType === workflowType);

/** Compile-time proof that every contract names a workflow the bundle (index.ts) exports. */
export const CONTRACT_WORKFLOW_TYPES = [
  OKTA_ACCESS_REQUEST_WORKFLOW_TYPE,
  TICKET_ROUTER_WORKFLOW_TYPE,
  CATALOG_ACCESS_WORKFLOW_TYPE,
  RECONCILER_WORKFLOW_TYPE,
] as const satisfies readonly (keyof typeof bundle)[];
