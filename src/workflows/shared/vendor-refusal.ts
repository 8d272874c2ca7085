// A permanent vendor answer (a non-retryable 4xx an activity gave up on) becomes an outcome, never a FAILED
// run: every flow catches it here, writes what the vendor refused, why (its code and summary) and what an
// agent must do on the ticket, and leaves the ticket open. Workflows branch on this, never on messages.
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { VendorFailureDetails } from '../../activities/failures';
import { escapeHtml, htmlList } from './format';

export type VendorRefusal = {
  /** okta | freshservice, or null for a non-vendor permanent failure. */
  vendor: string | null;
  /** The VendorErrorType (FORBIDDEN, VALIDATION, NOT_FOUND...). */
  type: string;
  /** The activity that was refused, e.g. revokeAccess. */
  activity: string;
  status: number | null;
  /** Okta errorCode (E0000046) or Freshservice error code. */
  vendorCode: string | null;
  /** The vendor's own summary, or the failure message. */
  summary: string;
  causes: string[];
  /** What an agent must do, when the activity could tell. */
  remedy: string | null;
};

/** The refusal an error carries, or undefined when it is not a permanent activity failure. */
export function vendorRefusal(err: unknown): VendorRefusal | undefined {
  if (!(err instanceof ActivityFailure) || !(err.cause instanceof ApplicationFailure)) return undefined;
  const app = err.cause;
  // Retryable failures reach a workflow only once the retry policy gave up, which ours never does.
  if (!app.nonRetryable) return undefined;
  const d = (app.details?.[0] ?? {}) as Partial<VendorFailureDetails>;
  return {
    vendor: d.vendor ?? null,
    type: app.type ?? 'UNKNOWN',
    activity: err.activityType,
    status: d.status ?? null,
    vendorCode: d.vendorCode ?? null,
    summary: d.summary ?? app.message,
    causes: (d.causes ?? []).map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)),
    remedy: d.remedy ?? null,
  };
}

/** A Map, so a vendor field named like an Object.prototype member reads as unknown. */
const VENDOR_NAMES: ReadonlyMap<string, string> = new Map([
  ['okta', 'Okta'],
  ['freshservice', 'Freshservice'],
]);

/** The generic next step for a refusal type, when the activity named none. */
function defaultRemedy(r: VendorRefusal): string {
  switch (r.type) {
    case 'FORBIDDEN':
    case 'UNAUTHORIZED':
      return `Check the permissions of access-bridge's ${VENDOR_NAMES.get(r.vendor ?? '') ?? 'vendor'} credentials, or make the change by hand.`;
    case 'NOT_FOUND':
      return 'The object no longer exists; check it and finish the request by hand.';
    case 'VALIDATION':
    case 'CONFLICT':
    case 'BAD_REQUEST':
      return 'Correct the data named above and finish the request by hand.';
    default:
      return 'Look at the request and finish it by hand.';
  }
}

/** One line for plain-text channels (OIG messages, logs): `Freshservice answered 403 FORBIDDEN access_denied: Access denied`. */
export function refusalSummary(r: VendorRefusal): string {
  const vendor = VENDOR_NAMES.get(r.vendor ?? '') ?? 'The vendor';
  const answer = [r.status, r.type, r.vendorCode].filter((x) => x !== null && x !== '').join(' ');
  return `${vendor} answered ${answer}: ${r.summary}`;
}

/** The note body: what was refused, by whom, why, and what an agent must do. */
export function refusalHtml(r: VendorRefusal, what: string): string {
  const vendor = VENDOR_NAMES.get(r.vendor ?? '') ?? 'A vendor';
  const why = [r.vendorCode, r.summary].filter(Boolean).join(' ');
  const rows: [string, string][] = [
    ['Refused step', `${what} (${r.activity})`],
    ['Answer', `${r.status ?? ''} ${r.type}`.trim()],
    ['Reason', why || r.type],
  ];
  if (r.causes.length) rows.push(['Details', r.causes.join('; ')]);
  rows.push(['What to do', r.remedy ?? defaultRemedy(r)]);
  return `<p>${escapeHtml(vendor)} refused to ${escapeHtml(what)}. access-bridge stopped here and left the ticket open for an agent.</p>${htmlList(rows)}`;
}
