// What reaches an OIG-request run between its steps: Okta events (deduplicated by uuid, queued for a
// forwarder or simply a reason to re-read) and ticket nudges (a reason to look at the ticket). The dedupe
// keys travel with continue-as-new, so a redelivery stays a duplicate across runs.
import { condition } from '@temporalio/workflow';
import type { OktaRequestEvent, TicketEvent } from '../shared/contract';
import { SeenEvents } from '../shared/inbox';
import type { CarriedOktaRequestRun } from './contract';

export class RequestInbox {
  /** Okta event uuids seen (their count is the state's `eventsApplied`). */
  readonly oktaEvents: SeenEvents;
  /** Okta events received and not yet acted on: a forwarder's queue. */
  readonly pending: OktaRequestEvent[];
  readonly ticketKeys: SeenEvents;
  private readonly ticketEvents: TicketEvent[] = [];

  constructor(carried?: CarriedOktaRequestRun) {
    this.oktaEvents = new SeenEvents(carried?.seenEvents);
    this.pending = [...(carried?.pendingEvents ?? [])];
    this.ticketKeys = new SeenEvents(carried?.seenTicketEvents);
  }

  /** Queues an Okta event; false for a redelivery. */
  acceptOktaEvent(event: OktaRequestEvent): boolean {
    if (!this.oktaEvents.firstTime(event.uuid)) return false;
    this.pending.push(event);
    return true;
  }

  /** Queues a ticket nudge; one without updatedAt cannot be told from a redelivery, so it always counts. */
  acceptTicketEvent(event: TicketEvent): void {
    const first = this.ticketKeys.firstTime(`${event.event}:${event.updatedAt ?? ''}`);
    if (event.updatedAt && !first) return;
    this.ticketEvents.push(event);
  }

  /** Waits up to `waitMs` for any event, then drops the Okta events: the next step re-reads the request. */
  async waitForEvents(waitMs: number): Promise<void> {
    await condition(() => this.pending.length > 0 || this.ticketEvents.length > 0, waitMs);
    this.pending.length = 0;
  }

  /** True when ticket nudges arrived since the last call. */
  takeTicketNudges(): boolean {
    if (this.ticketEvents.length === 0) return false;
    this.ticketEvents.length = 0;
    return true;
  }
}
