// A request access-bridge raised for a catalog ticket belongs to that ticket's flow: how it is recognised
// (what only our own Okta principal can set) and how its events are handed on while the flow runs.
import { getExternalWorkflowHandle, log, patched } from '@temporalio/workflow';
import type { AccessRequestView } from '../../activities/okta/contract';
import { failureMessage } from '../shared/activity-proxies';
import {
  mentionsCatalogMarker,
  ticketFromRequestMarker,
  ticketFromTrailingMarker,
} from '../catalog-access/contract';
import { oktaRequestEventSignal, type OktaRequestEvent } from '../shared/contract';
import { forwardEvents } from '../shared/forwarding';
import { PATCH_VERIFIED_OWNER } from './patches';

/**
 * Forwards buffered and later events to the workflow that owns the request, while it runs; `handOver`
 * continues as new when the history is long (the queue travels with it) after every event sent. A completed
 * run is never restarted by later events (see the webhook's reuse policy), so it waits as long as the owner
 * may: it ends when the owner no longer accepts signals, or after a month of silence.
 */
export async function forwardToOwner(
  workflowId: string,
  pending: OktaRequestEvent[],
  handOver: () => Promise<void>,
): Promise<void> {
  const target = getExternalWorkflowHandle(workflowId);
  await forwardEvents({
    pending,
    send: (event) => target.signal(oktaRequestEventSignal, { ...event, source: 'forwarded' }),
    onRefused: (err) =>
      log.info('owner workflow no longer accepts events; stopping', {
        workflowId,
        error: failureMessage(err),
      }),
    handOver: { at: 'after-each-send', run: handOver },
    idle: '30 days',
  });
}

/** The catalog ticket whose flow raised this request, as this run reads it (see catalogOwnerOf). */
export function catalogTicketOf(request: AccessRequestView): number | undefined {
  return patched(PATCH_VERIFIED_OWNER)
    ? catalogOwnerOf(request)
    : ticketFromRequestMarker([request.justification ?? '', ...request.fields.map((f) => f.value)].join(' '));
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
