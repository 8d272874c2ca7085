// The sandbox Okta org: builds its runtime (store, rules, OIG, event hooks, rate limits, faults, OAuth)
// from options and mounts it on an Express app in Okta's order: request id → body parsing → /__sandbox
// (never limited or faulted) → rate limits → faults → token endpoint → authentication → API → errors.
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../../logging';
import { FaultInjector } from '../common/faults';
import { JsonFilePersistence } from '../common/persistence';
import { authenticate } from './auth';
import { errorForStatus, oktaErrors, OktaApiError, renderFault, sendOktaError } from './errors';
import { EventHookDispatcher, type HookDeliveryKnobs } from './event-hooks';
import { Governance } from './governance';
import { requestId } from './ids';
import { OAuthTokenService } from './oauth';
import { OktaRateLimiter, type OktaRateLimitSettings } from './rate-limits';
import { adminRouter } from './routes/admin';
import { appsRouter } from './routes/apps';
import type { RouteDeps } from './routes/common';
import { eventHooksRouter } from './routes/event-hooks';
import { governanceRouter } from './routes/governance';
import { groupsRouter } from './routes/groups';
import { logsRouter } from './routes/logs';
import { usersRouter } from './routes/users';
import { applySeed, demoFixture } from './seed';
import { OktaStore, type OktaSnapshot } from './store';
import type { CallContext } from './system-log';
import { OktaTenant, SYSTEM_ACTOR } from './tenant';

export type OktaSandboxOptions = {
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Absolute URL used in Link headers, _links, token audience and event-hook `source` (default: the listen URL). */
  publicUrl?: string;
  /** JSON persistence; undefined keeps state in memory only. */
  dataFile?: string;
  /** Accepted `Authorization: SSWS <token>` values. */
  apiTokens: string[];
  /** 'demo' seeds src/sandbox/demo-tenant.ts when there is no persisted state (default 'empty'). */
  seed?: 'demo' | 'empty';
  rateLimits?: OktaRateLimitSettings;
  /** Rate-limit window (default 60000); tests shorten it. */
  rateWindowMs?: number;
  logger?: Logger;
  hookDelivery?: Partial<HookDeliveryKnobs>;
  /** Mount /__sandbox endpoints (default true). */
  admin?: boolean;
  /** The spec secures the OIG list endpoints with OAuth only; set false to let SSWS list them too. */
  oigListRequiresOAuth?: boolean;
  /** Newest System Log rows kept (default 100000). */
  maxLogEvents?: number;
};

const ZSnapshotShape = z.looseObject({
  version: z.number(),
  seq: z.number().int().min(0),
  users: z.array(z.unknown()),
  groups: z.array(z.unknown()),
  apps: z.array(z.unknown()),
  logs: z.array(z.unknown()),
  requests: z.array(z.unknown()),
});

export class OktaSandboxRuntime {
  readonly store: OktaStore;
  readonly tenant: OktaTenant;
  readonly governance: Governance;
  readonly dispatcher: EventHookDispatcher;
  readonly rateLimiter: OktaRateLimiter;
  readonly faults: FaultInjector;
  readonly oauth: OAuthTokenService;
  private readonly persistence: JsonFilePersistence<OktaSnapshot | OktaStore> | undefined;
  /** Set once the server listens (or from options). */
  publicUrl = '';
  listenUrl = '';

  constructor(readonly options: OktaSandboxOptions) {
    this.store = new OktaStore(options.maxLogEvents);
    this.persistence = options.dataFile ? new JsonFilePersistence(options.dataFile) : undefined;
    this.dispatcher = new EventHookDispatcher(
      {
        hooks: () => this.store.hooks.values(),
        publicUrl: () => this.publicUrl,
        logger: options.logger,
        onFailure: (hook, eventId, attempt) =>
          this.tenant.log(this.systemContext(`/api/v1/eventHooks/${hook.id}`), {
            eventType: 'event_hook.delivery',
            displayMessage: 'Event hook delivery failed',
            severity: 'WARN',
            outcome: { result: 'FAILURE', reason: `delivery ${eventId} failed: ${String(attempt.status)}` },
            target: [
              {
                id: hook.id,
                type: 'EventHook',
                alternateId: hook.channel.config.uri,
                displayName: hook.name,
                detailEntry: null,
              },
            ],
          }),
      },
      options.hookDelivery,
    );
    this.tenant = new OktaTenant(this.store, {
      onChange: () => this.persistence?.save(this.store),
      onEvent: (e) => this.dispatcher.dispatch(e),
    });
    this.governance = new Governance(this.tenant, options.logger);
    // Rule ids are persisted with the org, so a restart never hands one out again.
    this.faults = new FaultInjector({
      next: () => {
        const id = this.store.next('faultRule');
        this.tenant.changed();
        return id;
      },
    });
    this.rateLimiter = new OktaRateLimiter(
      options.rateLimits,
      options.rateWindowMs ?? 60_000,
      (bucket, req) => {
        this.tenant.log(this.systemContext(req.originalUrl), {
          eventType:
            bucket === 'concurrency' ? 'core.concurrency.org.limit.violation' : 'system.rate.limit.violation',
          displayMessage: `Rate limit violation (${bucket})`,
          severity: 'WARN',
          outcome: { result: 'RATE_LIMIT', reason: null },
          debugData: { rateLimitBucket: bucket },
        });
      },
    );
    this.oauth = new OAuthTokenService(this.store.oauthClients, () => [
      ...new Set([this.publicUrl, this.listenUrl].filter(Boolean)),
    ]);
  }

  systemContext(url: string): CallContext {
    return { actor: SYSTEM_ACTOR, ipAddress: '127.0.0.1', userAgent: 'Okta', requestId: requestId(), url };
  }

  /** Loads persisted state, or seeds a fresh org. */
  initialise(): void {
    const raw = this.persistence?.load();
    if (raw !== undefined) {
      const shape = ZSnapshotShape.safeParse(raw);
      if (!shape.success)
        throw new Error(`sandbox Okta data file ${this.options.dataFile} is not a snapshot`);
      this.store.load(raw as OktaSnapshot);
      this.governance.restoreTimers(this.systemContext('/governance/api/v2/requests'));
      return;
    }
    if (this.options.seed === 'demo') applySeed(this.tenant, demoFixture());
  }

  /** Empties the org (admin reset). */
  reset(): void {
    this.dispatcher.clearPending();
    this.dispatcher.deliveries.length = 0;
    this.governance.clearTimers();
    this.rateLimiter.resetWindows();
    this.faults.clear();
    this.oauth.revokeAll();
    this.store.clear();
    this.tenant.changed();
  }

  close(): void {
    this.dispatcher.close();
    this.governance.close();
    this.persistence?.flush();
  }
}

export function createOktaSandboxApp(rt: OktaSandboxRuntime): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  const deps: RouteDeps = {
    tenant: rt.tenant,
    governance: rt.governance,
    dispatcher: rt.dispatcher,
    publicUrl: () => rt.publicUrl,
    oigListRequiresOAuth: () => rt.options.oigListRequiresOAuth ?? true,
  };

  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Okta-Request-Id', requestId());
    next();
  });
  app.use(express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] }));
  app.use('/oauth2/v1/token', express.urlencoded({ extended: false, limit: '64kb' }));

  if (rt.options.admin ?? true) {
    app.use(
      '/__sandbox',
      adminRouter({
        ...deps,
        faults: rt.faults,
        rateLimiter: rt.rateLimiter,
        oauth: rt.oauth,
        reset: () => rt.reset(),
      }),
    );
  }

  app.use(rt.rateLimiter.middleware());
  app.use(rt.faults.middleware(renderFault));

  app.post('/oauth2/v1/token', (req, res) => rt.oauth.handle(req, res));
  app.use(
    authenticate({
      apiTokens: () => rt.options.apiTokens,
      accessToken: (t) => rt.oauth.lookup(t),
      realm: () => rt.publicUrl,
    }),
  );
  app.use(usersRouter(deps));
  app.use(groupsRouter(deps));
  app.use(appsRouter(deps));
  app.use(logsRouter(deps));
  app.use(eventHooksRouter(deps));
  app.use(governanceRouter(deps));

  app.use((req: Request) => {
    throw oktaErrors.notFound(`Resource not found: ${req.path}`);
  });

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof OktaApiError) return sendOktaError(res, err);
    const e = err as { type?: string; status?: number };
    if (e?.type === 'entity.parse.failed') return sendOktaError(res, oktaErrors.malformedBody());
    if (e?.type === 'entity.too.large')
      return sendOktaError(res, oktaErrors.validation('body', ['body: too large']));
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500)
      return sendOktaError(res, errorForStatus(e.status));
    rt.options.logger?.error(
      { err, path: req.path, requestId: res.getHeader('X-Okta-Request-Id') },
      'sandbox Okta handler failed',
    );
    sendOktaError(res, oktaErrors.internal());
  });
  return app;
}
