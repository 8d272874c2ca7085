// patched() ids of the OIG-request flow: each guards one change to the commands a running workflow
// replays. Stored in histories: never rename one, never reuse one for another change.
export const PATCH_CONTINUE_AS_NEW = 'okta-request-continue-as-new';
export const PATCH_REFUSALS = 'okta-request-vendor-refusals';
/** Grants are followed to GRANTED or FAILED; every status ends the flow, an unknown one with a note. */
export const PATCH_FAIL_CLOSED = 'okta-request-fail-closed';
/** A catalog marker routes a request only when access-bridge's own Okta principal created it. */
export const PATCH_VERIFIED_OWNER = 'okta-request-verified-owner';
/** One ticket per request, whichever of its ids (v1, v2) names it. */
export const PATCH_ONE_TICKET = 'okta-request-one-ticket';
/** Settings come from the flow's own loader (its policy section only), not the whole policy. */
export const PATCH_OWN_SETTINGS = 'okta-request-own-settings';
/**
 * The decision note's headline is a whole sentence for every ending: only an expired request's changed, and
 * only such a note asks for the marker, so every other history is unchanged.
 */
export const PATCH_NOTE_WORDING = 'okta-request-note-wording';
