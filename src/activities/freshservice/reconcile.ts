// The Freshservice reconciler's read: the tickets the `updated_since` list says changed since the last pass,
// nudged through the same intake as the webhooks (src/intake). Whatever a webhook missed (Temporal down, a
// 5xx the sender gave up on, a rule switched off) reaches its workflow here; whatever it did not miss changes
// nothing, because workflows dedupe by ticket update.
import { heartbeat, log } from '@temporalio/activity';
import { z } from 'zod';
import type { FreshserviceClient, FsSkippedTicket } from '../../integrations/freshservice';
import { firstIssue } from '../../integrations/lenient-list';
import { nudgeTicket } from '../../intake';
import { withFailureMapping } from '../failures';
import type { IntakeTarget } from '../intake-target';
import type { FreshserviceReconcileActivities, TicketPassInput, TicketPassResult } from './contract';

/** Concurrent nudges while replaying one page of tickets. */
const NUDGE_CONCURRENCY = 8;

/** The two fields of a listed ticket a nudge needs. */
const ZTicketUpdate = z.looseObject({ id: z.number().int().positive(), updated_at: z.string().min(1) });
type TicketUpdate = z.output<typeof ZTicketUpdate>;

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

export function createFreshserviceReconcileActivities(
  fs: FreshserviceClient,
  intake: IntakeTarget,
): FreshserviceReconcileActivities {
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
