// The sandbox Freshservice as an Express app: admin routes first (never faulted or rate limited), then
// the /api/v2 pipeline in the order a real account applies it to a call: version header, rate budget,
// injected faults, Basic auth, JSON-only bodies, the resource routers, and one Freshservice error renderer.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Logger } from '../../logging';
import type { FaultInjector } from '../common/faults';
import type { WindowRateLimiter } from '../common/rate-limit';
import type { Automator } from './automator';
import { rateLimitMiddleware, type TRateLimits } from './rate-limits';
import { createAdminRouter } from './routes/admin';
import { createCatalogRouter } from './routes/catalog';
import type { SandboxContext } from './routes/context';
import { createPeopleRouter } from './routes/people';
import { createTicketsRouter } from './routes/tickets';
import { FsApiError, errorForStatus, sendError } from './wire';

export type FreshserviceSandboxParts = SandboxContext & {
  automator: Automator;
  faults: FaultInjector;
  limiter: WindowRateLimiter;
  getRateLimits(): TRateLimits;
  setRateLimits(l: TRateLimits): void;
  apiKeys: readonly string[];
  logger?: Logger;
  /** Mount /__sandbox (default true). */
  admin?: boolean;
};

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Basic `<apikey>:X` (any password); keys compared in constant time. */
function basicAuth(apiKeys: readonly string[]): RequestHandler {
  const keys = apiKeys.map(digest);
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
    const user = m?.[1] ? Buffer.from(m[1], 'base64').toString('utf8').split(':')[0] : undefined;
    const given = user ? digest(user) : undefined;
    if (!given || !keys.some((k) => timingSafeEqual(k, given))) {
      return sendError(res, errorForStatus(401));
    }
    next();
  };
}

/** JSON only: a body with another content type is a 415, as Freshservice answers. */
const jsonOnly: RequestHandler = (req, res, next) => {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is('application/json')) return sendError(res, errorForStatus(415));
  next();
};

function errorHandler(logger?: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof FsApiError) return sendError(res, err);
    const type = (err as { type?: unknown }).type;
    if (type === 'entity.parse.failed') {
      return sendError(
        res,
        new FsApiError(400, 'Validation failed', [
          { message: 'Request body has invalid json format', code: 'invalid_json' },
        ]),
      );
    }
    if (type === 'entity.too.large')
      return sendError(
        res,
        new FsApiError(413, 'Request entity too large', [
          { message: 'Payload too large', code: 'invalid_value' },
        ]),
      );
    logger?.error({ err, method: req.method, path: req.path }, 'sandbox freshservice handler failed');
    sendError(res, errorForStatus(500));
  };
}

export function createFreshserviceSandboxApp(parts: FreshserviceSandboxParts): Express {
  const app = express();
  app.disable('x-powered-by');
  const json = express.json({ limit: '2mb' });
  const onError = errorHandler(parts.logger);

  if (parts.logger) {
    const log = parts.logger.child({ component: 'sandbox-freshservice' });
    app.use((req, res, next) => {
      const started = Date.now();
      res.on('finish', () =>
        log.debug(
          { method: req.method, path: req.path, status: res.statusCode, ms: Date.now() - started },
          'request',
        ),
      );
      next();
    });
  }

  if (parts.admin !== false) {
    app.use('/__sandbox', json, createAdminRouter(parts));
    app.use('/__sandbox', (_req, _res, next) => next(errorForStatus(404)));
    app.use('/__sandbox', onError);
  }

  app.use('/api/v2', (_req, res, next) => {
    res.setHeader('X-Freshservice-Api-Version', 'latest=v2; requested=v2');
    res.setHeader('X-Request-Id', randomUUID());
    next();
  });
  app.use(
    '/api/v2',
    rateLimitMiddleware(parts.limiter, () => parts.getRateLimits()),
  );
  // Faults match the full path (/api/v2/tickets), so the injector is mounted without a prefix.
  const faulted = parts.faults.middleware((res, status) => {
    if (status === 429 && res.getHeader('Retry-After') === undefined) res.setHeader('Retry-After', '1');
    sendError(res, errorForStatus(status));
  });
  app.use((req, res, next) =>
    req.path.startsWith('/api/v2/') || req.path === '/api/v2' ? faulted(req, res, next) : next(),
  );
  app.use('/api/v2', basicAuth(parts.apiKeys), jsonOnly, json);
  app.use('/api/v2', createTicketsRouter(parts), createCatalogRouter(parts), createPeopleRouter(parts));
  app.use((_req, _res, next) => next(errorForStatus(404)));
  app.use(onError);
  return app;
}
