// A request access-bridge raised for a catalog ticket belongs to that ticket's flow: how it is recognised
// (what only our own Okta principal can set) and how its events are handed on while the flow runs.
import { condition, getExternalWorkflowHandle, log } from '@temporalio/workflow';
import type { AccessRequestView } from '../../activities/views';
import { failureMessage } from '../shared/activity-proxies';
import { mentionsCatalogMarker, ticketFromTrailingMarker } from '../catalog-access/contract';
import { oktaRequestEventSignal, type OktaRequestEvent } from '../shared/contract';

/**
 * Forwards buffered and later events to the catalog workflow that owns the request, while it runs;
 * `handOver` continues as new when the history is long (the queue travels with it).
 */
export async function forwardEvents(
  workflowId: string,
  pending: OktaRequestEvent[],
  handOver: () => Promise<void>,
): Promise<void> {
  const target = getExternalWorkflowHandle(workflowId);
  for (;;) {
    while (pending.length > 0) {
      const event = pending[0]!;
      try {
        await target.signal(oktaRequestEventSignal, { ...event, source: 'forwarded' });
      } catch (err) {
        log.info('owner workflow no longer accepts events; stopping', {
          workflowId,
          error: failureMessage(err),
        });
        return;
      }
      pending.shift();
      // A burst of events must not carry one run far past its budget: the queue travels with the hand-over.
      await handOver();
    }
    await handOver();
    // A completed run is never restarted by later events (see the webhook's reuse policy), so wait as long
    // as the owner may: it ends when the owner no longer accepts signals, or after a month of silence.
    if (!(await condition(() => pending.length > 0, '30 days'))) return;
  }
}

/**
 * The catalog ticket whose flow raised this request on the person's behalf, or undefined. The marker is text
 * a requester can type, so it counts only on a request access-bridge's own Okta principal created (the
 * activity checks Okta's `createdBy`), and only where the catalog flow puts it: at the end of the text.
 */
export function catalogOwnerOf(request: AccessRequestView): number | undefined {
  const texts = [request.justification, ...request.fields.map((f) => f.value)];
  if (!request.raisedByAccessBridge) {
    if (texts.some(mentionsCatalogMarker))
      log.warn('a catalog marker in a request access-bridge did not raise is ignored', {
        requestId: request.id,
      });
    return undefined;
  }
  for (const text of texts) {
    const ticketId = ticketFromTrailingMarker(text);
    if (ticketId !== undefined) return ticketId;
  }
  return undefined;
}
