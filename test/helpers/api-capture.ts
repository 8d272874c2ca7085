// Starts the real API over HTTP with a logger that keeps every JSON line it writes, so a test can read what
// an operator would see in the logs (and prove no secret ever reaches them).
import { Writable } from 'node:stream';
import { startApi, type RunningApi } from '../../src/api/server';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logging';
import { TEST_SECRETS } from './api';

export type CapturingApi = RunningApi & { lines: string[] };

export async function startCapturingApi(
  temporalAddress: string,
  env: Record<string, string> = {},
): Promise<CapturingApi> {
  const config = loadConfig({ ...TEST_SECRETS, API_PORT: '0', ...env, LOG_LEVEL: 'info' });
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(line);
      done();
    },
  });
  const api = await startApi(
    config,
    createLogger({ level: config.logLevel, name: 'api' }, sink),
    temporalAddress,
  );
  return Object.assign(api, { lines });
}
