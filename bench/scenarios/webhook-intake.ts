// Scenario 1: Okta event-hook intake. N deliveries at concurrency C through the product's real API
// (`POST /webhooks/okta`, each a new access request, so each one signals-with-start a workflow in
// Temporal) against a bare Express endpoint that only parses JSON, both loaded the same way from this
// process. No worker polls the intake task queue: the acknowledgement is the API's whole job (Temporal has
// durably recorded the start and the signal), and workflow work would only steal the 2 cores from it.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Client, Connection } from '@temporalio/client';
import { startApi } from '../../src/api/server';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logging';
import { oktaRequestWorkflowId } from '../../src/workflows/okta-access-request/contract';
import { BENCH_SECRETS, benchTaskQueues } from '../lib/stack';
import { percentile, pool, round } from '../lib/stats';

export type IntakeOptions = { temporalAddress: string; deliveries: number; concurrency: number };

export type IntakeSide = {
  deliveries: number;
  ok: number;
  throughputPerSecond: number;
  p50Ms: number;
  p99Ms: number;
};

export type IntakeResult = {
  concurrency: number;
  product: IntakeSide & { workflowsStarted: number };
  bare: IntakeSide;
  /** product ÷ bare: throughput (lower is slower), p50 and p99 (higher is slower). */
  ratio: { throughput: number; p50: number; p99: number };
  correct: boolean;
};

function envelope(requestId: string) {
  const now = new Date().toISOString();
  return JSON.stringify({
    eventType: 'com.okta.event_hook',
    eventTypeVersion: '1.0',
    cloudEventsVersion: '0.1',
    source: 'https://bench.okta.example/api/v1/eventHooks/who1',
    eventId: `hook-${randomUUID()}`,
    eventTime: now,
    contentType: 'application/json',
    data: {
      events: [
        {
          uuid: randomUUID(),
          eventType: 'access.request.create',
          published: now,
          target: [
            {
              id: '00uBenchUser',
              type: 'User',
              alternateId: 'ada.lovelace@acme.example',
              displayName: 'Ada',
            },
            {
              id: requestId,
              type: 'AccessRequest',
              alternateId: 'Salesforce',
              displayName: 'Access request',
            },
          ],
          debugContext: { debugData: { requestId } },
        },
      ],
    },
  });
}

async function load(url: string, ids: string[], concurrency: number): Promise<IntakeSide> {
  const latencies: number[] = [];
  let ok = 0;
  const start = performance.now();
  await pool(ids, concurrency, async (id) => {
    const body = envelope(id);
    const t0 = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: BENCH_SECRETS.OKTA_WEBHOOK_SECRET },
      body,
    });
    const answer = (await res.json()) as { routed?: number };
    latencies.push(performance.now() - t0);
    if (res.status === 200 && answer.routed === 1) ok += 1;
  });
  const seconds = (performance.now() - start) / 1000;
  return {
    deliveries: ids.length,
    ok,
    throughputPerSecond: round(ids.length / seconds, 0),
    p50Ms: round(percentile(latencies, 50), 1),
    p99Ms: round(percentile(latencies, 99), 1),
  };
}

/** The reference: what any Node webhook receiver pays before doing anything (Express + JSON parsing). */
async function startBareEndpoint(): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.post('/webhooks/okta', express.json({ limit: '256kb' }), (req, res) => {
    const events = (req.body as { data?: { events?: unknown[] } }).data?.events ?? [];
    res.json({ received: events.length, routed: events.length, ignored: 0 });
  });
  const server = createServer(app);
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/okta`,
    close: () =>
      new Promise<void>((res) => {
        server.close(() => res());
        server.closeAllConnections();
      }),
  };
}

export async function runWebhookIntake(opts: IntakeOptions): Promise<IntakeResult> {
  const taskQueues = benchTaskQueues('intake');
  const config = loadConfig({
    ...BENCH_SECRETS,
    API_PORT: '0',
    LOG_LEVEL: 'silent',
    TEMPORAL_TASK_QUEUE: taskQueues.workflows,
    OKTA_TASK_QUEUE: taskQueues.okta,
    FRESHSERVICE_TASK_QUEUE: taskQueues.freshservice,
  });
  const api = await startApi(config, createLogger({ level: 'silent' }), opts.temporalAddress);
  const bare = await startBareEndpoint();
  const connection = await Connection.connect({ address: opts.temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  try {
    const runId = randomUUID().slice(0, 8);
    const ids = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => `reqBench${prefix}${runId}${String(i).padStart(6, '0')}`);
    // Warm both (connections, JIT, the API's lazy Temporal client) before measuring either.
    const warm = Math.min(50, opts.deliveries);
    await load(bare.url, ids('WarmB', warm), opts.concurrency);
    await load(`${api.url}/webhooks/okta`, ids('WarmP', warm), opts.concurrency);

    const bareSide = await load(bare.url, ids('Bare', opts.deliveries), opts.concurrency);
    const productIds = ids('Prod', opts.deliveries);
    const product = await load(`${api.url}/webhooks/okta`, productIds, opts.concurrency);
    // Correctness: every acknowledged delivery left a running workflow under its business key.
    const started = await pool(productIds, 32, async (id) => {
      const d = await client.workflow.getHandle(oktaRequestWorkflowId(id)).describe();
      return d.status.name === 'RUNNING' ? 1 : 0;
    });
    const workflowsStarted = started.reduce<number>((a, b) => a + b, 0);
    return {
      concurrency: opts.concurrency,
      product: { ...product, workflowsStarted },
      bare: bareSide,
      ratio: {
        throughput: round(product.throughputPerSecond / bareSide.throughputPerSecond, 2),
        p50: round(product.p50Ms / bareSide.p50Ms, 1),
        p99: round(product.p99Ms / bareSide.p99Ms, 1),
      },
      correct:
        product.ok === opts.deliveries &&
        bareSide.ok === opts.deliveries &&
        workflowsStarted === opts.deliveries,
    };
  } finally {
    await connection.close();
    await bare.close();
    await api.close();
  }
}
