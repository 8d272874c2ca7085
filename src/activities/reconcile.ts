// The reconcilers' two reads: what Okta's System Log and Freshservice's `updated_since` list say happened
// since the last pass, replayed through the same intake as the webhooks (src/temporal/intake.ts). Whatever
// a webhook missed (Temporal down, a 5xx the sender gave up on, a rule switched off) reaches its workflow
// here; whatever it did not miss changes nothing, because workflows dedupe by event uuid / ticket update.
import { heartbeat, log } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { VendorError } from '../integrations/errors';
import type { FreshserviceClient, FsSkippedTicket } from '../integrations/freshservice';
import { firstIssue } from '../integrations/lenient-list';
import type { LogPage, OktaClient } from '../integrations/okta';
import { nudgeTicket, OKTA_SYSTEM_LOG_FILTER, routeOktaEvents } from '../intake';
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
  /**
   * Events the client's LogEvent schema refused (each logged with its reason). They are counted in
   * `received` and still offered to intake, which routes them when their routing fields are usable
   * (as the event hook would) and ignores them otherwise; either way the cursor moves past them.
   */
  malformed: number;
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
  /**
   * Listed tickets without a usable `id` or `updated_at` (each logged with its reason); not nudged. A
   * ticket the client's schema refuses for any other field is still nudged: the nudge needs no more.
   */
  skipped: number;
};

export type ReconcileActivities = {
  reconcileOktaSystemLog(input: OktaLogPassInput): Promise<OktaLogPassResult>;
  reconcileFreshserviceTickets(input: TicketPassInput): Promise<TicketPassResult>;
};

/** System Log page size: Okta's maximum for /api/v1/logs. */
const LOG_PAGE_SIZE = 1000;
/** Concurrent nudges while replaying one page of tickets. */
const NUDGE_CONCURRENCY = 8;

/** How many odd events one log line lists. */
const LOGGED_EVENTS = 20;

/** The two fields of a listed ticket a nudge needs. */
const ZTicketUpdate = z.looseObject({ id: z.number().int().positive(), updated_at: z.string().min(1) });
type TicketUpdate = z.output<typeof ZTicketUpdate>;

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

export function createOktaReconcileActivities(
  okta: OktaClient,
  intake: IntakeTarget,
): Pick<ReconcileActivities, 'reconcileOktaSystemLog'> {
  const firstPage = (lookbackMinutes: number) =>
    okta.listLogs({
      since: minutesAgo(lookbackMinutes),
      filter: OKTA_SYSTEM_LOG_FILTER,
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
        malformed: 0,
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
        const events = [...page.events, ...page.skipped.map((s) => s.event)];
        if (page.skipped.length > 0) {
          result.malformed += page.skipped.length;
          log.warn('System Log events refused by the LogEvent schema; routed on their routing fields only', {
            events: page.skipped.slice(0, LOGGED_EVENTS).map(({ uuid, reason }) => ({ uuid, reason })),
          });
        }
        if (events.length > 0) {
          const routed = await routeOktaEvents(intake.client(), intake.taskQueue, events, 'system-log');
          result.received += routed.received;
          result.routed += routed.routed;
          result.ignored += routed.ignored;
          const unusable = routed.ignoredEvents.filter((e) => e.unusable);
          if (unusable.length > 0) {
            log.warn('access request events without usable routing fields ignored', {
              events: unusable.slice(0, LOGGED_EVENTS),
            });
          }
        }
        // A polling query always returns `next`; keep the old place if a page somehow has none.
        if (page.nextUrl) result.cursor = page.nextUrl;
        heartbeat({ cursor: result.cursor, pages: result.pages });
        if (events.length === 0 || !page.nextUrl) {
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
      let skipped = 0;
      let batch: TicketUpdate[] = [];

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

      const skip = (ticketId: number | undefined, reason: string) => {
        skipped += 1;
        log.warn('listed ticket without a usable id or updated_at skipped', { ticketId, reason });
      };
      const consider = async (ticket: TicketUpdate) => {
        const ms = Date.parse(ticket.updated_at);
        if (Number.isNaN(ms)) return skip(ticket.id, 'updated_at: not a timestamp');
        if (ms < sinceMs) return;
        if (ms === sinceMs && alreadySeen.has(ticket.id)) return;
        batch.push(ticket);
        if (ms > newest.ms) newest = { ms, iso: ticket.updated_at, ids: [ticket.id] };
        else if (ms === newest.ms) newest.ids.push(ticket.id);
        if (batch.length >= 100) await flush();
      };
      // A ticket the client's schema refuses is still nudged when its id and updated_at are usable: the
      // nudge carries nothing else, and the ticket's workflow re-reads it anyway.
      const odd: FsSkippedTicket[] = [];
      const considerOdd = async () => {
        for (const s of odd.splice(0)) {
          const update = ZTicketUpdate.safeParse(s.ticket);
          if (update.success) await consider(update.data);
          else skip(s.id, firstIssue(update.error));
        }
      };

      // Every page of the filter in one pass: the list is ordered by creation, not update, so the newest
      // update is known only at the end.
      for await (const ticket of fs.listTickets({
        updatedSince: since,
        onSkipped: (s) => {
          received += 1;
          odd.push(s);
        },
      })) {
        received += 1;
        await considerOdd();
        await consider(ticket);
      }
      await considerOdd();
      await flush();
      return { since: newest.iso, seenAtSince: newest.ids, received, nudged, skipped };
    },
  });
}
