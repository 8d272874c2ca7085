// How a batch of Okta events becomes routes: each event read on its own and only as far as routing needs,
// matched to its row of the intake table (table.ts), grouped per workflow in `published` order. Shared by
// the event hook and the System Log reconciler, so both route identically (same IDs, same dedupe keys).
import { z } from 'zod';
import { firstIssue, stringFieldOf } from '../integrations/lenient-list';
import type { OktaRequestEvent } from '../workflows/shared/contract';
import { ZRoutableOktaEvent } from './okta-event-fields';
import { OKTA_EVENT_ROUTES, OKTA_SYSTEM_LOG_FILTER, oktaRouteFor } from './table';

export { accessRequestIdOf, type RoutableOktaEvent } from './okta-event-fields';

/** How long a vendor string may be when it is echoed into a log line. */
const LOGGED_CHARS = 120;
export const clip = (s: string | undefined) =>
  s !== undefined && s.length > LOGGED_CHARS ? `${s.slice(0, LOGGED_CHARS)}…` : s;

/** Only `eventType` is read to decide whether an event is routed at all. */
const ZEventKind = z.looseObject({ eventType: z.string().min(1) });

/** The System Log filter that selects exactly the events intake routes (and a few it then ignores). */
export const ACCESS_REQUEST_LOG_FILTER = OKTA_SYSTEM_LOG_FILTER;

/** Whether an event type belongs to a family the table routes (configuration events included). */
export function isAccessRequestEvent(eventType: string): boolean {
  return OKTA_EVENT_ROUTES.some((r) => eventType.startsWith(r.prefix));
}

/**
 * An event intake did not route, and why, for the log (Okta reads nothing in a 2xx body). `unusable`
 * marks an access request event whose routing fields are missing or odd: worth a warning, because the
 * request's workflow depends on the next event or a reconciler pass instead.
 */
export type IgnoredOktaEvent = { uuid?: string; eventType?: string; reason: string; unusable: boolean };

export type Route = { workflowId: string; requestId: string; events: OktaRequestEvent[] };

export type OktaIntakePlan = { routes: Route[]; ignored: IgnoredOktaEvent[] };

/**
 * Groups routable events by workflow, oldest `published` first, so each workflow sees them in order.
 * Each event is read on its own and only as far as routing needs: an event of a type intake does not
 * route is ignored unread, and an access request event without usable routing fields is ignored with
 * its reason. Neither affects the others in the batch.
 */
export function planOktaEvents(
  events: readonly unknown[],
  source: OktaRequestEvent['source'],
): OktaIntakePlan {
  const ignored: IgnoredOktaEvent[] = [];
  const routable: { event: z.output<typeof ZRoutableOktaEvent>; requestId: string; workflowId: string }[] =
    [];
  for (const raw of events) {
    const uuid = clip(stringFieldOf(raw, 'uuid'));
    const kind = ZEventKind.safeParse(raw);
    if (!kind.success) {
      ignored.push({
        uuid,
        reason: `not a LogEvent with an eventType (${firstIssue(kind.error)})`,
        unusable: false,
      });
      continue;
    }
    const eventType = clip(kind.data.eventType);
    const row = oktaRouteFor(kind.data.eventType);
    if (!row) {
      ignored.push({ uuid, eventType, reason: 'not an event about an access request', unusable: false });
      continue;
    }
    const parsed = ZRoutableOktaEvent.safeParse(raw);
    if (!parsed.success) {
      ignored.push({ uuid, eventType, reason: firstIssue(parsed.error), unusable: true });
      continue;
    }
    const requestId = row.subjectIdOf(parsed.data);
    if (!requestId) {
      ignored.push({ uuid, eventType, reason: 'no usable access request id', unusable: true });
      continue;
    }
    routable.push({ event: parsed.data, requestId, workflowId: row.workflowId(requestId) });
  }

  const byWorkflow = new Map<string, Route>();
  routable.sort((a, b) => a.event.published.localeCompare(b.event.published));
  for (const { event: e, requestId, workflowId } of routable) {
    const route = byWorkflow.get(workflowId) ?? { workflowId, requestId, events: [] };
    route.events.push({ uuid: e.uuid, eventType: e.eventType, published: e.published, requestId, source });
    byWorkflow.set(workflowId, route);
  }
  return { routes: [...byWorkflow.values()], ignored };
}
