// /api/v1/eventHooks: register, list, read, replace, activate/deactivate, verify (the GET challenge to the
// hook's URI) and delete (only INACTIVE hooks, as Okta requires).
import { Router } from 'express';
import { z } from 'zod';
import { requireScope } from '../auth';
import { oktaErrors, OktaApiError } from '../errors';
import { HOOK_ELIGIBLE_EVENT_TYPES } from '../event-hooks';
import { ID_PREFIX, oktaId } from '../ids';
import { renderHook } from '../render';
import type { CallContext } from '../system-log';
import type { EventHookRecord, LogTarget } from '../types';
import { callContext, param, parseBody, type RouteDeps } from './common';

const MAX_ACTIVE_VERIFIED = 25;

const ZEventHookBody = z.object({
  name: z.string().min(1).max(255),
  description: z.string().max(1024).nullish(),
  events: z.object({
    type: z.literal('EVENT_TYPE'),
    items: z.array(z.string().min(1)).min(1).max(300),
    filter: z.unknown().optional(),
  }),
  channel: z.object({
    type: z.literal('HTTP'),
    version: z.string().default('1.0.0'),
    config: z.object({
      // Real Okta accepts https only; the sandbox also takes http so local receivers work.
      uri: z.url({ protocol: /^https?$/ }),
      headers: z.array(z.object({ key: z.string().min(1), value: z.string() })).default([]),
      // `value` is write-only: Okta never returns it, so a read-modify-write PUT arrives without it and
      // keeps the stored secret (fromBody); a new scheme must bring one.
      authScheme: z
        .object({ type: z.literal('HEADER'), key: z.string().min(1), value: z.string().nullish() })
        .nullish(),
    }),
  }),
});

type TAuthSchemeBody = z.infer<typeof ZEventHookBody>['channel']['config']['authScheme'];

/** The scheme to store: a sent value wins; without one the previous secret stays; none at all is 400. */
function authSchemeOf(
  sent: TAuthSchemeBody,
  prev: EventHookRecord | undefined,
): EventHookRecord['channel']['config']['authScheme'] {
  if (!sent) return null;
  const value = sent.value ?? prev?.channel.config.authScheme?.value;
  if (value === undefined || value === null)
    throw oktaErrors.validation('channel.config.authScheme.value', [
      'channel.config.authScheme.value: The field cannot be left blank',
    ]);
  return { type: sent.type, key: sent.key, value };
}

const hookTarget = (h: EventHookRecord): LogTarget => ({
  id: h.id,
  type: 'EventHook',
  alternateId: h.channel.config.uri,
  displayName: h.name,
  detailEntry: null,
});

export function eventHooksRouter(d: RouteDeps): Router {
  const r = Router();
  const base = d.publicUrl;
  const read = requireScope('okta.eventHooks.read');
  const manage = requireScope('okta.eventHooks.manage');
  const store = d.tenant.store;

  const hook = (id: string): EventHookRecord => {
    const h = store.hooks.get(id);
    if (!h) throw oktaErrors.notFound(`Resource not found: ${id} (EventHook)`);
    return h;
  };
  const log = (ctx: CallContext, h: EventHookRecord, eventType: string, displayMessage: string) =>
    d.tenant.log(ctx, { eventType, displayMessage, target: [hookTarget(h)] });
  const checkEligible = (items: string[]) => {
    const bad = items.filter((t) => !HOOK_ELIGIBLE_EVENT_TYPES.has(t));
    if (bad.length)
      throw oktaErrors.validation(
        'events.items',
        bad.map((t) => `events.items: ${t} is not an event hook eligible event type`),
      );
  };
  const activeVerified = () =>
    [...store.hooks.values()].filter((h) => h.status === 'ACTIVE' && h.verificationStatus === 'VERIFIED')
      .length;
  const fromBody = (body: z.infer<typeof ZEventHookBody>, prev?: EventHookRecord): EventHookRecord => {
    const now = d.tenant.now();
    return {
      id: prev?.id ?? oktaId(ID_PREFIX.hook),
      name: body.name,
      description: body.description ?? null,
      status: prev?.status ?? 'ACTIVE',
      // A changed URI must be verified again.
      verificationStatus:
        prev && prev.channel.config.uri === body.channel.config.uri ? prev.verificationStatus : 'UNVERIFIED',
      events: { type: 'EVENT_TYPE', items: [...new Set(body.events.items)], filter: body.events.filter },
      channel: {
        type: 'HTTP',
        version: body.channel.version,
        config: {
          uri: body.channel.config.uri,
          headers: body.channel.config.headers,
          authScheme: authSchemeOf(body.channel.config.authScheme, prev),
        },
      },
      created: prev?.created ?? now,
      createdBy: prev?.createdBy ?? '',
      lastUpdated: now,
    };
  };

  r.post('/api/v1/eventHooks', manage, (req, res) => {
    const body = parseBody(ZEventHookBody, req.body);
    checkEligible(body.events.items);
    const ctx = callContext(req, res);
    const h = { ...fromBody(body), createdBy: ctx.actor.id };
    store.hooks.set(h.id, h);
    log(ctx, h, 'event_hook.created', 'Event hook created');
    res.json(renderHook(base(), h));
  });

  r.get('/api/v1/eventHooks', read, (_req, res) => {
    res.json([...store.hooks.values()].map((h) => renderHook(base(), h)));
  });

  r.get('/api/v1/eventHooks/:id', read, (req, res) => {
    res.json(renderHook(base(), hook(param(req, 'id'))));
  });

  r.put('/api/v1/eventHooks/:id', manage, (req, res) => {
    const prev = hook(param(req, 'id'));
    const body = parseBody(ZEventHookBody, req.body);
    checkEligible(body.events.items);
    const h = fromBody(body, prev);
    store.hooks.set(h.id, h);
    log(callContext(req, res), h, 'event_hook.updated', 'Event hook updated');
    res.json(renderHook(base(), h));
  });

  r.post('/api/v1/eventHooks/:id/lifecycle/:op', manage, async (req, res) => {
    const h = hook(param(req, 'id'));
    const ctx = callContext(req, res);
    const now = d.tenant.now();
    switch (param(req, 'op')) {
      case 'activate': {
        if (
          h.status !== 'ACTIVE' &&
          h.verificationStatus === 'VERIFIED' &&
          activeVerified() >= MAX_ACTIVE_VERIFIED
        )
          throw oktaErrors.validation('eventHook', [
            `At most ${MAX_ACTIVE_VERIFIED} active event hooks are allowed`,
          ]);
        const next = { ...h, status: 'ACTIVE' as const, lastUpdated: now };
        store.hooks.set(h.id, next);
        log(ctx, next, 'event_hook.activated', 'Event hook activated');
        res.json(renderHook(base(), next));
        return;
      }
      case 'deactivate': {
        const next = { ...h, status: 'INACTIVE' as const, lastUpdated: now };
        store.hooks.set(h.id, next);
        log(ctx, next, 'event_hook.deactivated', 'Event hook deactivated');
        res.json(renderHook(base(), next));
        return;
      }
      case 'verify': {
        if (
          h.status === 'ACTIVE' &&
          h.verificationStatus !== 'VERIFIED' &&
          activeVerified() >= MAX_ACTIVE_VERIFIED
        )
          throw oktaErrors.validation('eventHook', [
            `At most ${MAX_ACTIVE_VERIFIED} active event hooks are allowed`,
          ]);
        const result = await d.dispatcher.verify(h);
        if (!result.ok) {
          throw new OktaApiError(400, 'E0000001', 'Api validation failed: eventHook', [
            { errorSummary: `Event hook verification failed: ${result.reason}` },
          ]);
        }
        // The hook may have changed while the challenge was in flight; verify the current version.
        const current = store.hooks.get(h.id) ?? h;
        const next = { ...current, verificationStatus: 'VERIFIED' as const, lastUpdated: d.tenant.now() };
        store.hooks.set(h.id, next);
        log(ctx, next, 'event_hook.verified', 'Event hook verified');
        res.json(renderHook(base(), next));
        return;
      }
      default:
        throw oktaErrors.notFound(`Resource not found: ${req.path}`);
    }
  });

  r.delete('/api/v1/eventHooks/:id', manage, (req, res) => {
    const h = hook(param(req, 'id'));
    if (h.status !== 'INACTIVE')
      throw oktaErrors.validation('eventHook', [
        'Only an INACTIVE event hook can be deleted; deactivate it first',
      ]);
    store.hooks.delete(h.id);
    log(callContext(req, res), h, 'event_hook.deleted', 'Event hook deleted');
    res.status(204).end();
  });

  return r;
}
