// Turns vendor errors into Temporal failures at the activity boundary: rate limits and outages retry (a
// 429 after the vendor's own retry-after), permanent 4xx fail at once with a `type` from
// VENDOR_ERROR_TYPES, which workflows branch on (a note on the ticket, never a stuck run).
import { ApplicationFailure } from '@temporalio/common';
import { VendorError } from '../integrations/errors';

/**
 * The first element of a vendor failure's `details`, as workflows read it (src/workflows/vendor-refusal.ts):
 * stored in histories, so fields are only ever added.
 */
export type VendorFailureDetails = {
  vendor: string;
  status: number | null;
  vendorCode: string | null;
  summary: string | null;
  requestId: string | null;
  causes: { field?: string; message: string; code?: string }[];
  remedy: string | null;
};

export function toApplicationFailure(err: unknown): unknown {
  if (!(err instanceof VendorError)) return err;
  return ApplicationFailure.create({
    message: `${err.vendor} ${err.method ?? ''} ${err.path ?? ''}: ${err.message}`.replace(/\s+/g, ' '),
    type: err.type,
    nonRetryable: !err.retryable,
    nextRetryDelay:
      err.type === 'RATE_LIMITED' && err.retryAfterMs !== undefined
        ? Math.max(err.retryAfterMs, 100)
        : undefined,
    details: [
      {
        vendor: err.vendor,
        status: err.status ?? null,
        vendorCode: err.vendorCode ?? null,
        summary: err.summary ?? null,
        requestId: err.requestId ?? null,
        causes: err.causes,
        remedy: err.remedy ?? null,
      } satisfies VendorFailureDetails,
    ],
    cause: err,
  });
}

/** Wraps every function of an activity object so vendor errors leave it as typed Temporal failures. */
export function withFailureMapping<T extends object>(activities: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) {
    if (typeof fn !== 'function') continue;
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (err) {
        throw toApplicationFailure(err);
      }
    };
  }
  return wrapped as T;
}
