// Starts the sandbox Okta and Freshservice that stand in for tenants whose credentials are not configured,
// with their state in the data directory (kept across restarts) and the demo company seeded on first
// start. Used by `npm start` and `npm run sandbox`; never in production (config refuses sandbox mode there).
import { join } from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../logging';
import { SANDBOX_FRESHSERVICE_API_KEY, SANDBOX_OKTA_API_TOKEN } from './credentials';
import { startFreshserviceSandbox, type RunningFreshserviceSandbox } from './freshservice';
import { startOktaSandbox, type RunningOktaSandbox } from './okta';
import type { AutomatorRule } from '../setup/webhooks';

export type RunningSandboxes = {
  okta: RunningOktaSandbox | undefined;
  freshservice: RunningFreshserviceSandbox | undefined;
  urls: { okta: string; freshservice: string } | undefined;
  close(): Promise<void>;
};

export async function startSandboxes(
  config: Config,
  logger: Logger,
  opts: { dataDir: string; force?: boolean } = { dataDir: config.dataDir },
): Promise<RunningSandboxes> {
  const wantOkta = opts.force || config.okta.mode === 'sandbox';
  const wantFs = opts.force || config.freshservice.mode === 'sandbox';
  const okta = wantOkta
    ? await startOktaSandbox({
        host: config.sandbox.host,
        port: config.sandbox.oktaPort,
        dataFile: join(opts.dataDir, 'sandbox-okta.json'),
        apiTokens: [SANDBOX_OKTA_API_TOKEN],
        seed: 'demo',
        logger: logger.child({ sandbox: 'okta' }),
      })
    : undefined;
  const freshservice = wantFs
    ? await startFreshserviceSandbox({
        host: config.sandbox.host,
        port: config.sandbox.freshservicePort,
        dataFile: join(opts.dataDir, 'sandbox-freshservice.json'),
        apiKeys: [SANDBOX_FRESHSERVICE_API_KEY],
        seed: 'demo',
        logger: logger.child({ sandbox: 'freshservice' }),
      })
    : undefined;
  return {
    okta,
    freshservice,
    urls:
      okta || freshservice
        ? {
            okta: okta?.url ?? `http://${config.sandbox.host}:${config.sandbox.oktaPort}`,
            freshservice:
              freshservice?.publicUrl ?? `http://${config.sandbox.host}:${config.sandbox.freshservicePort}`,
          }
        : undefined,
    close: async () => {
      await Promise.all([okta?.close(), freshservice?.close()]);
    },
  };
}

/** Sets the sandbox Freshservice's Workflow Automator rules (a real account is configured by hand). */
export async function setSandboxAutomatorRules(
  freshserviceUrl: string,
  rules: AutomatorRule[],
): Promise<void> {
  const res = await fetch(`${freshserviceUrl}/__sandbox/automator/rules`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rules),
  });
  if (!res.ok)
    throw new Error(`setting the sandbox automator rules failed: ${res.status} ${await res.text()}`);
}
