// patched() ids of the catalog access flow: each guards one change to the commands a running workflow
// replays. Stored in histories: never rename one, never reuse one for another change.
/** Patch ids: in-flight runs started before a change keep replaying the old commands. */
export const PATCH_IDENTITY = 'catalog-identity-resolution';
export const PATCH_ACCOUNT_STATUS = 'catalog-account-status-recheck';
export const PATCH_CONTINUE_AS_NEW = 'catalog-continue-as-new';
export const PATCH_REFUSALS = 'catalog-vendor-refusals';
export const PATCH_AGENT_CLOSE = 'catalog-agent-close';
export const PATCH_WINDOW_FAIL_CLOSED = 'catalog-window-fail-closed';
export const PATCH_NO_SELF_APPROVAL = 'catalog-no-self-approval';
export const PATCH_BOOKKEEPING = 'catalog-bookkeeping-refusals';
export const PATCH_OKTA_WATCH = 'catalog-okta-watch';
/** Settings come from the catalog flow's own loader (its policy sections only), not the whole policy. */
export const PATCH_OWN_SETTINGS = 'catalog-own-settings';
/** A requested end on a day the calendar lacks (2027-02-30) is refused, not rolled over into the next month. */
export const PATCH_CALENDAR_DATES = 'catalog-calendar-dates';
/** Notes say why a request ended unapproved in whole sentences (`expired`, `nobody could be asked`, …). */
export const PATCH_NOTE_WORDING = 'catalog-note-wording';
/** The form's resource_type limits which resources its name may match; spaces in the name are normalised. */
export const PATCH_RESOURCE_TYPE = 'catalog-resource-type';
