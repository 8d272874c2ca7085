// The reconcilers' two reads: what Okta's System Log and Freshservice's `updated_since` list say happened
// since the last pass, replayed through the same intake as the webhooks (src/temporal/intake.ts). Whatever
// a webhook missed (Temporal down, a 5xx the sender gave up on, a rule switched off) reaches its workflow
// here; whatever it did not miss changes nothing, because workflows dedupe by event uuid / ticket update.
import { heartbeat } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { VendorError } from '../integrations/errors';
import type { FreshserviceClient, TFsTicket } from '../integrations/freshservice';
import type { LogPage, OktaClient } from '../integrations/okta';
import { ACCESS_REQUEST_LOG_FILTER, nudgeTicket, routeOktaEvents } from '../temporal/intake';
import { withFailureMapping } from './failures';

/** Where intake signals go: the Temporal client and the workflows task queue of this deployment. */
export type IntakeTarget = { client: () => Client; taskQueue: string };

export type OktaLogPassInput = {
  /** The `next` link of the previous pass (Okta's polling cursor); null on the first pass. */
  cursor: string | null;
  /** How far back the first pass (or one whose cursor Okta refused) reads. */
  lookbackMinutes: number;
  /** Pages read in one pass at most; the rest waits for the next pass (the cursor keeps the place). */
  maxPages: number;
};

export type OktaLogPassResult = {
  cursor: string | null;
  pages: number;
  received: number;
  routed: number;
  ignored: number;
  /** The stored cursor was refused (expired or invalid) and the pass restarted from the lookback. */
  cursorReset: boolean;
  /** True when the last page was empty: the log is read to its end. */
  caughtUp: boolean;
};

export type TicketPassInput = {
  /** Newest `updated_at` handled by the previous pass (ISO); null on the first pass. */
  since: string | null;
  /** Tickets already nudged whose `updated_at` equals `since` (the API filter is inclusive, to the second). */
  seenAtSince: number[];
  lookbackMinutes: number;
};

export type TicketPassResult = {
  since: string | null;
  seenAtSince: number[];
  received: number;
  nudged: number;
};

export type ReconcileActivities = {
  reconcileOktaSystemLog(input: OktaLogPassInput): Promise<OktaLogPassResult>;
  reconcileFreshserviceTickets(input: TicketPassInput): Promise<TicketPassResult>;
};

/** System Log page size: Okta's maximum for /api/v1/logs. */
const LOG_PAGE_SIZE = 1000;
/** Concurrent nudges while replaying one page of tickets. */
const NUDGE_CONCURRENCY = 8;

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

export function createOktaReconcileActivities(
  okta: OktaClient,
  intake: IntakeTarget,
): Pick<ReconcileActivities, 'reconcileOktaSystemLog'> {
  const firstPage = (lookbackMinutes: number) =>
    okta.listLogs({
      since: minutesAgo(lookbackMinutes),
      filter: ACCESS_REQUEST_LOG_FILTER,
      sortOrder: 'ASCENDING',
      limit: LOG_PAGE_SIZE,
    });

  return withFailureMapping({
    async reconcileOktaSystemLog(input: OktaLogPassInput): Promise<OktaLogPassResult> {
      const result: OktaLogPassResult = {
        cursor: input.cursor,
        pages: 0,
        received: 0,
        routed: 0,
        ignored: 0,
        cursorReset: false,
        caughtUp: false,
      };
      let page: LogPage;
      if (input.cursor) {
        try {
          page = await okta.listLogs({ nextUrl: input.cursor });
        } catch (err) {
          // Okta answers 400 (E0000031 invalid paging) for a cursor it no longer honours.
          if (!(err instanceof VendorError && err.type === 'VALIDATION')) throw err;
          result.cursorReset = true;
          page = await firstPage(input.lookbackMinutes);
        }
      } else {
        page = await firstPage(input.lookbackMinutes);
      }
      for (;;) {
        result.pages += 1;
        if (page.events.length > 0) {
          const routed = await routeOktaEvents(intake.client(), intake.taskQueue, page.events, 'system-log');
          result.received += routed.received;
          result.routed += routed.routed;
          result.ignored += routed.ignored;
        }
        // A polling query always returns `next`; keep the old place if a page somehow has none.
        if (page.nextUrl) result.cursor = page.nextUrl;
        heartbeat({ cursor: result.cursor, pages: result.pages });
        if (page.events.length === 0 || !page.nextUrl) {
          result.caughtUp = true;
          return result;
        }
        if (result.pages >= input.maxPages) return result;
        page = await okta.listLogs({ nextUrl: page.nextUrl });
      }
    },
  });
}

export function createFreshserviceReconcileActivities(
  fs: FreshserviceClient,
  intake: IntakeTarget,
): Pick<ReconcileActivities, 'reconcileFreshserviceTickets'> {
  return withFailureMapping({
    async reconcileFreshserviceTickets(input: TicketPassInput): Promise<TicketPassResult> {
      const since = input.since ?? minutesAgo(input.lookbackMinutes);
      const sinceMs = Date.parse(since);
      const alreadySeen = new Set(input.seenAtSince);
      let newest = { ms: sinceMs, iso: since, ids: input.since ? [...input.seenAtSince] : [] };
      let received = 0;
      let nudged = 0;
      let batch: TFsTicket[] = [];

      const flush = async () => {
        const tickets = batch;
        batch = [];
        for (let i = 0; i < tickets.length; i += NUDGE_CONCURRENCY) {
          await Promise.all(
            tickets.slice(i, i + NUDGE_CONCURRENCY).map((t) =>
              nudgeTicket(intake.client(), intake.taskQueue, {
                event: 'reconcile',
                ticketId: t.id,
                updatedAt: t.updated_at,
                source: 'reconciler',
              }),
            ),
          );
          nudged += Math.min(NUDGE_CONCURRENCY, tickets.length - i);
        }
        heartbeat({ received, nudged });
      };

      // Every page of the filter in one pass: the list is ordered by creation, not update, so the newest
      // update is known only at the end.
      for await (const ticket of fs.listTickets({ updatedSince: since })) {
        received += 1;
        const ms = Date.parse(ticket.updated_at);
        if (Number.isNaN(ms) || ms < sinceMs) continue;
        if (ms === sinceMs && alreadySeen.has(ticket.id)) continue;
        batch.push(ticket);
        if (ms > newest.ms) newest = { ms, iso: ticket.updated_at, ids: [ticket.id] };
        else if (ms === newest.ms) newest.ids.push(ticket.id);
        if (batch.length >= 100) await flush();
      }
      await flush();
      return { since: newest.iso, seenAtSince: newest.ids, received, nudged };
    },
  });
}
