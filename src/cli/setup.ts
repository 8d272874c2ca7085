// `npm run cli -- setup`: points a real tenant at a deployed access-bridge. Registers (or verifies) the Okta
// event hook, registers our search attributes on a Temporal cluster, and prints the Freshservice Workflow
// Automator rules an admin creates by hand (Freshservice has no API for them). Never prints a secret.
import { isGrpcServiceError } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { createVendorClients } from '../worker';
import type { Config } from '../config';
import { FRESHSERVICE_WEBHOOK_SECRET_HEADER } from '../integrations/freshservice';
import { OKTA_HOOK_EVENT_TYPES } from '../intake';
import { ensureOktaEventHook, freshserviceAutomatorRules } from '../setup/webhooks';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/shared/contract';
import {
  commandConfig,
  errorMessage,
  EXIT,
  parseCommandArgs,
  stderrLogger,
  temporalAddress,
  UsageError,
  withTemporal,
  type CliIo,
} from './io';

export const SETUP_USAGE = `Usage: npm run cli -- setup [--dry-run]

Connects a real tenant to the access-bridge API at PUBLIC_BASE_URL:
  1. Okta: registers (or finds), activates and verifies the event hook
     \${PUBLIC_BASE_URL}/webhooks/okta with OKTA_WEBHOOK_SECRET (skipped for the sandbox Okta).
  2. Temporal: registers the search attributes on the cluster at TEMPORAL_ADDRESS (the local dev server
     registers them itself).
  3. Freshservice: prints the Workflow Automator rules to create, with a placeholder for the secret.

Options:
  --dry-run   change nothing: only print what would be registered and the Freshservice rules
  -h, --help  this help

Requires PUBLIC_BASE_URL (https when NODE_ENV=production).
`;

/** Shown instead of the shared secret: the admin pastes the real value into Freshservice. */
export const FRESHSERVICE_SECRET_PLACEHOLDER = '<FRESHSERVICE_WEBHOOK_SECRET>';

export async function runSetup(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, { 'dry-run': { type: 'boolean' } });
  if (args.help) {
    io.stdout(SETUP_USAGE);
    return EXIT.ok;
  }
  const dryRun = args['dry-run'] === true;
  const config = commandConfig(io);
  const base = publicBaseUrl(config);
  if (!base.startsWith('https://')) {
    io.stderr('warning: PUBLIC_BASE_URL is not https; Okta event hooks require an https endpoint\n');
  }

  let ok = true;
  io.stdout(`access-bridge setup for ${base}${dryRun ? ' (dry run: nothing is changed)' : ''}\n\n`);
  ok = (await oktaHook(config, io, base, dryRun)) && ok;
  ok = (await searchAttributes(config, io, dryRun)) && ok;
  printAutomatorRules(config, io, base);
  return ok ? EXIT.ok : EXIT.failure;
}

function publicBaseUrl(config: Config): string {
  const base = config.api.publicBaseUrl;
  if (!base) {
    throw new UsageError(
      'PUBLIC_BASE_URL is required: the public https URL at which Okta and Freshservice reach the API, ' +
        'e.g. PUBLIC_BASE_URL=https://access-bridge.example.com',
    );
  }
  if (config.env === 'production' && !base.startsWith('https://')) {
    throw new UsageError('PUBLIC_BASE_URL must be an https URL when NODE_ENV=production');
  }
  return base;
}

async function oktaHook(config: Config, io: CliIo, base: string, dryRun: boolean): Promise<boolean> {
  const uri = `${base}/webhooks/okta`;
  io.stdout(`Okta event hook\n  URL:    ${uri}\n  Events: ${OKTA_HOOK_EVENT_TYPES.join(', ')}\n`);
  if (dryRun) {
    io.stdout('  Status: not registered (--dry-run)\n\n');
    return true;
  }
  if (config.okta.mode === 'sandbox') {
    io.stdout('  Status: skipped: no Okta credentials are set (sandbox mode; `npm start` wires it)\n\n');
    return true;
  }
  const secret = config.webhooks.oktaSecret;
  if (!secret) {
    throw new UsageError('OKTA_WEBHOOK_SECRET is required to register the Okta event hook');
  }
  try {
    const logger = stderrLogger(io, config, 'cli-setup');
    const okta = createVendorClients(config, logger).okta.client;
    io.stderr(`registering the Okta event hook at ${config.okta.orgUrl} …\n`);
    const { hook, created } = await ensureOktaEventHook(okta, { uri, secret }, logger);
    io.stdout(
      `  Status: ${created ? 'created' : 'already registered'}: hook ${hook.id}, ${hook.status}, ${hook.verificationStatus}\n\n`,
    );
    return true;
  } catch (err) {
    io.stdout(`  Status: FAILED: ${errorMessage(err)}\n\n`);
    return false;
  }
}

/** gRPC ALREADY_EXISTS: the attribute is registered, which is what we want. */
const GRPC_ALREADY_EXISTS = 6;

async function searchAttributes(config: Config, io: CliIo, dryRun: boolean): Promise<boolean> {
  const names = SEARCH_ATTRIBUTE_KEYS.map((k) => `${k.name} (${k.type})`).join(', ');
  io.stdout(
    `Temporal search attributes\n  Namespace:  ${config.temporal.namespace}\n  Attributes: ${names}\n`,
  );
  if (dryRun) {
    io.stdout('  Status: not registered (--dry-run)\n\n');
    return true;
  }
  if (!config.temporal.address) {
    io.stdout('  Status: skipped: TEMPORAL_ADDRESS is not set (the local dev server registers them)\n\n');
    return true;
  }
  try {
    const results = await withTemporal(config, async (_client, connection) => {
      const out: string[] = [];
      // One call per attribute, so one that exists does not hide the others.
      for (const key of SEARCH_ATTRIBUTE_KEYS) {
        try {
          const type = encodeSearchAttributeIndexedValueType(key.type);
          if (type === undefined) throw new Error(`no indexed value type for ${key.type}`);
          await connection.operatorService.addSearchAttributes({
            namespace: config.temporal.namespace,
            searchAttributes: { [key.name]: type },
          });
          out.push(`${key.name} added`);
        } catch (err) {
          if (!alreadyExists(err)) throw err;
          out.push(`${key.name} already present`);
        }
      }
      return out;
    });
    io.stdout(`  Status: ${results.join(', ')} on ${temporalAddress(config)}\n\n`);
    return true;
  } catch (err) {
    io.stdout(
      `  Status: FAILED: ${errorMessage(err)}\n` +
        '  (Temporal Cloud: add them in the Cloud UI or with tcld; the names and types are above)\n\n',
    );
    return false;
  }
}

function alreadyExists(err: unknown): boolean {
  return (
    (isGrpcServiceError(err) && Number(err.code) === GRPC_ALREADY_EXISTS) ||
    /already exists/i.test(errorMessage(err))
  );
}

function printAutomatorRules(config: Config, io: CliIo, base: string): void {
  const rules = freshserviceAutomatorRules({
    uri: `${base}/webhooks/freshservice`,
    secret: FRESHSERVICE_SECRET_PLACEHOLDER,
  });
  const lines = [
    'Freshservice Workflow Automator',
    '  In Admin > Workflow Automator, create one Event workflow per rule below, with a "Trigger Webhook"',
    '  action: request type POST, encoding JSON, the URL, the custom header and the body shown.',
    `  Paste the value of FRESHSERVICE_WEBHOOK_SECRET in place of ${FRESHSERVICE_SECRET_PLACEHOLDER};`,
    '  it is never printed here.',
    '',
  ];
  rules.forEach((rule, i) => {
    lines.push(
      `Rule ${i + 1}: ${rule.name}`,
      `  Event:  ${rule.event}`,
      `  URL:    POST ${rule.url}`,
      `  Header: ${FRESHSERVICE_WEBHOOK_SECRET_HEADER}: ${FRESHSERVICE_SECRET_PLACEHOLDER}`,
      '  Body:',
      ...rule.body.split('\n').map((l) => `    ${l}`),
      '',
    );
  });
  io.stdout(lines.join('\n') + '\n');
  if (!config.webhooks.freshserviceSecret) {
    io.stderr(
      'warning: FRESHSERVICE_WEBHOOK_SECRET is not set; the API rejects Freshservice webhooks without it\n',
    );
  }
}
