// Starts the real API over HTTP for a test, against a given Temporal address, with a config built from
// an env map (so tests exercise loadConfig too) and a silent logger unless LOG_LEVEL says otherwise.
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logging';
import { startApi, type RunningApi } from '../../src/api/server';

export const TEST_SECRETS = {
  OKTA_WEBHOOK_SECRET: 'test-okta-webhook-secret-0001',
  FRESHSERVICE_WEBHOOK_SECRET: 'test-freshservice-secret-0001',
  ADMIN_API_TOKEN: 'test-admin-token-000000000001',
};

export async function startTestApi(
  temporalAddress: string,
  env: Record<string, string> = {},
): Promise<RunningApi> {
  const config = loadConfig({
    ...TEST_SECRETS,
    API_PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    ...env,
  });
  return startApi(config, createLogger({ level: config.logLevel }), temporalAddress);
}
