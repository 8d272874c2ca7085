// Scenario 5: end to end, OIG → Freshservice. A person raises an access request in the sandbox Okta; the
// sandbox delivers its event hook to the real API, which starts the request's workflow, which opens the
// Freshservice ticket. Timed from the request's creation to the ticket existing in the sandbox
// Freshservice, one request at a time. The reference is the sandbox's own hook batching window (Okta
// batches too): the part of the latency no product could remove.
import { join } from 'node:path';
import { startApi } from '../../src/api/server';
import { createLogger } from '../../src/logging';
import { DEMO_PEOPLE } from '../../src/sandbox/demo-tenant';
import { ensureOktaEventHook } from '../../src/setup/webhooks';
import { oktaRequestTicketTag } from '../../src/workflows/ids';
import { BENCH_SECRETS, sandboxPost, startBenchStack } from '../lib/stack';
import { percentile, round } from '../lib/stats';

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

    const tickets = stack.freshservice.store.listTickets();
    const perRequest = requestIds.map(
      (id) => tickets.filter((t) => t.tags.includes(oktaRequestTicketTag(id))).length,
    );
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
    await api.close();
    await stack.stop();
  }
}
