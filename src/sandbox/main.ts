// `npm run sandbox`: the sandbox Okta and Freshservice on their own, on the configured ports with their
// state under DATA_DIR, for pointing other tools (or `npm run worker`/`npm run api`) at them.
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../logging';
import { SANDBOX_FRESHSERVICE_API_KEY, SANDBOX_OKTA_API_TOKEN } from './credentials';
import { startSandboxes } from './start';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message);
      return 2;
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, name: 'sandbox' });
  const sandboxes = await startSandboxes(config, logger, { dataDir: resolve(config.dataDir), force: true });
  process.stdout.write(
    [
      '',
      'Sandboxes running',
      `  Okta           ${sandboxes.okta!.url}   Authorization: SSWS ${SANDBOX_OKTA_API_TOKEN}`,
      `  Freshservice   ${sandboxes.freshservice!.publicUrl}   Basic auth ${SANDBOX_FRESHSERVICE_API_KEY}:X`,
      '  Admin endpoints under /__sandbox on each (docs/sandbox-okta.md, docs/sandbox-freshservice.md).',
      '  Press Ctrl-C to stop.',
      '',
    ].join('\n') + '\n',
  );
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      void sandboxes.close().then(() => process.exit(0));
    });
  }
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
