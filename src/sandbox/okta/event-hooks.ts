// Event hook delivery as Okta does it: System Log events a verified, active hook subscribes to are batched
// into one envelope per window and POSTed with the hook's auth header, at least once (optional duplicates
// and reordering), one retry on 5xx or timeout. Also the one-time GET verification challenge.
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../logging';
import { deliverJson, type DeliveryAttempt } from '../common/outbound';
import { uuid } from './ids';
import type { EventHookRecord, LogEvent } from './types';

export type HookDeliveryKnobs = {
  /** Events for the same hook within this window travel in one POST. */
  batchWindowMs: number;
  /** Probability (0–1) that a delivered batch is sent again with the same eventId. */
  duplicateRate: number;
  /** Shuffle events inside a batch and let batches overtake each other. */
  outOfOrder: boolean;
  /** Okta waits 3 s per attempt. */
  timeoutMs: number;
};

export const DEFAULT_HOOK_KNOBS: HookDeliveryKnobs = {
  batchWindowMs: 250,
  duplicateRate: 0,
  outOfOrder: false,
  timeoutMs: 3000,
};

export type HookDeliveryRecord = {
  hookId: string;
  eventId: string;
  eventTypes: string[];
  eventUuids: string[];
  duplicate: boolean;
  outcome: 'delivered' | 'failed';
  attempts: DeliveryAttempt[];
};

/** Event types the sandbox lets a hook subscribe to: the hook-eligible ones of API-CONTRACTS.md §6. */
export const HOOK_ELIGIBLE_EVENT_TYPES = new Set([
  'access.request.create',
  'access.request.update',
  'access.request.resolve',
  'access.request.cancel',
  'access.request.expire',
  'access.request.reject',
  'access.request.condition.create',
  'access.request.condition.update',
  'access.request.condition.activate',
  'access.request.condition.deactivate',
  'access.request.condition.delete',
  'access.request.condition.invalidate',
  'access.request.sequence.create',
  'access.request.sequence.update',
  'access.request.sequence.delete',
  'access.request.settings.update',
  'user.account.lock',
  'user.session.start',
  'user.authentication.auth_via_mfa',
  'user.risk.detect',
  'user.risk.change',
  'security.breached_credential.detected',
  'user.account.report_suspicious_activity_by_enduser',
  'user.mfa.factor.activate',
  'user.mfa.factor.deactivate',
  'user.mfa.factor.reset_all',
  'user.mfa.factor.suspend',
  'user.mfa.factor.unsuspend',
  'user.mfa.factor.update',
  'user.lifecycle.create',
  'user.lifecycle.activate',
  'user.lifecycle.deactivate',
  'user.lifecycle.suspend',
  'user.lifecycle.unsuspend',
  'user.lifecycle.reactivate',
  'user.lifecycle.delete.initiated',
  'user.account.update_profile',
  'user.account.unlock',
  'user.account.unlock_by_admin',
  'user.account.reset_password',
  'user.account.privilege.grant',
  'user.account.privilege.revoke',
  'group.user_membership.add',
  'group.user_membership.remove',
  'group.application_assignment.add',
  'group.application_assignment.remove',
  'group.application_assignment.update',
  'application.user_membership.add',
  'application.user_membership.remove',
  'application.user_membership.update',
  'application.user_membership.change_password',
]);

function authHeaders(h: EventHookRecord): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { key, value } of h.channel.config.headers) headers[key] = value;
  const auth = h.channel.config.authScheme;
  if (auth) headers[auth.key] = auth.value;
  return headers;
}

export class EventHookDispatcher {
  knobs: HookDeliveryKnobs;
  private buffers = new Map<string, { events: LogEvent[]; timer: NodeJS.Timeout }>();
  /** Per hook, the tail of its delivery chain, so batches arrive in order unless outOfOrder says otherwise. */
  private chains = new Map<string, Promise<void>>();
  readonly deliveries: HookDeliveryRecord[] = [];
  private closed = false;

  constructor(
    private readonly opts: {
      hooks: () => Iterable<EventHookRecord>;
      publicUrl: () => string;
      logger?: Logger;
      /** Records `event_hook.delivery` failures in the System Log. */
      onFailure: (hook: EventHookRecord, eventId: string, attempt: DeliveryAttempt) => void;
      maxRecords?: number;
    },
    knobs: Partial<HookDeliveryKnobs> = {},
  ) {
    this.knobs = { ...DEFAULT_HOOK_KNOBS, ...knobs };
  }

  /** Called for every System Log row as it is written. */
  dispatch(event: LogEvent): void {
    if (this.closed) return;
    for (const hook of this.opts.hooks()) {
      if (hook.status !== 'ACTIVE' || hook.verificationStatus !== 'VERIFIED') continue;
      if (!hook.events.items.includes(event.eventType)) continue;
      let buf = this.buffers.get(hook.id);
      if (!buf) {
        const hookId = hook.id;
        buf = { events: [], timer: setTimeout(() => this.flush(hookId), this.knobs.batchWindowMs) };
        this.buffers.set(hook.id, buf);
      }
      buf.events.push(event);
    }
  }

  private flush(hookId: string): void {
    const buf = this.buffers.get(hookId);
    this.buffers.delete(hookId);
    if (!buf || this.closed) return;
    const hook = [...this.opts.hooks()].find((h) => h.id === hookId);
    if (!hook) return;
    const events = [...buf.events];
    if (this.knobs.outOfOrder) shuffle(events);
    const envelope = {
      eventType: 'com.okta.event_hook',
      eventTypeVersion: '1.0',
      cloudEventsVersion: '0.1',
      source: `${this.opts.publicUrl()}/api/v1/eventHooks/${hook.id}`,
      eventId: uuid(),
      eventTime: new Date().toISOString(),
      contentType: 'application/json',
      data: { events },
    };
    const send = async (duplicate: boolean) => {
      const attempts: DeliveryAttempt[] = [];
      const last = await deliverJson(
        {
          url: hook.channel.config.uri,
          headers: authHeaders(hook),
          body: envelope,
          timeoutMs: this.knobs.timeoutMs,
          retries: 1,
          retryDelayMs: 200,
        },
        (a) => attempts.push(a),
      );
      const ok = typeof last.status === 'number' && last.status >= 200 && last.status < 300;
      this.record({
        hookId,
        eventId: envelope.eventId,
        eventTypes: events.map((e) => e.eventType),
        eventUuids: events.map((e) => e.uuid),
        duplicate,
        outcome: ok ? 'delivered' : 'failed',
        attempts,
      });
      if (!ok && !this.closed) this.opts.onFailure(hook, envelope.eventId, last);
    };
    const run = async () => {
      await send(false);
      if (this.knobs.duplicateRate > 0 && Math.random() < this.knobs.duplicateRate) await send(true);
    };
    const onError = (err: unknown) => this.opts.logger?.warn({ err, hookId }, 'event hook delivery crashed');
    if (this.knobs.outOfOrder) {
      // Independent of earlier batches: a later batch may land first, as Okta allows.
      run().catch(onError);
      return;
    }
    const tail = (this.chains.get(hookId) ?? Promise.resolve()).then(run).catch(onError);
    this.chains.set(hookId, tail);
  }

  private record(r: HookDeliveryRecord): void {
    this.deliveries.push(r);
    const max = this.opts.maxRecords ?? 5000;
    if (this.deliveries.length > max) this.deliveries.splice(0, this.deliveries.length - max);
  }

  /**
   * The one-time verification: GET with `x-okta-verification-challenge` and the hook's headers; the
   * endpoint must answer 200 `{"verification": <challenge>}`. 3 s timeout, one retry on 5xx or timeout.
   */
  async verify(hook: EventHookRecord): Promise<{ ok: boolean; reason: string }> {
    const challenge = randomBytes(24).toString('base64url');
    let reason = 'no answer';
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        const res = await fetch(hook.channel.config.uri, {
          method: 'GET',
          headers: {
            accept: 'application/json',
            ...authHeaders(hook),
            'x-okta-verification-challenge': challenge,
          },
          signal: AbortSignal.timeout(this.knobs.timeoutMs),
        });
        const text = await res.text();
        if (res.status >= 500) {
          reason = `endpoint answered ${res.status}`;
          continue;
        }
        if (res.status !== 200) return { ok: false, reason: `endpoint answered ${res.status}` };
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          return { ok: false, reason: 'endpoint did not answer JSON' };
        }
        const ok =
          typeof body === 'object' &&
          body !== null &&
          (body as Record<string, unknown>).verification === challenge;
        return { ok, reason: ok ? 'verified' : 'verification value did not match the challenge' };
      } catch (err) {
        reason = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'could not connect';
      }
    }
    return { ok: false, reason };
  }

  /** Drops batches still waiting for their window (used on reset and close). */
  clearPending(): void {
    for (const b of this.buffers.values()) clearTimeout(b.timer);
    this.buffers.clear();
  }

  close(): void {
    this.closed = true;
    this.clearPending();
  }
}

function shuffle<T>(a: T[]): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
}
