// The parts of an Okta LogEvent that routing reads, and how the access request an event is about is found
// in them. Used by intake's table (the subject of an access.request.* event) and by the Okta activities
// (finding a request raised earlier in the System Log).
import { z } from 'zod';

/** A field routing can do without: a value of another type counts as absent, never as a refusal. */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/**
 * The parts of an Okta LogEvent routing reads (the event hook's and the System Log API's shapes agree):
 * nothing else about an event is ever validated. Targets and debugData only offer candidate request
 * ids, so an odd one is passed over rather than refused.
 */
export const ZRoutableOktaEvent = z.looseObject({
  uuid: z.string().min(1),
  eventType: z.string().min(1),
  published: z.string().min(1),
  target: z
    .array(z.looseObject({ id: lenient(z.string()), type: lenient(z.string()) }).catch({}))
    .nullish()
    .catch(null)
    .transform((t) => t ?? []),
  debugContext: z
    .looseObject({ debugData: z.record(z.string(), z.unknown()).nullish().catch(null) })
    .nullish()
    .catch(null),
});
export type RoutableOktaEvent = z.output<typeof ZRoutableOktaEvent>;

/** Okta System Log target types that name a principal or resource, never an access request. */
const PRINCIPAL_TARGET_TYPES =
  /^(User|AppUser|AppInstance|Application|UserGroup|Group|GroupMembership|CatalogEntry|Entitlement|PolicyEntity|PolicyRule)$/i;

const REQUEST_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The access request an event is about. Okta does not document the target type string, so any target
 * whose type names a request wins; then the ids debugData may carry (the sandbox and Okta Workflows put
 * the request id there); then the first target. Undefined when nothing looks like a usable id.
 */
export function accessRequestIdOf(event: RoutableOktaEvent): string | undefined {
  const requestTarget = event.target.find((t) => /request/i.test((t.type ?? '').replace(/[_\s-]/g, '')));
  const debugData = event.debugContext?.debugData ?? {};
  const accessRequestId = debugData.accessRequestId;
  // The first target counts only when it could be a request: a User, app or group id is never one (it would
  // start a workflow for a request that does not exist and drop the event). debugData.requestId is not
  // used: in a real org it is the HTTP request's id.
  const first = event.target[0];
  const firstIfRequestLike = first && !PRINCIPAL_TARGET_TYPES.test(first.type ?? '') ? first.id : undefined;
  const candidates = [
    requestTarget?.id,
    typeof accessRequestId === 'string' ? accessRequestId : undefined,
    firstIfRequestLike,
  ];
  return candidates.find((c): c is string => c !== undefined && REQUEST_ID.test(c));
}
