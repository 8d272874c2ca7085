// `npm run cli -- demo`: walks both directions on the sandbox tenants of a running `npm start`, acting as
// the people involved through the sandboxes' actor endpoints, and prints what happened with the Temporal
// UI link of each workflow. Everything else (webhooks, workflows, tickets, grants) is the real product.
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { z } from 'zod';
import { ConfigError, loadConfig, type Config } from '../config';
import {
  createFreshserviceClient,
  FS_TICKET_STATUS,
  type FreshserviceClient,
} from '../integrations/freshservice';
import { createOktaClient, type OktaClient } from '../integrations/okta';
import { sandboxPost } from '../sandbox/actor-client';
import { SANDBOX_FRESHSERVICE_API_KEY, SANDBOX_OKTA_API_TOKEN } from '../sandbox/credentials';
import { DEMO_CATALOG_ITEMS, DEMO_PEOPLE, type DemoPerson } from '../sandbox/demo-tenant';
import { temporalConnectOptions } from '../temporal/connection';
import { catalogAccessWorkflowId } from '../workflows/catalog-access/contract';
import { oktaRequestTicketTag, oktaRequestWorkflowId } from '../workflows/okta-access-request/contract';
import { attachDashValues, parseOptions, positiveNumberOption } from './io';

type Io = { out: (line: string) => void; err: (line: string) => void };

const USAGE = `Usage: npm run cli -- demo [--timeout-seconds N]

Walks an access request in each direction on the sandbox tenants of a running \`npm start\`:
  Okta → Freshservice: an employee requests an app in Okta; a ticket opens; the manager approves; the ticket resolves.
  Freshservice → Okta: an employee requests an app in the service catalog; the manager approves; Okta grants it.
`;

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const managerOf = (p: DemoPerson) => DEMO_PEOPLE.find((m) => m.key === p.manager);
const fullName = (p: DemoPerson) => `${p.firstName} ${p.lastName}`;

/** An employee (with a manager) who does not hold the app yet, so the demo shows a real grant. */
async function pickRequester(
  okta: OktaClient,
  appLabel: string,
  exclude: string[],
): Promise<DemoPerson | undefined> {
  const app = await okta.findAppByLabelOrName(appLabel);
  if (!app) return undefined;
  for (const p of DEMO_PEOPLE) {
    if (!p.manager || p.agent || exclude.includes(p.email)) continue;
    const user = await okta.findUserByLogin(p.email);
    if (user && !(await okta.getAppUser(app.id, user.id))) return p;
  }
  return undefined;
}

export async function runDemo(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io?: Io,
): Promise<number> {
  const write: Io = io ?? {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  };
  let args;
  let timeoutSeconds: number;
  try {
    const options = { 'timeout-seconds': { type: 'string' }, help: { type: 'boolean' } } as const;
    args = parseArgs({ args: attachDashValues(argv, options), options });
    timeoutSeconds = parseOptions(
      z.object({ timeoutSeconds: positiveNumberOption('--timeout-seconds', 3600, 60).default(60) }),
      { timeoutSeconds: args.values['timeout-seconds'] },
    ).timeoutSeconds;
  } catch (err) {
    write.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    write.out(USAGE);
    return 0;
  }
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      write.err(err.message);
      return 2;
    }
    throw err;
  }
  if (config.okta.mode !== 'sandbox' || config.freshservice.mode !== 'sandbox') {
    write.err('The demo acts through the sandbox tenants; unset the Okta and Freshservice credentials.');
    return 2;
  }
  const timeoutMs = timeoutSeconds * 1000;
  const oktaUrl = `http://${config.sandbox.host}:${config.sandbox.oktaPort}`;
  const fsUrl = `http://${config.sandbox.host}:${config.sandbox.freshservicePort}`;
  const uiBase = `http://127.0.0.1:${config.temporal.uiPort}/namespaces/${config.temporal.namespace}/workflows`;
  const okta = createOktaClient({ orgUrl: oktaUrl, auth: { kind: 'ssws', token: SANDBOX_OKTA_API_TOKEN } });
  const fs: FreshserviceClient = createFreshserviceClient({
    baseUrl: fsUrl,
    apiKey: SANDBOX_FRESHSERVICE_API_KEY,
  });

  const ready = await fetch(`http://${config.api.host}:${config.api.port}/readyz`).catch(() => undefined);
  if (!ready?.ok) {
    write.err(
      `No access-bridge API answers at http://${config.api.host}:${config.api.port}; run \`npm start\` first.`,
    );
    return 1;
  }
  const connection = await Connection.connect(
    temporalConnectOptions(config.temporal, `127.0.0.1:${config.temporal.devPort}`),
  );
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const link = async (workflowId: string) => {
    const d = await client.workflow.getHandle(workflowId).describe();
    return `${uiBase}/${encodeURIComponent(workflowId)}/${d.runId}/history`;
  };

  try {
    // Okta → Freshservice
    write.out('Okta → Freshservice');
    const oktaRequester = await pickRequester(okta, 'Salesforce', []);
    if (!oktaRequester) {
      write.err('Everyone in the demo company already has Salesforce; delete .data/ to start over.');
      return 1;
    }
    const oktaApprover = managerOf(oktaRequester)!;
    let entryId: string | undefined;
    for await (const e of okta.listCatalogEntries('name eq "Salesforce"')) entryId = e.id;
    const request = await sandboxPost<{ id: string }>(oktaUrl, `/__sandbox/actor/requests`, {
      requesterLogin: oktaRequester.email,
      entryId,
      justification: 'Demo: pipeline reviews with the sales team',
    });
    write.out(`  1. ${fullName(oktaRequester)} requests Salesforce in Okta (request ${request.id})`);
    const ticketId = await until('the Freshservice ticket', timeoutMs, async () => {
      for await (const t of fs.listTickets({
        email: oktaRequester.email,
        updatedSince: new Date(Date.now() - 3_600_000),
      })) {
        if (t.tags.includes(oktaRequestTicketTag(request.id))) return t.id;
      }
      return undefined;
    });
    write.out(`  2. access-bridge opened Freshservice ticket #${ticketId}`);
    await sandboxPost(oktaUrl, `/__sandbox/actor/requests/${request.id}/approve`, {
      approverLogin: oktaApprover.email,
    });
    write.out(`  3. ${fullName(oktaApprover)} approves it in Okta`);
    await until('the ticket to resolve', timeoutMs, async () =>
      (await fs.getTicket(ticketId)).status === FS_TICKET_STATUS.RESOLVED ? true : undefined,
    );
    write.out(`  4. ticket #${ticketId} resolved with the decision`);
    write.out(`     Temporal UI: ${await link(oktaRequestWorkflowId(request.id))}`);

    // Freshservice → Okta
    write.out('Freshservice → Okta');
    const fsRequester = await pickRequester(okta, 'Salesforce', [oktaRequester.email]);
    if (!fsRequester) {
      write.err('Everyone in the demo company already has Salesforce; delete .data/ to start over.');
      return 1;
    }
    const manager = managerOf(fsRequester)!;
    const raised = await sandboxPost<{ service_request: { id: number } }>(
      fsUrl,
      `/__sandbox/actor/catalog/${DEMO_CATALOG_ITEMS.accessRequest.displayId}/request`,
      {
        requesterEmail: fsRequester.email,
        custom_fields: {
          resource_type: 'app',
          resource_name: 'Salesforce',
          justification: 'Demo: forecast reviews',
        },
      },
    );
    const srId = raised.service_request.id;
    write.out(`  1. ${fullName(fsRequester)} requests Salesforce in the service catalog (ticket #${srId})`);
    const approvalId = await until(
      'the approval request',
      timeoutMs,
      async () => (await fs.listApprovals(srId))[0]?.id,
    );
    write.out(`  2. access-bridge asked ${fullName(manager)} (reporting manager) to approve`);
    await sandboxPost(fsUrl, `/__sandbox/actor/approvals/${approvalId}/approve`, {
      approverEmail: manager.email,
    });
    write.out(`  3. ${fullName(manager)} approves in Freshservice`);
    await until('the grant and the resolved ticket', timeoutMs, async () =>
      (await fs.getTicket(srId)).status === FS_TICKET_STATUS.RESOLVED ? true : undefined,
    );
    const user = await okta.findUserByLogin(fsRequester.email);
    const app = await okta.findAppByLabelOrName('Salesforce');
    const granted = user && app ? Boolean(await okta.getAppUser(app.id, user.id)) : false;
    write.out(
      `  4. Okta ${granted ? 'now assigns' : 'does NOT assign'} Salesforce to ${fullName(fsRequester)}; ticket #${srId} resolved`,
    );
    write.out(`     Temporal UI: ${await link(catalogAccessWorkflowId(srId))}`);
    return granted ? 0 : 1;
  } catch (err) {
    write.err(`demo failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await connection.close();
  }
}
