// Scenario 5: end to end, OIG → Freshservice. A person raises an access request in the sandbox Okta; the
// sandbox delivers its event hook to the real API, which starts the request's workflow, which opens the
// Freshservice ticket. Timed from the request's creation to the ticket existing in the sandbox
// Freshservice, one request at a time. The reference is the sandbox's own hook batching window (Okta
// batches too): the part of the latency no product could remove. Duplicates are counted once the flows have
// settled: each waits on Okta's decision with its ticket recorded, after a pass of each of the product's
// reconcilers has replayed every event again and each flow has taken that replay in.
import { join } from 'node:path';
import { startApi } from '../../src/api/server';
import { createLogger } from '../../src/logging';
import { DEMO_PEOPLE } from '../../src/sandbox/demo-tenant';
import { ensureOktaEventHook } from '../../src/setup/webhooks';
import { ensureReconcilers } from '../../src/temporal/reconcilers';
import {
  type OktaAccessRequestState,
  oktaRequestPermalinkTag,
  oktaRequestTicketTag,
  oktaRequestWorkflowId,
} from '../../src/workflows/okta-access-request/contract';
import { reconcileNowUpdate } from '../../src/workflows/reconcilers/contract';
import { stateQuery } from '../../src/workflows/shared/contract';
import { BENCH_SECRETS, sandboxPost, startBenchStack } from '../lib/stack';
import { percentile, round, waitUntil } from '../lib/stats';

export type EndToEndOptions = { temporalAddress: string; bundlePath: string; requests: number };

export type EndToEndResult = {
  requests: number;
  ticketsOpened: number;
  duplicateTickets: number;
  p50Ms: number;
  p99Ms: number;
  hookBatchWindowMs: number;
  correct: boolean;
};

const HOOK_BATCH_WINDOW_MS = 250;
const requesters = DEMO_PEOPLE.filter((p) => p.manager);

export async function runEndToEnd(opts: EndToEndOptions): Promise<EndToEndResult> {
  const stack = await startBenchStack({
    temporalAddress: opts.temporalAddress,
    bundlePath: opts.bundlePath,
    policyFile: join(__dirname, '..', 'policy.yaml'),
    name: 'e2e',
    // Okta's published Workforce limits (the sandbox default) and the product's default-ish budget.
    okta: { activitiesPerSecond: 20, maxConcurrent: 20 },
    env: { API_PORT: '0' },
  });
  const api = await startApi(stack.config, createLogger({ level: 'silent' }), opts.temporalAddress);
  let reconcilers: string[] = [];
  try {
    await ensureOktaEventHook(stack.vendors.okta.client, {
      uri: `${api.url}/webhooks/okta`,
      secret: BENCH_SECRETS.OKTA_WEBHOOK_SECRET,
    });
    let entryId = '';
    for await (const e of stack.vendors.okta.client.listCatalogEntries('name eq "Salesforce"'))
      entryId = e.id;
    if (!entryId) throw new Error('the demo tenant has no Salesforce catalog entry');

    // Resolve a waiter when a ticket carrying the request's tag is created.
    const waiters = new Map<string, () => void>();
    stack.freshservice.store.onEvent((e) => {
      if (e.event !== 'ticket_created') return;
      for (const tag of stack.freshservice.store.getTicket(e.ticketId)?.tags ?? []) waiters.get(tag)?.();
    });

    const latencies: number[] = [];
    const requestIds: string[] = [];
    for (let i = 0; i < opts.requests; i++) {
      const t0 = performance.now();
      const request = await sandboxPost<{ id: string }>(stack.okta.url, '/__sandbox/actor/requests', {
        requesterLogin: requesters[i % requesters.length]!.email,
        entryId,
        justification: 'bench: end to end',
      });
      const tag = oktaRequestTicketTag(request.id);
      requestIds.push(request.id);
      await new Promise<void>((res, rej) => {
        const timer = setTimeout(
          () => rej(new Error(`no ticket for request ${request.id} after 30 s`)),
          30_000,
        );
        const done = () => {
          clearTimeout(timer);
          waiters.delete(tag);
          res();
        };
        waiters.set(tag, done);
        if (stack.freshservice.store.listTickets().some((t) => t.tags.includes(tag))) done();
      });
      latencies.push(performance.now() - t0);
    }

    // Settled: every flow waits on Okta's decision with its ticket recorded. Then each reconciler makes a
    // pass (the Okta one replays every request event from the System Log, as after a missed hook; the
    // Freshservice one re-reads every ticket), and every flow must have taken the replay in (a duplicate
    // event counted) and be back at its wait before the tickets are counted.
    const flowState = (id: string) =>
      stack.client.workflow
        .getHandle(oktaRequestWorkflowId(id))
        .query(stateQuery)
        .then((s) => s as OktaAccessRequestState)
        .catch(() => undefined);
    const settled = async (replayed: boolean) => {
      const states = await Promise.all(requestIds.map(flowState));
      return (
        states.filter(
          (s) => s?.phase === 'open' && s.ticketId !== null && (!replayed || s.duplicateEvents > 0),
        ).length === requestIds.length
      );
    };
    await waitUntil(() => settled(false), 'every request flow to wait with its ticket', 60_000, 100);
    reconcilers = await ensureReconcilers(stack.client, stack.config);
    for (const id of reconcilers) {
      const pass = await stack.client.workflow.getHandle(id).executeUpdate(reconcileNowUpdate);
      if (pass.error) throw new Error(`${id}: the pass failed: ${pass.error}`);
    }
    await waitUntil(() => settled(true), 'every request flow to take in the replay', 60_000, 100);

    // A duplicate may carry any of the request's ids (v2, v1) or its number in Okta (permalinkId).
    const tickets = stack.freshservice.store.listTickets();
    const perRequest = requestIds.map((id) => {
      const r = stack.okta.store.requests.get(id);
      const tags = new Set([
        oktaRequestTicketTag(id),
        ...(r ? [oktaRequestTicketTag(r.v1Id), oktaRequestPermalinkTag(r.permalinkId)] : []),
      ]);
      return tickets.filter((t) => t.tags.some((tag) => tags.has(tag))).length;
    });
    const ticketsOpened = perRequest.filter((n) => n >= 1).length;
    const duplicateTickets = perRequest.reduce((a, n) => a + Math.max(0, n - 1), 0);
    return {
      requests: opts.requests,
      ticketsOpened,
      duplicateTickets,
      p50Ms: round(percentile(latencies, 50), 0),
      p99Ms: round(percentile(latencies, 99), 0),
      hookBatchWindowMs: HOOK_BATCH_WINDOW_MS,
      correct: ticketsOpened === opts.requests && duplicateTickets === 0,
    };
  } finally {
    // The reconcilers are long-lived workflows; the server may be the test run's, so none is left behind.
    await Promise.all(
      reconcilers.map((id) =>
        stack.client.workflow
          .getHandle(id)
          .terminate('bench scenario done')
          .catch(() => undefined),
      ),
    );
    await api.close();
    await stack.stop();
  }
}
