// Sandbox-only endpoints under /__sandbox (never faulted or rate limited, no auth: a local test org):
// reset/seed/state, fault rules, rate-limit and hook-delivery knobs, OAuth client registration, and
// the actor endpoints through which a test plays end users and approvers.
import { Router } from 'express';
import { z } from 'zod';
import type { FaultInjector } from '../../common/faults';
import { ZFaultRule } from '../../common/faults';
import type { EventHookDispatcher } from '../event-hooks';
import { oktaErrors } from '../errors';
import type { OAuthTokenService } from '../oauth';
import { ZRateLimitSettings, type OktaRateLimiter } from '../rate-limits';
import { renderRequestV2 } from '../render';
import { applySeed, demoFixture, ZSeedFixture } from '../seed';
import { userActor } from '../tenant';
import type { AccessRequestRecord } from '../types';
import { callContext, param, parseBody, qs, type RouteDeps } from './common';

const ZKnobs = z.object({
  batchWindowMs: z.number().int().min(0).max(60_000).optional(),
  duplicateRate: z.number().min(0).max(1).optional(),
  outOfOrder: z.boolean().optional(),
  timeoutMs: z.number().int().min(1).max(60_000).optional(),
});

const ZOAuthClient = z.object({
  clientId: z.string().min(1),
  name: z.string().optional(),
  publicJwk: z.looseObject({ kty: z.enum(['RSA', 'EC']) }),
  scopes: z.array(z.string().min(1)).min(1),
});

const ZActorRequest = z.object({
  requesterLogin: z.string().min(1),
  entryId: z.string().min(1),
  /** Someone else the request is for (defaults to the requester). */
  requestedForLogin: z.string().min(1).optional(),
  justification: z.string().max(5000).optional(),
  accessDuration: z.string().optional(),
});

const ZDecision = z.object({ approverLogin: z.string().min(1).optional() });

/** Statuses Okta may report that the sandbox never reaches on its own (see Governance.report). */
const ZReport = z
  .object({
    status: z
      .string()
      .regex(/^[A-Z_]+$/)
      .optional(),
    grantStatus: z.enum(['MANUAL_REQUIRED', 'FAILED']).optional(),
    revocationStatus: z.enum(['FAILED']).optional(),
  })
  .strict();

const ZActorEvent = z.object({
  eventType: z.string().min(1),
  userLogin: z.string().min(1),
  displayMessage: z.string().optional(),
  outcome: z.object({ result: z.string(), reason: z.string().nullish() }).optional(),
  severity: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).optional(),
  debugData: z.record(z.string(), z.unknown()).optional(),
  ipAddress: z.string().optional(),
});

export type AdminDeps = RouteDeps & {
  faults: FaultInjector;
  rateLimiter: OktaRateLimiter;
  oauth: OAuthTokenService;
  dispatcher: EventHookDispatcher;
  reset: () => void;
};

export function adminRouter(d: AdminDeps): Router {
  const r = Router();
  const store = d.tenant.store;
  const base = d.publicUrl;

  r.post('/reset', (req, res) => {
    d.reset();
    const seed = qs(req, 'seed');
    if (seed !== undefined && seed !== 'demo' && seed !== 'empty')
      throw oktaErrors.validation('seed', ['seed: must be demo or empty']);
    const result = seed === 'demo' ? applySeed(d.tenant, demoFixture()) : undefined;
    res.json({ reset: true, seed: seed ?? 'empty', ...(result ? { ids: result } : {}) });
  });

  r.post('/seed', (req, res) => {
    const fixture = parseBody(ZSeedFixture, req.body);
    try {
      res.json(applySeed(d.tenant, fixture));
    } catch (err) {
      throw oktaErrors.validation('fixture', [err instanceof Error ? err.message : 'invalid fixture']);
    }
  });

  r.get('/state', (_req, res) => {
    res.json({
      counts: {
        users: store.users.size,
        groups: store.groups.size,
        apps: store.apps.size,
        logEvents: store.logs.length,
        eventHooks: store.hooks.size,
        catalogEntries: store.catalog.size,
        accessRequests: store.requests.size,
        oauthClients: store.oauthClients.size,
      },
      users: [...store.users.values()].map((u) => ({
        id: u.id,
        login: u.profile.login,
        status: u.status,
        groups: store.groupIdsOf(u.id),
        apps: store.appIdsOf(u.id),
      })),
      groups: [...store.groups.values()].map((g) => ({
        id: g.id,
        name: g.profile.name,
        type: g.type,
        members: store.memberIds(g.id).length,
      })),
      apps: [...store.apps.values()].map((a) => ({
        id: a.id,
        name: a.name,
        label: a.label,
        users: a.users.length,
        groups: a.groups.map((g) => g.groupId),
      })),
      catalogEntries: [...store.catalog.values()],
      eventHooks: [...store.hooks.values()].map((h) => ({
        id: h.id,
        name: h.name,
        status: h.status,
        verificationStatus: h.verificationStatus,
        uri: h.channel.config.uri,
        events: h.events.items,
      })),
      accessRequests: [...store.requests.values()].map((x) => renderRequestV2(base(), x)),
      rateLimits: d.rateLimiter.settings(),
      hookDelivery: d.dispatcher.knobs,
    });
  });

  r.post('/faults', (req, res) => {
    const rule = parseBody(ZFaultRule, req.body);
    try {
      res.status(201).json(d.faults.add(rule));
    } catch (err) {
      throw oktaErrors.validation('path', [`path: ${err instanceof Error ? err.message : 'invalid'}`]);
    }
  });
  r.get('/faults', (_req, res) => {
    res.json({ rules: d.faults.list(), applied: d.faults.applied, matched: d.faults.matched });
  });
  r.delete('/faults', (_req, res) => {
    d.faults.clear();
    res.status(204).end();
  });

  r.get('/rate-limits', (_req, res) => {
    res.json(d.rateLimiter.settings());
  });
  r.put('/rate-limits', (req, res) => {
    d.rateLimiter.configure(parseBody(ZRateLimitSettings, req.body));
    res.json(d.rateLimiter.settings());
  });

  r.get('/hook-deliveries', (req, res) => {
    const hookId = qs(req, 'hookId');
    res.json(d.dispatcher.deliveries.filter((x) => !hookId || x.hookId === hookId));
  });
  r.delete('/hook-deliveries', (_req, res) => {
    d.dispatcher.deliveries.length = 0;
    res.status(204).end();
  });
  r.get('/hook-delivery', (_req, res) => {
    res.json(d.dispatcher.knobs);
  });
  r.put('/hook-delivery', (req, res) => {
    const knobs = parseBody(ZKnobs, req.body);
    Object.assign(d.dispatcher.knobs, knobs);
    res.json(d.dispatcher.knobs);
  });

  r.post('/oauth-clients', (req, res) => {
    const body = parseBody(ZOAuthClient, req.body);
    store.oauthClients.set(body.clientId, {
      clientId: body.clientId,
      name: body.name ?? body.clientId,
      publicJwk: body.publicJwk,
      scopes: body.scopes,
    });
    d.tenant.changed();
    res
      .status(201)
      .json({ clientId: body.clientId, scopes: body.scopes, tokenUrl: `${base()}/oauth2/v1/token` });
  });

  // ---- actors: end users and approvers
  r.post('/actor/requests', (req, res) => {
    const body = parseBody(ZActorRequest, req.body);
    const requester = d.tenant.user(body.requesterLogin);
    const requestedFor = body.requestedForLogin ? d.tenant.user(body.requestedForLogin) : requester;
    const actor = userActor(requester);
    const created = d.governance.create(
      {
        entryId: body.entryId,
        requestedForId: requestedFor.id,
        requestedById: requester.id,
        accessDuration: body.accessDuration ?? null,
        requesterFieldValues: body.justification
          ? [
              {
                id: 'justification',
                label: 'Business justification',
                type: 'TEXT',
                value: body.justification,
              },
            ]
          : [],
        actor,
      },
      callContext(req, res, actor),
    );
    res.status(202).json(renderRequestV2(base(), created));
  });

  // Before /:decision, which would take `report` for a decision.
  r.post('/actor/requests/:id/report', (req, res) => {
    const body = parseBody(ZReport, req.body ?? {});
    const rec = d.governance.report(param(req, 'id'), body, callContext(req, res));
    res.json(renderRequestV2(base(), rec));
  });

  r.post('/actor/requests/:id/:decision', (req, res) => {
    const decision = param(req, 'decision');
    if (!['approve', 'deny', 'cancel', 'expire'].includes(decision))
      throw oktaErrors.notFound(`Resource not found: ${req.path}`);
    const body = parseBody(ZDecision, req.body ?? {});
    const needsApprover = decision === 'approve' || decision === 'deny';
    if (needsApprover && !body.approverLogin) throw oktaErrors.missingParameter('approverLogin');
    const approver = body.approverLogin ? d.tenant.user(body.approverLogin) : undefined;
    const rec = d.governance.decide(
      param(req, 'id'),
      decision as 'approve' | 'deny' | 'cancel' | 'expire',
      approver,
      callContext(req, res, approver ? userActor(approver) : undefined),
    );
    res.json(renderRequestV2(base(), rec));
  });

  r.get('/requests/:id/messages', (req, res) => {
    const id = param(req, 'id');
    const rec: AccessRequestRecord | undefined = store.requests.get(id) ?? store.requestByV1(id);
    if (!rec) throw oktaErrors.notFound(`Resource not found: ${id} (AccessRequest)`);
    res.json(rec.messages);
  });

  r.post('/actor/users/:idOrLogin/lock', (req, res) => {
    const u = d.tenant.user(param(req, 'idOrLogin'));
    const locked = d.tenant.lockOut(u.id, callContext(req, res, userActor(u)));
    res.json({ id: locked.id, status: locked.status });
  });

  /** Any event a user's activity would write (sign-in failures, risk, MFA denials), for security flows. */
  r.post('/actor/events', (req, res) => {
    const body = parseBody(ZActorEvent, req.body);
    const u = d.tenant.user(body.userLogin);
    const ctx = callContext(req, res, userActor(u));
    const event = d.tenant.log(body.ipAddress ? { ...ctx, ipAddress: body.ipAddress } : ctx, {
      eventType: body.eventType,
      displayMessage: body.displayMessage ?? body.eventType,
      outcome: body.outcome
        ? { result: body.outcome.result, reason: body.outcome.reason ?? null }
        : undefined,
      severity: body.severity,
      target: [
        {
          id: u.id,
          type: 'User',
          alternateId: u.profile.login,
          displayName: u.profile.login,
          detailEntry: null,
        },
      ],
      debugData: body.debugData,
    });
    res.status(201).json(event);
  });

  return r;
}
