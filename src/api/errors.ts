// The API's error vocabulary: handlers throw an AppError with a code, and the one error middleware maps
// codes to HTTP statuses and a JSON body. Unexpected errors answer 500 with a safe message.
import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../logging';

export const API_ERROR_CODES = {
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  TEMPORAL_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_CODES;

export class AppError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: { field?: string; retryAfterSeconds?: number; [k: string]: unknown },
  ) {
    super(message);
    this.name = 'AppError';
  }
  get status(): number {
    return API_ERROR_CODES[this.code];
  }
}

function fromBodyParser(err: Error & { type?: string }): AppError | undefined {
  switch (err.type) {
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', 'Request body is too large');
    case 'entity.parse.failed':
      return new AppError('INVALID_JSON', 'Request body is not valid JSON', { field: '(body)' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', err.message);
    case 'request.aborted':
      return new AppError('BAD_REQUEST', 'Request aborted');
    default:
      return undefined;
  }
}

export function createErrorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const appErr = err instanceof AppError ? err : err instanceof Error ? fromBodyParser(err) : undefined;
    if (!appErr) {
      logger.error({ err, reqId: req.id, path: req.path }, 'unhandled error');
      res
        .status(500)
        .json({ error: { code: 'INTERNAL', message: 'Internal server error', requestId: req.id } });
      return;
    }
    if (appErr.details?.retryAfterSeconds !== undefined) {
      res.setHeader('Retry-After', String(appErr.details.retryAfterSeconds));
    }
    const level = appErr.status >= 500 ? 'warn' : 'info';
    logger[level](
      { reqId: req.id, code: appErr.code, path: req.path, field: appErr.details?.field },
      appErr.message,
    );
    res.status(appErr.status).json({
      error: { code: appErr.code, message: appErr.message, ...appErr.details, requestId: req.id },
    });
  };
}
