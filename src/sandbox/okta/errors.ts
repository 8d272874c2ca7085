// Okta's error vocabulary for the sandbox: handlers throw OktaApiError and one renderer writes Okta's
// body ({errorCode, errorSummary, errorLink, errorId, errorCauses}) so every failure looks like a real org's.
import type { Request, Response } from 'express';
import { requestId } from './ids';

export type OktaErrorCause = { errorSummary: string; [key: string]: unknown };

export class OktaApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly errorSummary: string,
    readonly errorCauses: OktaErrorCause[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(`${errorCode}: ${errorSummary}`);
    this.name = 'OktaApiError';
  }
}

/** The codes the sandbox answers with (API-CONTRACTS.md §2), as constructors so summaries stay verbatim. */
export const oktaErrors = {
  validation: (what: string, causes: string[] = []) =>
    new OktaApiError(
      400,
      'E0000001',
      `Api validation failed: ${what}`,
      causes.map((c) => ({ errorSummary: c })),
    ),
  malformedBody: (detail?: string) =>
    new OktaApiError(
      400,
      'E0000003',
      'The request body was not well-formed.',
      detail ? [{ errorSummary: detail }] : [],
    ),
  missingParameter: (name: string) =>
    new OktaApiError(400, 'E0000028', `The request is missing a required parameter: ${name}`, [
      { errorSummary: `${name}: is required` },
    ]),
  invalidPaging: () => new OktaApiError(400, 'E0000029', 'Invalid paging request.'),
  invalidSearch: (detail?: string) =>
    new OktaApiError(400, 'E0000031', 'Invalid search criteria.', detail ? [{ errorSummary: detail }] : []),
  invalidToken: (headers: Record<string, string> = {}) =>
    new OktaApiError(401, 'E0000011', 'Invalid token provided', [], headers),
  forbidden: (headers: Record<string, string> = {}, causes: string[] = []) =>
    new OktaApiError(
      403,
      'E0000006',
      'You do not have permission to perform the requested action',
      causes.map((c) => ({ errorSummary: c })),
      headers,
    ),
  alreadyActive: () =>
    new OktaApiError(403, 'E0000016', 'Activation failed because the user is already active'),
  wrongStatus: () =>
    new OktaApiError(403, 'E0000038', "This operation is not allowed in the user's current status."),
  /** Per-user unassignment of an app a group still grants (API-CONTRACTS.md §13). */
  groupGrantsApp: () =>
    new OktaApiError(403, 'E0000046', 'Deactivate application for user forbidden.', [
      {
        errorSummary:
          'The application cannot be unassigned from the user while their group memberships grant them access',
      },
    ]),
  /** Unlock of a user who is not LOCKED_OUT (Okta's catalog refusal for the unlock operation). */
  unlockNotAllowed: () => new OktaApiError(403, 'E0000032', 'Unlock is not allowed for this user.'),
  /** DELETE /apps/{id} while the app is ACTIVE: Okta deletes only INACTIVE apps. */
  deleteActiveApp: () =>
    new OktaApiError(403, 'E0000056', 'Delete application forbidden.', [
      { errorSummary: 'Only an INACTIVE application can be deleted; deactivate it first' },
    ]),
  /** System Log `since` older than 180 days (Okta's System Log query guide, Errors). */
  sinceTooOld: () =>
    new OktaApiError(
      400,
      'E0000053',
      'Invalid parameter: The since parameter is over 180 days prior to the current day.',
    ),
  notFound: (what: string) => new OktaApiError(404, 'E0000007', `Not found: ${what}`),
  methodNotAllowed: () =>
    new OktaApiError(405, 'E0000022', 'The endpoint does not support the provided HTTP method'),
  conflict: (what: string) =>
    new OktaApiError(409, 'E0000195', `Api validation failed due to conflict: ${what}`),
  rateLimited: (headers: Record<string, string> = {}) =>
    new OktaApiError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.', [], headers),
  internal: () =>
    new OktaApiError(500, 'E0000009', 'Internal Server Error', [
      { errorSummary: 'An unexpected error occurred' },
    ]),
};

/** Error body for a status with no specific Okta code (used by fault injection). */
export function errorForStatus(status: number): OktaApiError {
  if (status === 401) return oktaErrors.invalidToken();
  if (status === 403) return oktaErrors.forbidden();
  if (status === 404) return oktaErrors.notFound('Resource');
  if (status === 409) return oktaErrors.conflict('resource');
  if (status === 429) return oktaErrors.rateLimited();
  if (status === 400) return oktaErrors.validation('request');
  if (status >= 500)
    return new OktaApiError(status, 'E0000009', 'Internal Server Error', [
      { errorSummary: 'An unexpected error occurred' },
    ]);
  return new OktaApiError(status, 'E0000001', 'Api validation failed: request');
}

export function sendOktaError(res: Response, err: OktaApiError): void {
  for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
  const errorId = `oae${requestId().slice(0, 19)}`;
  res.status(err.status).json({
    errorCode: err.errorCode,
    errorSummary: err.errorSummary,
    errorLink: err.errorCode,
    errorId,
    errorCauses: err.errorCauses,
  });
}

/** The FaultInjector renderer: status faults carry Okta bodies (429 faults also get rate-limit headers). */
export function renderFault(res: Response, status: number, _req: Request): void {
  const err = errorForStatus(status);
  if (status === 429 && !res.getHeader('x-rate-limit-reset')) {
    res.setHeader('X-Rate-Limit-Limit', '0');
    res.setHeader('X-Rate-Limit-Remaining', '0');
    res.setHeader('X-Rate-Limit-Reset', String(Math.ceil(Date.now() / 1000) + 1));
  }
  sendOktaError(res, err);
}
