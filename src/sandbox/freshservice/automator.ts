// Emulates the Workflow Automator's "Trigger Webhook" action: rules per event (ticket raised, ticket
// updated, approval changed) with conditions, a body template with {{ticket.*}} placeholders rendered at
// the moment of the event, custom headers, and asynchronous delivery through src/sandbox/common/outbound.
// Knobs add duplicates and out-of-order delivery so receivers prove their dedup. Every delivery is kept.
import { z } from 'zod';
import {
  FRESHSERVICE_WEBHOOK_EVENTS,
  type FreshserviceWebhookEvent,
} from '../../integrations/freshservice/webhook-template';
import { FS_APPROVAL_STATUS_NAMES, FS_TICKET_STATUS_NAMES } from '../../integrations/freshservice/codes';
import type { Logger } from '../../logging';
import { deliverJson, type DeliveryAttempt } from '../common/outbound';
import type { ApprovalRecord, TicketRecord, UserRecord } from './records';
import type { FreshserviceStore, StoreEvent, TicketChange } from './store';

const TICKET_CHANGES = [
  'properties',
  'note',
  'reply',
  'requested_item',
  'task',
] as const satisfies readonly TicketChange[];

export const ZAutomatorRule = z.strictObject({
  name: z.string().max(200).optional(),
  event: z.enum(FRESHSERVICE_WEBHOOK_EVENTS),
  url: z.url().refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
  headers: z.record(z.string(), z.string()).default({}),
  /** Template text, e.g. freshserviceWebhookTemplate(event); must render to JSON. */
  body: z.string().min(2).max(64_000),
  conditions: z
    .strictObject({
      type: z.enum(['Incident', 'Service Request']).optional(),
      status: z.array(z.number().int()).optional(),
      /** Fires when the ticket carries any of these tags. */
      tags: z.array(z.string()).optional(),
      /** ticket_updated only: which kinds of change fire (default: all). */
      changes: z.array(z.enum(TICKET_CHANGES)).optional(),
    })
    .optional(),
});
export type TAutomatorRule = z.infer<typeof ZAutomatorRule>;

export const ZDeliverySettings = z.strictObject({
  /** Probability (0..1) that a delivery is sent twice; 1 = always. */
  duplicateRate: z.number().min(0).max(1).default(0),
  /** Hold deliveries for this long, then send the batch newest first (0 = in order). */
  reorderWindowMs: z.number().int().min(0).max(60_000).default(0),
  /** Delay before each delivery is sent. */
  delayMs: z.number().int().min(0).max(60_000).default(0),
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
  /** Freshservice's retry rule is UNCONFIRMED: the sandbox retries once on 5xx, timeout or network error. */
  retries: z.number().int().min(0).max(5).default(1),
  retryDelayMs: z.number().int().min(0).max(60_000).default(1_000),
});
export type TDeliverySettings = z.infer<typeof ZDeliverySettings>;

export type DeliveryRecord = {
  id: number;
  rule: number;
  ruleName: string | null;
  event: FreshserviceWebhookEvent;
  ticketId: number;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  duplicate: boolean;
  firedAt: string;
  state: 'pending' | 'delivered' | 'failed' | 'abandoned';
  status: number | 'timeout' | 'error' | null;
  attempts: DeliveryAttempt[];
};

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;
const MAX_KEPT = 2_000;

/** The values placeholders render to; ids and numbers as strings, as Freshservice renders them. */
export function placeholderValues(
  store: FreshserviceStore,
  t: TicketRecord,
  opts: { publicUrl: string; approval?: ApprovalRecord },
): Record<string, string> {
  const user = (id: number | null): UserRecord | undefined => (id === null ? undefined : store.getUser(id));
  const name = (u: UserRecord | undefined) =>
    u ? [u.first_name, u.last_name].filter(Boolean).join(' ') : '';
  const requester = user(t.requester_id);
  const requestedFor = user(t.requested_for_id);
  const agent = user(t.responder_id);
  const group = t.group_id === null ? undefined : store.groups.get(t.group_id);
  const department = t.department_id === null ? undefined : store.departments.get(t.department_id);
  const conversations = store.conversationsOf(t.id);
  const latest = (priv: boolean) =>
    [...conversations].reverse().find((c) => c.private === priv)?.body_text ?? '';
  const s = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  const values: Record<string, string> = {
    'ticket.id': s(t.id),
    'ticket.subject': s(t.subject),
    'ticket.description': s(t.description),
    'ticket.description_text': s(t.description_text),
    'ticket.status': s(t.status),
    'ticket.status_name': FS_TICKET_STATUS_NAMES[t.status as 2] ?? '',
    'ticket.priority': s(t.priority),
    'ticket.source': s(t.source),
    'ticket.type': t.type,
    'ticket.category': s(t.category),
    'ticket.tags': t.tags.join(','),
    'ticket.approval_status': s(t.approval_status),
    'ticket.approval_status_name': s(t.approval_status_name),
    'ticket.created_at': t.created_at,
    'ticket.updated_at': t.updated_at,
    'ticket.due_by': s(t.due_by),
    'ticket.url': `${opts.publicUrl}/helpdesk/tickets/${t.id}`,
    'ticket.requester.id': s(requester?.id),
    'ticket.requester.name': name(requester),
    'ticket.requester.email': s(requester?.primary_email),
    'ticket.requested_for.id': s(requestedFor?.id),
    'ticket.requested_for.name': name(requestedFor),
    'ticket.requested_for.email': s(requestedFor?.primary_email),
    'ticket.agent.id': s(agent?.id),
    'ticket.agent.name': name(agent),
    'ticket.agent.email': s(agent?.primary_email),
    'ticket.group.id': s(group?.id),
    'ticket.group.name': s(group?.name),
    'ticket.department.name': s(department?.name),
    'ticket.latest_public_note': latest(false),
    'ticket.latest_private_note': latest(true),
  };
  if (opts.approval) {
    const a = opts.approval;
    const approver = user(a.approver_id);
    Object.assign(values, {
      'approval.id': s(a.id),
      'approval.status': s(a.status),
      'approval.status_name': FS_APPROVAL_STATUS_NAMES[a.status as 0] ?? '',
      'approval.approver.id': s(a.approver_id),
      'approval.approver.name': name(approver),
      'approval.approver.email': s(approver?.primary_email),
      'approval.remark': s(a.latest_remark),
    });
  }
  return values;
}

/**
 * Substitutes placeholders. Values are JSON-string-escaped because templates put them inside JSON strings;
 * an unknown placeholder renders empty (UNCONFIRMED what Freshservice does).
 */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (_m, key: string) => JSON.stringify(values[key] ?? '').slice(1, -1));
}

/** Rejects a template that would not render to JSON, using sample values for every placeholder. */
export function checkTemplate(template: string): string | undefined {
  try {
    JSON.parse(template.replace(PLACEHOLDER, '1'));
    return undefined;
  } catch (err) {
    return `the body must render to JSON: ${err instanceof Error ? err.message : String(err)}`;
  }
}

export class Automator {
  private rules: TAutomatorRule[] = [];
  private settings: TDeliverySettings = ZDeliverySettings.parse({});
  private readonly deliveries: DeliveryRecord[] = [];
  private chain: Promise<void> = Promise.resolve();
  private held: DeliveryRecord[] = [];
  private holdTimer: NodeJS.Timeout | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly store: FreshserviceStore,
    private readonly publicUrl: () => string,
    private readonly logger?: Logger,
    private readonly random: () => number = Math.random,
  ) {
    store.onEvent((e) => this.onEvent(e));
  }

  private readonly configListeners: (() => void)[] = [];

  /** Persistence hook: rules and delivery settings are part of the account's configuration. */
  onConfigChange(listener: () => void): void {
    this.configListeners.push(listener);
  }

  setRules(rules: TAutomatorRule[]): void {
    this.rules = rules;
    for (const l of this.configListeners) l();
  }

  getRules(): TAutomatorRule[] {
    return this.rules;
  }

  setSettings(s: TDeliverySettings): void {
    this.settings = s;
    for (const l of this.configListeners) l();
  }

  getSettings(): TDeliverySettings {
    return this.settings;
  }

  list(filter: { ticketId?: number; event?: string } = {}): DeliveryRecord[] {
    return this.deliveries.filter(
      (d) =>
        (filter.ticketId === undefined || d.ticketId === filter.ticketId) &&
        (filter.event === undefined || d.event === filter.event),
    );
  }

  clearDeliveries(): void {
    this.deliveries.length = 0;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    if (this.holdTimer) clearTimeout(this.holdTimer);
    for (const d of [...this.held, ...this.deliveries]) if (d.state === 'pending') d.state = 'abandoned';
    this.held = [];
  }

  private matches(rule: TAutomatorRule, t: TicketRecord, e: StoreEvent): boolean {
    if (rule.event !== e.event) return false;
    const c = rule.conditions;
    if (!c) return true;
    if (c.type && t.type !== c.type) return false;
    if (c.status && !c.status.includes(t.status)) return false;
    if (c.tags && !c.tags.some((tag) => t.tags.includes(tag))) return false;
    if (
      c.changes &&
      e.event === 'ticket_updated' &&
      !c.changes.includes(e.change as (typeof TICKET_CHANGES)[number])
    ) {
      return false;
    }
    return true;
  }

  /** Runs inside the API call: renders now (the event's moment), sends later. */
  private onEvent(e: StoreEvent): void {
    if (this.closed || this.rules.length === 0) return;
    const t = this.store.getTicket(e.ticketId);
    if (!t) return;
    const approval =
      e.event === 'approval_changed'
        ? this.store.approvalsOf(t.id).find((a) => a.id === e.approvalId)
        : undefined;
    let values: Record<string, string> | undefined;
    this.rules.forEach((rule, index) => {
      if (!this.matches(rule, t, e)) return;
      values ??= placeholderValues(this.store, t, {
        publicUrl: this.publicUrl(),
        ...(approval ? { approval } : {}),
      });
      let body: unknown;
      try {
        body = JSON.parse(renderTemplate(rule.body, values));
      } catch {
        body = renderTemplate(rule.body, values);
      }
      const copies = this.random() < this.settings.duplicateRate ? 2 : 1;
      for (let i = 0; i < copies; i++) {
        const d: DeliveryRecord = {
          // Numbered by the store, so ids stay unique across a restart on the same data file.
          id: this.store.issueId('webhookDelivery'),
          rule: index,
          ruleName: rule.name ?? null,
          event: e.event,
          ticketId: t.id,
          url: rule.url,
          headers: rule.headers,
          body,
          duplicate: i > 0,
          firedAt: new Date().toISOString(),
          state: 'pending',
          status: null,
          attempts: [],
        };
        this.deliveries.push(d);
        if (this.deliveries.length > MAX_KEPT) this.deliveries.splice(0, this.deliveries.length - MAX_KEPT);
        this.schedule(d);
      }
    });
  }

  private schedule(d: DeliveryRecord): void {
    if (this.settings.reorderWindowMs > 0) {
      this.held.push(d);
      this.holdTimer ??= setTimeout(() => {
        this.holdTimer = undefined;
        const batch = this.held.reverse();
        this.held = [];
        for (const x of batch) this.enqueue(x);
      }, this.settings.reorderWindowMs);
      return;
    }
    // Never inside the API call: at the earliest on the next turn of the event loop.
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue(d);
    }, this.settings.delayMs);
    this.timers.add(timer);
  }

  /** One delivery at a time, in the order they were released. */
  private enqueue(d: DeliveryRecord): void {
    this.chain = this.chain.then(() => this.send(d));
  }

  private async send(d: DeliveryRecord): Promise<void> {
    if (this.closed) {
      d.state = 'abandoned';
      return;
    }
    const s = this.settings;
    const last = await deliverJson(
      {
        url: d.url,
        headers: d.headers,
        body: d.body,
        timeoutMs: s.timeoutMs,
        retries: s.retries,
        retryDelayMs: s.retryDelayMs,
      },
      (a) => d.attempts.push(a),
    );
    d.status = last.status;
    d.state = typeof last.status === 'number' && last.status < 300 ? 'delivered' : 'failed';
    if (d.state === 'failed') {
      this.logger?.warn(
        { delivery: d.id, url: d.url, status: d.status, ticketId: d.ticketId },
        'automator webhook failed',
      );
    }
  }
}
