// `npm run cli -- freshservice-template`: the three Workflow Automator webhook bodies, to paste or to
// feed to provisioning scripts (`--json`). No config is needed: the bodies carry only placeholders.
import { FRESHSERVICE_WEBHOOK_EVENTS, freshserviceWebhookTemplate } from '../integrations/freshservice';
import { EXIT, parseCommandArgs, type CliIo } from './io';

export const FRESHSERVICE_TEMPLATE_USAGE = `Usage: npm run cli -- freshservice-template [--json]

Prints the JSON body of each Freshservice Workflow Automator "Trigger Webhook" action, one per event
(${FRESHSERVICE_WEBHOOK_EVENTS.join(', ')}).

Options:
  --json      one JSON array [{ "event", "body" }] where body is the template text, for scripts
  -h, --help  this help
`;

export type TemplateEntry = { event: (typeof FRESHSERVICE_WEBHOOK_EVENTS)[number]; body: string };

export function automatorBodies(): TemplateEntry[] {
  return FRESHSERVICE_WEBHOOK_EVENTS.map((event) => ({ event, body: freshserviceWebhookTemplate(event) }));
}

export function runFreshserviceTemplate(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, { json: { type: 'boolean' } });
  if (args.help) {
    io.stdout(FRESHSERVICE_TEMPLATE_USAGE);
    return Promise.resolve(EXIT.ok);
  }
  const bodies = automatorBodies();
  if (args.json) {
    io.stdout(JSON.stringify(bodies, null, 2) + '\n');
  } else {
    for (const { event, body } of bodies) io.stdout(`# ${event}\n${body}\n\n`);
  }
  return Promise.resolve(EXIT.ok);
}
