// What workflows may ask of Okta, in the product's words. The implementation (okta.ts) maps each call onto
// the OktaClient; workflows import this type only. Grants and revocations are idempotent by nature
// ("already a member" and "already absent" are success), raising an OIG request is looked up by its
// marker before it is created again, and an OIG message is sent at most once.
import type {
  AccessRequestView,
  OktaPerson,
  OktaResource,
  OktaResourceSpec,
  PersonResolution,
} from './views';

export interface OktaActivities {
  /** The OIG request (v2, or v1 for 24-hex ids); throws NOT_FOUND when neither knows it. */
  readAccessRequest(requestId: string): Promise<AccessRequestView>;
  /**
   * A person by Okta id, or by login/email through the identity rules of `resolvePerson`; null when there is
   * none or the email is ambiguous (flows that must say which use `resolvePerson`).
   */
  findPerson(ref: { id?: string; login?: string; email?: string }): Promise<OktaPerson | null>;
  /**
   * Exactly one Okta user for a person's email: login, then primary email, then secondary email; live
   * accounts win over DEPROVISIONED ones; several at the deciding rank are `ambiguous`, never a guess.
   */
  resolvePerson(ref: { email: string; login?: string }): Promise<PersonResolution>;
  /** The person's manager from profile.managerId / manager (an id, login or email); null when unset or unknown. */
  findManager(person: OktaPerson): Promise<OktaPerson | null>;
  /** The group (exact name) or app (label or name); null when Okta has none. */
  resolveResource(spec: OktaResourceSpec): Promise<OktaResource | null>;
  /** Names of the person's groups (for eligibility). */
  listGroupNames(userId: string): Promise<string[]>;
  /** Whether the person holds the resource now (group member / app assigned). */
  hasAccess(input: { userId: string; resource: OktaResource }): Promise<boolean>;
  /** Which of the given specs the person holds now (for separation-of-duties checks). */
  heldResources(input: {
    userId: string;
    specs: { name: string; spec: OktaResourceSpec }[];
  }): Promise<string[]>;
  grantAccess(input: { userId: string; resource: OktaResource }): Promise<{ alreadyHad: boolean }>;
  /**
   * Removes the access ("already absent" is success). An app that a group grants cannot be unassigned per
   * user (Okta 403 E0000046): the failure then names the user's groups that grant it, as its remedy.
   */
  revokeAccess(input: { userId: string; resource: OktaResource }): Promise<{ wasPresent: boolean }>;
  /**
   * Adds a message to the OIG request, visible to everyone who can see it, at most once: Okta cannot read
   * messages back, so when its answer is lost after the call may have reached it, the message is not sent
   * again and `confirmed` is false.
   */
  messageAccessRequest(input: {
    requestId: string;
    version: 'v1' | 'v2';
    message: string;
  }): Promise<{ confirmed: boolean }>;
  /**
   * Raises an OIG request for the person on the catalog entry of the resource, carrying `marker` in its
   * justification; returns the existing one when a request with that marker is already open.
   */
  raiseAccessRequest(input: {
    requestedForId: string;
    resource: OktaResource;
    marker: string;
    justification: string;
    accessDuration: string | null;
  }): Promise<{ requestId: string; created: boolean }>;
}
