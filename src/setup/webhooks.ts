// Points the tenants' webhooks at our API: registers (or finds) the Okta event hook for access-request
// events and verifies it, and builds the Freshservice Workflow Automator rules. `npm start` runs it
// against the sandboxes; `npm run cli -- setup` runs it against a real tenant.
// The event types come from the intake table (src/intake/table.ts), so subscription and routing agree.
import { OKTA_HOOK_EVENT_TYPES } from '../intake';
import type { OktaClient, TOktaEventHook } from '../integrations/okta';
import {
  FRESHSERVICE_WEBHOOK_EVENTS,
  FRESHSERVICE_WEBHOOK_SECRET_HEADER,
  freshserviceWebhookTemplate,
  type FreshserviceWebhookEvent,
} from '../integrations/freshservice';
import type { Logger } from '../logging';

export const OKTA_HOOK_NAME = 'access-bridge access requests';

/**
 * Ensures one ACTIVE, VERIFIED event hook posts our event types to `uri` with the shared secret. An existing
 * hook for the same URI is reused (Okta never returns the secret, so rotate by deleting it first).
 */
export async function ensureOktaEventHook(
  okta: OktaClient,
  opts: { uri: string; secret: string; removeStale?: boolean },
  logger?: Logger,
): Promise<{ hook: TOktaEventHook; created: boolean }> {
  const hooks = await okta.listEventHooks();
  if (opts.removeStale) {
    // Our hooks left pointing at an address we no longer listen on (a changed port or public URL).
    for (const stale of hooks.filter((h) => h.name === OKTA_HOOK_NAME && h.channel.config.uri !== opts.uri)) {
      if (stale.status === 'ACTIVE') await okta.deactivateEventHook(stale.id);
      await okta.deleteEventHook(stale.id);
      logger?.info({ hookId: stale.id, uri: stale.channel.config.uri }, 'removed a stale Okta event hook');
    }
  }
  let hook = hooks.find((h) => h.channel.config.uri === opts.uri);
  const created = !hook;
  if (!hook) {
    hook = await okta.createEventHook({
      name: OKTA_HOOK_NAME,
      eventTypes: [...OKTA_HOOK_EVENT_TYPES],
      uri: opts.uri,
      auth: { key: 'Authorization', value: opts.secret },
      description: 'Carries OIG access requests to Freshservice tickets (access-bridge).',
    });
  }
  if (hook.status !== 'ACTIVE') hook = await okta.activateEventHook(hook.id);
  if (hook.verificationStatus !== 'VERIFIED') hook = await okta.verifyEventHook(hook.id);
  logger?.info({ hookId: hook.id, uri: opts.uri, created }, 'Okta event hook ready');
  return { hook, created };
}

export type AutomatorRule = {
  name: string;
  event: FreshserviceWebhookEvent;
  url: string;
  headers: Record<string, string>;
  body: string;
};

/** One "Trigger Webhook" rule per event, as README tells an admin to configure them. */
export function freshserviceAutomatorRules(opts: { uri: string; secret: string }): AutomatorRule[] {
  return FRESHSERVICE_WEBHOOK_EVENTS.map((event) => ({
    name: `access-bridge: ${event}`,
    event,
    url: opts.uri,
    headers: { [FRESHSERVICE_WEBHOOK_SECRET_HEADER]: opts.secret },
    body: freshserviceWebhookTemplate(event),
  }));
}
