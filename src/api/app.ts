// The Express app factory: request ids and structured logs on every request, health endpoints, the
// routers each capability adds, and the one error middleware. A factory so tests build it over real
// HTTP with their own Temporal gateway and config.
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Config } from '../config';
import type { Logger } from '../logging';
import { createAdminRouter } from './admin';
import { censorSecretHeaders } from './auth';
import { createErrorMiddleware, AppError } from './errors';
import { createHealthRouter } from './health';
import type { TemporalGateway } from './temporal-gateway';
import { createWebhookRouter } from './webhooks';

export type AppDeps = {
  config: Config;
  logger: Logger;
  temporal: TemporalGateway;
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      // Webhook secrets ride in headers; request logs keep the header names, never their values.
      serializers: { req: censorSecretHeaders },
    }),
  );

  app.use(createHealthRouter({ temporal: deps.temporal }));
  app.use('/webhooks', createWebhookRouter(deps));
  app.use('/admin', createAdminRouter(deps));

  app.use((req, _res, next) => {
    next(new AppError('NOT_FOUND', `No route for ${req.method} ${req.path}`));
  });
  app.use(createErrorMiddleware(deps.logger));
  return app;
}
