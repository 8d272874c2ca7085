// Drives catalog access requests through a test stack the way the tenants would: raise a request as an
// employee through the Freshservice sandbox's catalog, nudge the ticket's router as the webhook does, act as
// approvers through the sandbox, and read what a user sees (the flow's state, the ticket, its notes, Okta).
import type { WorkflowHandle } from '@temporalio/client';
import {
  type CatalogAccessState,
  catalogAccessWorkflowId,
} from '../../src/workflows/catalog-access/contract';
import {
  TICKET_ROUTER_WORKFLOW_TYPE,
  type TicketRouterWorkflow,
  ticketWorkflowId,
} from '../../src/workflows/ticket-router/contract';
import { stateQuery, ticketEventSignal, type TicketEvent } from '../../src/workflows/shared/contract';
import { sandboxPost, type TestStack } from './stack';
import { waitFor } from './wait';

/** The sandbox's access-request catalog item (display id). */
export const ACCESS_ITEM = 1001;

/** `getStack` is read on each call, so a driver can be made before the stack starts (in describe). */
export function catalogDriver(getStack: () => TestStack) {
  const fsClient = () => getStack().vendors.freshservice.client;
  const oktaClient = () => getStack().vendors.okta.client;

  async function raise(fields: Record<string, unknown>, requesterEmail: string): Promise<number> {
    const res = await sandboxPost<{ service_request: { id: number } }>(
      getStack().freshservice.publicUrl,
      `/__sandbox/actor/catalog/${ACCESS_ITEM}/request`,
      { requesterEmail, custom_fields: { justification: 'needed for my work', ...fields } },
    );
    return res.service_request.id;
  }

  /** What POST /webhooks/freshservice does: signal-with-start the ticket's router. */
  async function nudge(
    ticketId: number,
    event: TicketEvent['event'] = 'ticket_created',
    updatedAt: string | null = null,
  ) {
    await getStack().client.workflow.signalWithStart<TicketRouterWorkflow, [TicketEvent]>(
      TICKET_ROUTER_WORKFLOW_TYPE,
      {
        workflowId: ticketWorkflowId(ticketId),
        taskQueue: getStack().taskQueues.workflows,
        args: [{ ticketId }],
        signal: ticketEventSignal,
        signalArgs: [
          { event, ticketId, updatedAt: updatedAt ?? new Date().toISOString(), source: 'webhook' },
        ],
      },
    );
  }

  const accessFlow = (ticketId: number): WorkflowHandle =>
    getStack().client.workflow.getHandle(catalogAccessWorkflowId(ticketId));
  const state = async (ticketId: number) =>
    (await accessFlow(ticketId).query(stateQuery)) as CatalogAccessState;

  /** What the ticket's router and flow say, for failure messages. */
  async function diagnose(ticketId: number): Promise<string> {
    const parts: string[] = [];
    for (const id of [ticketWorkflowId(ticketId), catalogAccessWorkflowId(ticketId)]) {
      try {
        const h = getStack().client.workflow.getHandle(id);
        const d = await h.describe();
        parts.push(
          `${id}: ${d.status.name} ${JSON.stringify(await h.query(stateQuery).catch((e: Error) => e.message))}`,
        );
      } catch (err) {
        parts.push(`${id}: ${(err as Error).message}`);
      }
    }
    return parts.join('\n');
  }

  async function waitForPhase(ticketId: number, phase: CatalogAccessState['phase'], timeoutMs = 30_000) {
    await waitFor(
      async () => (await state(ticketId)).phase === phase,
      `ticket ${ticketId} to reach ${phase}`,
      {
        timeoutMs,
      },
    );
    return state(ticketId);
  }

  async function waitForRequestedLevel(ticketId: number, level: number) {
    await waitFor(async () => {
      const s = await state(ticketId);
      return (
        s.levels[level - 1]?.status === 'requested' && (s.levels[level - 1]?.approvalIds.length ?? 0) > 0
      );
    }, `level ${level} of ticket ${ticketId} to be requested`).catch(async (err: Error) => {
      throw new Error(`${err.message}\n${await diagnose(ticketId)}`);
    });
    return state(ticketId);
  }

  async function decide(
    ticketId: number,
    approvalId: number,
    decision: 'approve' | 'reject',
    remark?: string,
  ) {
    await sandboxPost(
      getStack().freshservice.publicUrl,
      `/__sandbox/actor/approvals/${approvalId}/${decision}`,
      {
        remark,
      },
    );
    await nudge(ticketId, 'approval_changed');
  }

  const ticket = (id: number) => fsClient().getTicket(id);
  async function notes(id: number): Promise<string[]> {
    const out: string[] = [];
    for await (const c of fsClient().listConversations(id)) out.push(c.body_text ?? c.body ?? '');
    return out;
  }
  const oktaUser = async (login: string) => {
    const u = await oktaClient().findUserByLogin(login);
    if (!u) throw new Error(`no Okta user ${login}`);
    return u;
  };
  async function hasApp(login: string, label: string) {
    const app = await oktaClient().findAppByLabelOrName(label);
    if (!app) throw new Error(`no Okta app ${label}`);
    return (await oktaClient().getAppUser(app.id, (await oktaUser(login)).id)) !== undefined;
  }
  async function inGroup(login: string, name: string) {
    const groups = await oktaClient().listUserGroups((await oktaUser(login)).id);
    return groups.some((g) => g.profile.name === name);
  }

  /** The flow's final state, once its router has started it and it has completed. */
  async function result(ticketId: number) {
    await waitFor(
      async () => Boolean(await accessFlow(ticketId).describe()),
      `the access flow of ticket ${ticketId}`,
    );
    return (await accessFlow(ticketId).result()) as CatalogAccessState;
  }

  return {
    raise,
    nudge,
    accessFlow,
    state,
    diagnose,
    waitForPhase,
    waitForRequestedLevel,
    decide,
    ticket,
    notes,
    oktaUser,
    hasApp,
    inGroup,
    result,
  };
}
