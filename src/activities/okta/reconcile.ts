// The Okta reconciler's read: what the System Log says happened since the last pass, replayed through the
// same intake as the event hook (src/intake). Whatever the hook missed (Temporal down, a delivery Okta gave
// up on, a hook switched off) reaches its workflow here; whatever it did not miss changes nothing, because
// workflows dedupe by event uuid.
import { heartbeat, log } from '@temporalio/activity';
import { VendorError } from '../../integrations/errors';
import type { LogPage, OktaClient } from '../../integrations/okta';
import { OKTA_SYSTEM_LOG_FILTER, routeOktaEvents } from '../../intake';
import { withFailureMapping } from '../failures';
import type { IntakeTarget } from '../intake-target';
import type { OktaLogPassInput, OktaLogPassResult, OktaReconcileActivities } from './contract';

/** System Log page size: Okta's maximum for /api/v1/logs. */
const LOG_PAGE_SIZE = 1000;

/** How many odd events one log line lists. */
const LOGGED_EVENTS = 20;

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

export function createOktaReconcileActivities(
  okta: OktaClient,
  intake: IntakeTarget,
): OktaReconcileActivities {
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
