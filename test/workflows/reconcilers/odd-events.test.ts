// The reconcilers' reads when the vendor lists something odd (issue #10): one pass over the real client,
// the sandboxes and the real Temporal server (no worker polls the task queue: the signals in the
// workflows' histories are the evidence). One odd System Log event or ticket must not fail the pass or
// stall its cursor; what routing can still use is routed, the rest is counted and logged.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createFreshserviceReconcileActivities } from '../../../src/activities/freshservice';
import { createOktaReconcileActivities } from '../../../src/activities/okta';
import { type OktaLogPassInput, type OktaLogPassResult } from '../../../src/activities/okta/contract';
import { type TicketPassInput, type TicketPassResult } from '../../../src/activities/freshservice/contract';
import { FS_PRIORITY, FS_TICKET_STATUS } from '../../../src/integrations/freshservice';
import type { RunningOktaSandbox } from '../../../src/sandbox/okta';
import { oktaRequestWorkflowId } from '../../../src/workflows/okta-access-request/contract';
import { ticketWorkflowId } from '../../../src/workflows/ticket-router/contract';
import type { OktaRequestEvent, TicketEvent } from '../../../src/workflows/shared/contract';
import { startHarness, type Harness } from '../../integrations/freshservice/harness';
import { person, startSandbox, sswsClient } from '../../integrations/okta/harness';
import { testEnv, uniqueId } from '../../helpers/temporal';

async function signalsOf<T>(client: Client, workflowId: string): Promise<T[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const payload = e.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0];
    return payload ? [defaultPayloadConverter.fromPayload<T>(payload)] : [];
  });
}

describe('reconcilers: odd events and tickets', () => {
  let client: Client;
  const taskQueue = uniqueId('reconcile-odd-tq');
  const started: string[] = [];
  before(async () => {
    client = (await testEnv()).client;
  });
  after(async () => {
    await Promise.allSettled(started.map((id) => client.workflow.getHandle(id).terminate('test done')));
  });

  describe('the Okta System Log', () => {
    let sb: RunningOktaSandbox;
    before(async () => {
      sb = await startSandbox();
    });
    after(async () => {
      await sb.close();
    });

    it('given a page with an event the LogEvent schema refuses and one without a request id, when a pass reads it, then the rest are routed, the odd ones counted and the cursor moves past them', async () => {
      const okta = sswsClient(sb.url);
      await okta.createUser(person('reconcile-odd'), { password: 'Sandbox!Pass1' });
      const template = sb.store.logs.at(-1)!.event;
      const t0 = Date.now() - 60_000;
      let n = 0;
      // Rows written straight into the org's System Log: the sandbox's own writes are always whole.
      const append = (
        requestId: string | undefined,
        eventType: string,
        changes: Record<string, unknown> = {},
      ) => {
        const event = Object.assign(
          structuredClone(template),
          {
            uuid: randomUUID(),
            eventType,
            published: new Date(t0 + ++n * 1000).toISOString(),
            target: [{ id: requestId, type: 'AccessRequest', alternateId: 'GitHub', displayName: 'GitHub' }],
            debugContext: { debugData: {} },
          },
          changes,
        );
        sb.store.appendLog(event);
        return event;
      };
      const reqA = uniqueId('req');
      const reqB = uniqueId('req');
      const createA = append(reqA, 'access.request.create');
      // Refused by the client's LogEvent schema (no actor id, no severity), yet routable: routed.
      const oddUpdateA = append(reqA, 'access.request.update', {
        actor: { type: 'User' },
        severity: undefined,
      });
      // A request target with a type but no id, and no debugData: nothing to route on.
      const noRequestId = append(undefined, 'access.request.update', { debugContext: null });
      const createB = append(reqB, 'access.request.create');
      started.push(oktaRequestWorkflowId(reqA), oktaRequestWorkflowId(reqB));

      const activities = createOktaReconcileActivities(okta, { client: () => client, taskQueue });
      const pass = activities.reconcileOktaSystemLog;
      const run = (input: OktaLogPassInput) =>
        new MockActivityEnvironment().run<[OktaLogPassInput], OktaLogPassResult, typeof pass>(pass, input);

      const first = await run({ cursor: null, lookbackMinutes: 10, maxPages: 5 });
      assert.equal(first.received, 4);
      assert.equal(first.routed, 3);
      assert.equal(first.ignored, 1);
      assert.equal(first.malformed, 2);
      assert.equal(first.caughtUp, true);
      assert.ok(first.cursor?.startsWith(sb.url));

      const a = await signalsOf<OktaRequestEvent>(client, oktaRequestWorkflowId(reqA));
      assert.deepEqual(
        a.map((e) => [e.uuid, e.eventType, e.source]),
        [
          [createA.uuid, 'access.request.create', 'system-log'],
          [oddUpdateA.uuid, 'access.request.update', 'system-log'],
        ],
      );
      const b = await signalsOf<OktaRequestEvent>(client, oktaRequestWorkflowId(reqB));
      assert.deepEqual(
        b.map((e) => e.uuid),
        [createB.uuid],
      );
      assert.ok(noRequestId.uuid);

      // The next pass starts after the odd events: nothing is read (or refused) again.
      const second = await run({ cursor: first.cursor, lookbackMinutes: 10, maxPages: 5 });
      assert.deepEqual(
        { received: second.received, malformed: second.malformed, cursorReset: second.cursorReset },
        { received: 0, malformed: 0, cursorReset: false },
      );
    });
  });

  describe('Freshservice tickets by updated_since', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ seed: 'empty' });
    });
    after(async () => {
      await h.close();
    });

    it('given a listed ticket with an odd field and one without updated_at, when a pass reads them, then the rest and the odd one are nudged, the unusable one skipped, and the next pass goes on', async () => {
      const since = new Date(Date.now() - 1000).toISOString();
      const ids: number[] = [];
      for (let i = 0; i < 4; i++) {
        const t = await h.client.createTicket({
          email: 'odd-tickets@example.test',
          description: `#${i}`,
          status: FS_TICKET_STATUS.OPEN,
          priority: FS_PRIORITY.LOW,
        });
        ids.push(t.id);
      }
      started.push(...ids.map(ticketWorkflowId));
      const [plain, oddPriority, noUpdatedAt, last] = ids as [number, number, number, number];
      // Refused by the client's ticket schema, yet id and updated_at are all a nudge needs.
      Object.assign(h.sandbox.store.tickets.get(oddPriority)!, { priority: 'Urgent' });
      // Without updated_at the pass cannot place the ticket on its cursor: skipped and logged.
      Object.assign(h.sandbox.store.tickets.get(noUpdatedAt)!, { updated_at: null });

      const activities = createFreshserviceReconcileActivities(h.client, { client: () => client, taskQueue });
      const pass = activities.reconcileFreshserviceTickets;
      const run = (input: TicketPassInput) =>
        new MockActivityEnvironment().run<[TicketPassInput], TicketPassResult, typeof pass>(pass, input);

      const first = await run({ since, seenAtSince: [], lookbackMinutes: 10 });
      assert.deepEqual(
        { received: first.received, nudged: first.nudged, skipped: first.skipped },
        { received: 4, nudged: 3, skipped: 1 },
      );
      for (const id of [plain, oddPriority, last]) {
        const signals = await signalsOf<TicketEvent>(client, ticketWorkflowId(id));
        assert.deepEqual(
          signals.map((s) => [s.event, s.ticketId, s.source]),
          [['reconcile', id, 'reconciler']],
        );
      }
      await assert.rejects(client.workflow.getHandle(ticketWorkflowId(noUpdatedAt)).describe(), {
        name: 'WorkflowNotFoundError',
      });
      assert.ok(first.since && first.since > since, `the cursor moved on: ${first.since}`);

      // The cursor holds: the tickets already nudged are not nudged again.
      const second = await run({ since: first.since, seenAtSince: first.seenAtSince, lookbackMinutes: 10 });
      assert.equal(second.nudged, 0, JSON.stringify(second));
    });
  });
});
